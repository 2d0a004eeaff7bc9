package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    @Test
    void locksAUsernameAfterRepeatedFailuresUntilTheWindowPasses() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            t.failed("alice");
        }
        assertThat(t.isLocked("alice")).isFalse();
        t.failed("alice");
        assertThat(t.isLocked("alice")).isTrue();
        assertThat(t.isLocked("bob")).isFalse();
        clock.advance(LoginThrottle.WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(t.isLocked("alice")).isFalse();
    }

    @Test
    void successClearsFailures() {
        LoginThrottle t = new LoginThrottle(new MutableClock());
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            t.failed("alice");
        }
        t.succeeded("alice");
        t.failed("alice");
        assertThat(t.isLocked("alice")).isFalse();
    }
}

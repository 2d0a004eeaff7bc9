package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    @Test
    void refusesAUsernameAfterTheWindowsAttemptsUntilTheWindowPasses() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(t.tryAttempt("alice")).isTrue();
        }
        assertThat(t.tryAttempt("alice")).isFalse();
        assertThat(t.tryAttempt("bob")).isTrue();
        clock.advance(LoginThrottle.WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(t.tryAttempt("alice")).isTrue();
    }

    @Test
    void successClearsTheCount() {
        LoginThrottle t = new LoginThrottle(new MutableClock());
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            t.tryAttempt("alice");
        }
        t.succeeded("alice");
        assertThat(t.tryAttempt("alice")).isTrue();
    }
}

package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Progressive delays slow guessing, but nobody is ever locked out for long. */
class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new ProgressiveLoginThrottle(clock);

    @Test
    void delaysGrowAfterTheFreeFailuresAndAreRefusedWithTheWait() {
        for (int i = 0; i < ProgressiveLoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.tryAttempt("alice", false)).isEmpty();
        }
        assertThat(throttle.tryAttempt("alice", false)).as("the 4th attempt waits for nothing yet").isEmpty();
        Optional<Duration> wait = throttle.tryAttempt("alice", false);
        assertThat(wait).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.tryAttempt("alice", false)).isEmpty();
        assertThat(throttle.tryAttempt("alice", false)).as("doubled").contains(Duration.ofSeconds(2));
        assertThat(throttle.tryAttempt("bob", false)).as("another username has its own delay").isEmpty();
    }

    @Test
    void refusedAttemptsDoNotLengthenTheDelay() {
        failTenTimes("alice");
        Duration first = throttle.tryAttempt("alice", false).orElseThrow();
        for (int i = 0; i < 100; i++) {
            throttle.tryAttempt("alice", false);
        }
        assertThat(throttle.tryAttempt("alice", false)).contains(first);
    }

    @Test
    void afterTenWrongAttemptsBySomeoneElseTheOwnerGetsInWithinSixtySeconds() {
        failTenTimes("alice");
        assertThat(throttle.tryAttempt("alice", false)).isPresent();
        clock.advance(ProgressiveLoginThrottle.USERNAME_CAP);
        assertThat(ProgressiveLoginThrottle.USERNAME_CAP).isLessThan(Duration.ofSeconds(60));
        assertThat(throttle.tryAttempt("alice", false)).isEmpty();
        throttle.succeeded("alice");
        assertThat(throttle.tryAttempt("alice", false)).as("success clears the delay").isEmpty();
    }

    @Test
    void aTrustedDeviceSkipsTheDelays() {
        failTenTimes("alice");
        assertThat(throttle.tryAttempt("alice", false)).isPresent();
        assertThat(throttle.tryAttempt("alice", true)).isEmpty();
    }

    @Test
    void instanceWideDelayCatchesGuessesSpreadOverManyUsernamesAndIsCapped() {
        for (int i = 0; i < ProgressiveLoginThrottle.FREE_GLOBAL_FAILURES + 10; i++) {
            throttle.tryAttempt("user" + i, false);
            clock.advance(Duration.ofMillis(10));
        }
        Optional<Duration> wait = throttle.tryAttempt("somebody-new", false);
        assertThat(wait).isPresent();
        assertThat(wait.get()).isLessThanOrEqualTo(ProgressiveLoginThrottle.GLOBAL_CAP);
        clock.advance(ProgressiveLoginThrottle.GLOBAL_CAP);
        assertThat(throttle.tryAttempt("somebody-new", false)).isEmpty();
    }

    @Test
    void anUncheckedAttemptDoesNotCount() {
        for (int i = 0; i < ProgressiveLoginThrottle.FREE_FAILURES; i++) {
            throttle.tryAttempt("alice", false);
        }
        throttle.tryAttempt("alice", false);
        throttle.notChecked("alice");
        throttle.notChecked("alice");
        assertThat(throttle.tryAttempt("alice", false)).isEmpty();
        assertThat(throttle.tryAttempt("alice", false)).isEmpty();
    }

    @Test
    void failuresAreForgivenWithTime() {
        failTenTimes("alice");
        clock.advance(ProgressiveLoginThrottle.FORGIVE_EVERY.multipliedBy(10));
        for (int i = 0; i <= ProgressiveLoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.tryAttempt("alice", false)).isEmpty();
        }
    }

    @Test
    void millionsOfUnknownUsernamesUseNoMoreMemoryThanTheFixedSlots() {
        // The state is fixed arrays: there is no map to grow. A flood of distinct usernames only
        // raises delays, capped, for everyone.
        for (int i = 0; i < 100_000; i++) {
            throttle.tryAttempt("nobody-" + i, false);
        }
        clock.advance(ProgressiveLoginThrottle.USERNAME_CAP);
        assertThat(throttle.tryAttempt("alice", false)).isEmpty();
    }

    private void failTenTimes(String username) {
        for (int i = 0; i < 10; i++) {
            if (i > 0) {
                clock.advance(Duration.ofSeconds(31));
            }
            assertThat(throttle.tryAttempt(username, false)).isEmpty();
        }
    }
}

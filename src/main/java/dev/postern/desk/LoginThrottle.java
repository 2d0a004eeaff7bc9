package dev.postern.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing against one desk account: after {@value #MAX_FAILURES} failed logins
 * within {@link #WINDOW}, that username is refused until the window has passed. Each attempt also
 * costs an Argon2id evaluation. State is in memory and bounded.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant since) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    boolean isLocked(String username) {
        Failures f = failures.get(username);
        if (f == null) {
            return false;
        }
        if (f.since().plus(WINDOW).isBefore(clock.instant())) {
            failures.remove(username, f);
            return false;
        }
        return f.count() >= MAX_FAILURES;
    }

    void failed(String username) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> f.since().plus(WINDOW).isBefore(now));
        }
        failures.merge(username, new Failures(1, now), (old, one) ->
                old.since().plus(WINDOW).isBefore(now) ? one : new Failures(old.count() + 1, old.since()));
    }

    void succeeded(String username) {
        failures.remove(username);
    }
}

package dev.postern.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing against one desk account: at most {@value #MAX_FAILURES} unsuccessful
 * attempts per username within {@link #WINDOW}; then that username is refused until the window has
 * passed. Each attempt also costs an Argon2id evaluation. State is in memory and bounded.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 10_000;

    private record Attempts(int count, Instant since) {
    }

    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts an attempt before it is checked, so parallel guesses cannot all pass a check made
     * before any of them failed. False when the username has used up its window.
     */
    boolean tryAttempt(String username) {
        Instant now = clock.instant();
        if (attempts.size() >= MAX_TRACKED) {
            attempts.values().removeIf(a -> a.since().plus(WINDOW).isBefore(now));
        }
        Attempts after = attempts.merge(username, new Attempts(1, now), (old, one) ->
                old.since().plus(WINDOW).isBefore(now) ? one : new Attempts(old.count() + 1, old.since()));
        return after.count() <= MAX_FAILURES;
    }

    /** A successful login clears the username's count. */
    void succeeded(String username) {
        attempts.remove(username);
    }
}

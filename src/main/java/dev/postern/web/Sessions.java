package dev.postern.web;

import dev.postern.vault.Crypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions kept only in memory, behind an unguessable cookie value. An idle session is
 * dropped (with the decrypted keys it holds) after the idle timeout; logout drops it at once.
 *
 * @param <T> what a session holds
 */
public final class Sessions<T> {
    /** A live session: its id, its own form token and what it holds. */
    public record Session<T>(String id, String csrf, T value) {
        @Override
        public String toString() {
            return "Session[REDACTED]";
        }
    }

    private record Entry<T>(Session<T> session, Instant lastSeen) {
    }

    private final Map<String, Entry<T>> live = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;

    public Sessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    public Session<T> create(T value) {
        sweep();
        Session<T> s = new Session<>(token(), token(), value);
        live.put(s.id(), new Entry<>(s, clock.instant()));
        return s;
    }

    /** The session for a cookie value, if live; touching it restarts its idle timer. */
    public Optional<Session<T>> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // Atomic: a request that races a logout must not bring the session (and its keys) back.
        Entry<T> touched = live.computeIfPresent(id, (k, e) ->
                e.lastSeen().plus(idleTimeout).isBefore(now) ? null : new Entry<>(e.session(), now));
        return touched == null ? Optional.empty() : Optional.of(touched.session());
    }

    public void end(String id) {
        if (id != null) {
            live.remove(id);
        }
    }

    /** Drops every idle session, so idle keys do not linger until someone presents the cookie. */
    public void sweep() {
        Instant limit = clock.instant().minus(idleTimeout);
        live.values().removeIf(e -> e.lastSeen().isBefore(limit));
    }

    private static String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Crypto.randomBytes(32));
    }
}

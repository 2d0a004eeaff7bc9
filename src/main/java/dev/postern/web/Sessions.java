package dev.postern.web;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Server-side sessions behind an unguessable cookie value. A session ends when it has been idle
 * too long, when it reaches its absolute lifetime, at logout, or when its owner (a recipient who
 * changed their password) ends all their other sessions. Behind an interface so a shared
 * (PostgreSQL) implementation can follow {@link MemorySessions}.
 *
 * @param <T> what a session holds
 */
public interface Sessions<T> {
    /** A live session: its id, its own form token and what it holds. */
    record Session<T>(String id, String csrf, T value) {
        @Override
        public String toString() {
            return "Session[REDACTED]";
        }
    }

    Session<T> create(T value);

    /** The session for a cookie value, if live; touching it restarts its idle timer (not its lifetime). */
    Optional<Session<T>> find(String id);

    void end(String id);

    /** Ends every session with the same owner as {@code keep}, except {@code keep} itself. */
    void endOthers(Session<T> keep);

    /**
     * Ends every session whose value matches (a colleague disabled or reset by an administrator:
     * their open sessions, with the keys they hold, end at once).
     */
    void endAllOf(Predicate<T> whose);

    /** Drops every expired session, so idle keys do not linger until someone presents the cookie. */
    void sweep();
}

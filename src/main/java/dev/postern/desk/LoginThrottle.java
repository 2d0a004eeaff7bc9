package dev.postern.desk;

import java.time.Duration;
import java.util.Optional;

/**
 * Slows password guessing at the desk without letting anyone lock a recipient out: a progressive
 * delay per username and one for the whole instance, capped so the right password and code still
 * work within a minute of someone else's wrong attempts. Attempts inside a delay are refused
 * before any Argon2id work. Behind an interface so a shared (PostgreSQL) implementation can follow.
 */
public interface LoginThrottle {
    /**
     * Counts an attempt before it is checked (so parallel guesses cannot all pass a check made
     * before any of them failed), or refuses it.
     *
     * @param trustedDevice the browser showed a device cookie for this username: it is exempt from
     *                      both delays, so an outsider's guessing never keeps a known browser out
     * @return empty when the attempt may go ahead; otherwise how long to wait
     */
    Optional<Duration> tryAttempt(String username, boolean trustedDevice);

    /** The attempt was right: the username's delay is cleared and it no longer counts as a failure. */
    void succeeded(String username);

    /** The attempt was never checked (busy, client gone): it does not count. */
    void notChecked(String username);
}

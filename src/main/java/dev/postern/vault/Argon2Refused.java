package dev.postern.vault;

/**
 * Expensive work was not admitted: its lane was full, the wait for a turn ran out, or the client
 * that asked for it has gone. Nothing was computed; the caller should answer "busy, try again".
 */
public final class Argon2Refused extends RuntimeException {
    private final boolean clientGone;

    public Argon2Refused(boolean clientGone) {
        super(clientGone ? "client gone" : "busy", null, false, false);
        this.clientGone = clientGone;
    }

    /** True when nobody is waiting for the answer any more. */
    public boolean clientGone() {
        return clientGone;
    }
}

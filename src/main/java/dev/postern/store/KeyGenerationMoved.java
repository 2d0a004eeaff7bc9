package dev.postern.store;

/**
 * A writer sealed content under an older key generation than the report's current one (a
 * revocation committed in between): nothing was stored; the writer reloads its keys and seals again.
 */
public final class KeyGenerationMoved extends RuntimeException {
    private final int current;

    public KeyGenerationMoved(String reportId, int current) {
        super("report " + reportId + " is at key generation " + current);
        this.current = current;
    }

    public int current() {
        return current;
    }
}

package dev.postern.store;

/** The store cannot do what was asked (I/O failure, a path outside the store, a malformed id). */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

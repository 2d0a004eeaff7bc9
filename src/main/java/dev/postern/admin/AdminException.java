package dev.postern.admin;

/** An administrative action is refused; the message says why, for a person at a terminal. */
public final class AdminException extends Exception {
    public AdminException(String message) {
        super(message);
    }
}

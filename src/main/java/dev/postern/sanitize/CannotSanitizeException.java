package dev.postern.sanitize;

/**
 * A file that cannot be made safe: the reason goes into the report verbatim, so it must say what is
 * wrong in words a journalist understands and must not echo file content.
 */
public class CannotSanitizeException extends Exception {
    public CannotSanitizeException(String reason) {
        super(reason);
    }

    public CannotSanitizeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

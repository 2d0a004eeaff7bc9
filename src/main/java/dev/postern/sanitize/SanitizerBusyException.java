package dev.postern.sanitize;

/** Every sanitizer worker is busy: the caller is told to try again, nothing waits in a queue. */
public final class SanitizerBusyException extends Exception {
    public SanitizerBusyException(int workers) {
        super("all " + workers + " sanitizer workers are busy", null, false, false);
    }
}

package dev.postern.web;

/**
 * A tus request refused with the status the protocol names. {@link WebServer} answers it with the
 * status, the tus headers and a one-line text body (never an HTML page: tus clients are programs).
 *
 * @see TusEndpoint
 */
final class TusError extends RuntimeException {
    private final int status;
    private final String reason;

    TusError(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }
}

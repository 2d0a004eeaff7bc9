package dev.postern.web;

/**
 * A request is refused at the web layer (bad form token, malformed form, expired session). Rendered
 * as a page in the request's language; {@link #messageKey()} names the explanation.
 */
public final class WebError extends RuntimeException {
    private final int status;
    private final String messageKey;

    public WebError(int status, String messageKey) {
        super(messageKey, null, false, false);
        this.status = status;
        this.messageKey = messageKey;
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }

    public static WebError badForm() {
        return new WebError(400, "error.malformed");
    }

    public static WebError badToken() {
        return new WebError(403, "error.csrf");
    }

    public static WebError invalidText() {
        return new WebError(400, "error.INVALID_TEXT");
    }
}

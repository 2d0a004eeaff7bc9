package dev.postern.intake;

/**
 * A source's submission or follow-up is refused for a reason the source can act on. The web layer
 * turns {@link #reason()} into a page in the source's language; nothing of the upload is kept.
 */
public final class IntakeException extends Exception {
    /** Why; each has a translated explanation. */
    public enum Reason {
        EMPTY_REPORT(400), EMPTY_MESSAGE(400), FILE_TOO_LARGE(413), REPORT_TOO_LARGE(413), TOO_MANY_FILES(413),
        BAD_FILE_NAME(400), FIELD_TOO_LONG(400), INVALID_TEXT(400), MALFORMED_UPLOAD(400),
        WRONG_RECEIPT(403), TOO_MANY_ATTEMPTS(429), NO_RECIPIENTS(503), NO_SUCH_REPLY(404),
        DISK_FULL(507), REPORT_BUDGET_SPENT(503),
        /** The report's answers were saved already: what follows is a message. */
        ANSWERS_ALREADY_SET(409),
        /** The source left out everyone who could read the report. */
        NOBODY_LEFT(400),
        /** The sources' Argon2id lane is full: try again in a minute. */
        BUSY(503);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public IntakeException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

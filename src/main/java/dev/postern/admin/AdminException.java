package dev.postern.admin;

/**
 * An administrative action is refused; the message says why, for a person at a terminal, and
 * {@link #reason()} says it for the desk (a page in the administrator's language and an HTTP status).
 */
public final class AdminException extends Exception {
    /** Why an action was refused. */
    public enum Reason {
        /** A value the command line gave is not acceptable (the message says which). */
        INVALID(400),
        BAD_USERNAME(400),
        USERNAME_TAKEN(409),
        BAD_DISPLAY_NAME(400),
        BAD_ROLE(400),
        BAD_TIME_ZONE(400),
        BAD_LANGUAGE(400),
        /** No such colleague (or organization) here. */
        NOT_FOUND(404),
        /** Only an active administrator of the organization may do this. */
        ADMIN_ONLY(403),
        /** An administrator does not disable or reset their own account (another administrator does). */
        NOT_YOURSELF(409),
        /** The organization's last active administrator cannot be disabled or demoted. */
        LAST_ADMIN(409),
        /** At least one active administrator must keep receiving new reports. */
        NOBODY_RECEIVES(409);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public AdminException(String message) {
        this(Reason.INVALID, message);
    }

    public AdminException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

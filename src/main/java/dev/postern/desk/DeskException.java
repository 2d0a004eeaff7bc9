package dev.postern.desk;

import java.time.Duration;

/** A desk action is refused; {@link #reason()} says why in terms a recipient can act on. */
public final class DeskException extends Exception {
    /** Why an action was refused. */
    public enum Reason {
        BAD_LOGIN(401), CODE_ALREADY_USED(401), NOT_FOUND(404), NO_ACCESS(403), EMPTY_REPLY(400),
        REPLY_TOO_LONG(400), BAD_STATUS(400), WEAK_PASSWORD(400), BAD_RANGE(416), TOO_MANY_ATTEMPTS(429), SANITIZER_UNAVAILABLE(503),
        /** Every sanitizer worker is busy: try again shortly (nothing waits in a queue). */
        SANITIZER_BUSY(503),
        /** The recipient's stored public key does not verify against the pinning key, or is not the private key's. */
        KEY_NOT_PINNED(403),
        /** The desk's Argon2id lane is full: try again in a minute. */
        BUSY(503),
        // Case handling (statuses, acknowledgement, notes, settings).
        /** A status change needs a reason for colleagues. */
        REASON_REQUIRED(400),
        /** A reason, a note, a name or a template is longer than the desk keeps. */
        TEXT_TOO_LONG(400),
        EMPTY_NOTE(400),
        /** The report was acknowledged already (a second click, or a colleague was first). */
        ALREADY_ACKNOWLEDGED(409),
        /** The organization's data key has not reached this account yet: a colleague must log in once. */
        NO_ORG_KEY(409),
        /** Another colleague changed the case at the same moment, again and again. */
        CASE_CHANGED(409),
        /** A page or action for the organization's administrators only (the case log, settings). */
        ADMIN_ONLY(403),
        /** A status needs its name in every language. */
        BAD_NAMES(400),
        // Triage: labels and assignment.
        /** A label name must be 1 to 60 characters. */
        BAD_LABEL(400),
        /** Not an active colleague of this organization, or not a label of it. */
        BAD_ASSIGNEE(400),
        // Access: grants, revocations.
        /** A grant to a colleague whose public key does not verify under the pinning key. */
        GRANTEE_KEY_NOT_PINNED(409),
        /** The report's source left this colleague out: no grant may add them. */
        EXCLUDED_BY_SOURCE(409),
        /** Nobody would hold the report's key any more. */
        LAST_HOLDER(409);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;
    private final Duration wait;

    public DeskException(Reason reason) {
        this(reason, Duration.ZERO);
    }

    /** A refusal that ends after {@code wait} (TOO_MANY_ATTEMPTS). */
    public DeskException(Reason reason, Duration wait) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.wait = wait;
    }

    /** How long to wait before trying again, in whole seconds (at least 1 when there is a wait). */
    public long waitSeconds() {
        return wait.isZero() ? 0 : Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    public Reason reason() {
        return reason;
    }
}

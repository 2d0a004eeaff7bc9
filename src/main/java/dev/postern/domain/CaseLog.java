package dev.postern.domain;

/**
 * The organization's case log: every access change (grant, revoke, restriction, a source leaving
 * someone out, colleagues added, disabled, enabled, reset) appended as an entry that only the
 * organization's administrators can read. Append-only: nothing updates or deletes an entry (issue 9
 * chains them with hashes).
 *
 * <p>In {@code domain}, not {@code desk}: intake appends too (a source leaving someone out), and the
 * desk reads intake's report contents, so the interface belongs to neither.
 */
public interface CaseLog {
    /** What happened. */
    enum Action {
        WRAPPED_AT_INTAKE, EXCLUDED_BY_SOURCE, GRANTED, BACKLOG_GRANTED, REVOKED, RESTRICTED,
        COLLEAGUE_ADDED, COLLEAGUE_DISABLED, COLLEAGUE_ENABLED, COLLEAGUE_RESET, ROLE_CHANGED
    }

    /**
     * One entry.
     *
     * @param actor      recipient id, or "source", or "cli"
     * @param subject    the colleague concerned (recipient id), or null
     * @param reportId   the report concerned, or null
     * @param generation the report key generation concerned, or null
     */
    record Entry(Action action, String actor, String subject, String reportId, Integer generation) {
    }

    void append(String organizationId, Entry entry);
}

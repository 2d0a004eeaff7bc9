package dev.postern.audit;

/**
 * What a desk (or command-line) action did, as the hash-chained audit log records it. The names
 * are stored, so never rename one; add new ones at the end.
 */
public enum AuditAction {
    LOGIN,
    LOGOUT,
    OPEN,
    DOWNLOAD,
    SANITIZED_COPY,
    REPLY,
    NOTE,
    STATUS,
    LABEL,
    ASSIGN,
    GRANT,
    REVOKE,
    RESTRICT,
    FORWARD,
    EXPORT,
    DELETE,
    LEGAL_HOLD,
    RETENTION,
    SETTINGS,
    COLLEAGUE,
    OUTSIDE_BODY,
    NOTIFICATIONS
}

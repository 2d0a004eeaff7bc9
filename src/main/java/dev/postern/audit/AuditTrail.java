package dev.postern.audit;

import java.util.List;

/**
 * Where every desk action leaves an entry: sequence, hour, actor, action and the ids of the objects
 * it touched, never report content. The implementation chains entries by hash and checkpoints them
 * under the application host's key, so that a database-only attacker cannot rewrite history
 * unnoticed ({@code postern audit verify}).
 *
 * <p>Callers append AFTER their own transaction committed (an action that failed leaves no entry);
 * an append that fails is logged and never undoes or blocks the action it records.
 */
public interface AuditTrail {
    /** An audit trail that records nothing (tests of services that do not check the log). */
    AuditTrail NONE = (organizationId, actorId, action, objectIds) -> {
    };

    /**
     * Appends one entry to the organization's chain.
     *
     * @param organizationId whose log (the actor's organization)
     * @param actorId        the recipient's id, or {@code "cli"} for a command-line action, or
     *                       {@code "system"} for a job (retention)
     * @param action         what was done
     * @param objectIds      the ids the action touched (report, file, colleague, outside body...),
     *                       in a fixed order per action; never names, text or content
     */
    void append(String organizationId, String actorId, AuditAction action, List<String> objectIds);
}

package dev.postern.intake;

/**
 * Where intake records that a source left a colleague out of its report (the organization's case
 * log, wired in the bootstrap: intake knows nothing of the desk).
 */
@FunctionalInterface
public interface ExclusionLog {
    /** Records nothing (tools and tests). */
    ExclusionLog NONE = (organizationId, reportId, recipientId) -> { };

    void excluded(String organizationId, String reportId, String recipientId);
}

package dev.postern.intake;

import dev.postern.vault.ReportKey;

/**
 * What a correct receipt opens: the report and its key. Held in memory for the length of the
 * source's visit only.
 */
public record SourceAccess(String reportId, ReportKey key) {
    @Override
    public String toString() {
        return "SourceAccess[REDACTED]";
    }
}

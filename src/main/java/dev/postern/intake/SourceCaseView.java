package dev.postern.intake;

import dev.postern.domain.StatusChange;
import dev.postern.store.CaseStore;
import dev.postern.store.ReportStatus;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.VaultException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The case as the source sees it: the report's status and its history, each with its hour and its
 * name in the source's language, decrypted with the source's own report keys. Never the reason, never
 * who changed it, never a note (this class cannot reach notes: ArchitectureTest). Also remembers the
 * language the source uses, for the acknowledgement.
 */
public final class SourceCaseView {
    private static final Set<String> LANGUAGES = Set.of("en", "ru", "uk");
    private final CaseStore cases;

    public SourceCaseView(CaseStore cases) {
        this.cases = cases;
    }

    /** One status the report had. */
    public record Entry(long hour, String name) {
    }

    /**
     * What the source's page shows.
     *
     * @param current          the current status's name, or null before any change (the page
     *                         names the phase then)
     * @param phase            the report's coarse phase
     * @param organizationName the signer of every reply
     */
    public record Shown(String current, ReportStatus phase, List<Entry> history, String organizationName) {
    }

    public Shown of(SourceAccess access, ReportStatus phase, String lang) {
        String reportId = access.reportId();
        ReportKeys keys = access.keys();
        List<Entry> history = new ArrayList<>();
        for (CaseStore.SealedRow row : cases.statusChanges(reportId)) {
            if (!keys.holds(row.generation())) {
                continue;
            }
            try {
                StatusChange change = StatusChange.decode(keys.require(row.generation()).open(row.body(),
                        ObjectRef.statusChange(reportId, row.id())));
                history.add(new Entry(row.createdHour(), change.nameIn(lang)));
            } catch (VaultException | IllegalArgumentException e) {
                // An altered row: the desk logs it; the source is shown what does open.
            }
        }
        String current = history.isEmpty() ? null : history.get(history.size() - 1).name();
        return new Shown(current, phase, List.copyOf(history), cases.dates(reportId).organizationName());
    }

    /** The source is using {@code lang} on the report's pages: the acknowledgement will be in it. */
    public void rememberLanguage(SourceAccess access, String lang) {
        if (LANGUAGES.contains(lang)) {
            cases.setSourceLocale(access.reportId(), lang);
        }
    }
}

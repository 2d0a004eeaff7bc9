package dev.postern.sanitize;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a cleaner found and did to one file, collected while it works and turned into a report.
 * Entries keep their first-seen order and duplicates collapse, so a page with a thousand annotations
 * by one author reads as one line.
 */
public final class Findings {
    private final Set<String> removed = new LinkedHashSet<>();
    private final Set<String> masks = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final List<SanitizeReport> members = new ArrayList<>();

    /** A metadata field, part or stream that was found and is not in the copy. */
    public void removed(String what) {
        removed.add(what);
    }

    /** An opaque mask painted on the copy. */
    public void masked(String what) {
        masks.add(what);
    }

    /** Something that may still identify the source and that the tool cannot remove. */
    public void warn(String what) {
        warnings.add(what);
    }

    /** The report of one member of an archive. */
    public void member(SanitizeReport report) {
        members.add(report);
    }

    public List<String> removed() {
        return List.copyOf(removed);
    }

    public List<String> masks() {
        return List.copyOf(masks);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<SanitizeReport> members() {
        return List.copyOf(members);
    }
}

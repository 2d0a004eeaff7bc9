package dev.postern.desk;

import dev.postern.store.ReportStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A line of the desk's report list.
 *
 * @param designation   the report's human-friendly name ("amber heron 27"), shown instead of its id
 * @param activityHour  the source's latest activity (receipt, follow-up, file)
 * @param readable      false when no report key generation was wrapped to this recipient
 * @param headline      first words of the report, or empty when not readable
 * @param owner         the owner's shown name, or empty
 * @param collaborators the collaborators' shown names
 * @param labels        the label names
 * @param due           the nearest open EU due date, or null (clocks off, closed, or all done)
 * @param overdue       a due date has passed without the acknowledgement or feedback
 */
public record ReportListItem(String id, String designation, ReportStatus status, long createdHour, long activityHour,
                             boolean unread, boolean readable, String headline, int files, int messages, String owner,
                             List<String> collaborators, List<String> labels, LocalDate due, boolean overdue) {
    public ReportListItem {
        collaborators = List.copyOf(collaborators);
        labels = List.copyOf(labels);
    }

    /** An index entry as a line, with colleague and label ids put into names (unknown ids are left out). */
    static ReportListItem of(CaseIndex.Entry e, LocalDate due, boolean overdue, Map<String, String> colleagues,
                             Map<String, String> labelNames) {
        String owner = e.state().owner() == null ? "" : colleagues.getOrDefault(e.state().owner(), "");
        List<String> collaborators = e.state().collaborators().stream().map(colleagues::get)
                .filter(n -> n != null).sorted().toList();
        List<String> labels = e.state().labels().stream().map(labelNames::get).filter(n -> n != null).sorted().toList();
        return new ReportListItem(e.id(), e.designation(), e.status(), e.createdHour(), e.activityHour(), e.unread(),
                e.readable(), e.headline(), e.files(), e.messages(), owner, collaborators, labels, due, overdue);
    }

    /** The designation, or the start of the id for a report that has none yet. */
    public String name() {
        return designation.isEmpty() ? id.substring(0, 8) : designation;
    }
}

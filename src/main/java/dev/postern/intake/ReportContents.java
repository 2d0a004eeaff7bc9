package dev.postern.intake;

import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredMessage;
import dev.postern.store.StoredReport;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * A report decrypted for display: answers, the conversation and the evidence file list. Built the
 * same way for the source's conversation page and the recipients' desk.
 */
public record ReportContents(String reportId, ReportStatus status, long createdHour, Answers answers,
                             List<Entry> conversation, List<FileEntry> submittedFiles) {

    /** One message with the files that came with it. */
    public record Entry(String id, boolean fromSource, String text, long createdHour, boolean hiddenFromSource,
                        List<FileEntry> files) {
    }

    /** An evidence file: id, decrypted name, plaintext size. */
    public record FileEntry(String id, String name, long sizeBytes) {
    }

    /**
     * Decrypts {@code report}, each row with the key of its generation; throws VaultException if any
     * object was altered. Rows of a generation the reader does not hold (written after a rotation
     * that has not reached this reader yet: a source whose report predates its key pair, a holder
     * whose pin failed at the rotation) are left out, never shown half-read.
     */
    public static ReportContents read(Reports reports, StoredReport report, ReportKeys keys) {
        String id = report.id();
        // Answers are written once, with the report: always generation 0.
        Answers answers = Answers.decode(keys.require(0).open(report.answers(), ObjectRef.answers(id)));
        List<StoredFile> files = reports.files(id);
        List<FileEntry> submitted = new ArrayList<>();
        for (StoredFile f : files) {
            if (f.messageId() == null && keys.holds(f.keyGeneration())) {
                submitted.add(fileEntry(keys, f));
            }
        }
        List<Entry> conversation = new ArrayList<>();
        for (StoredMessage m : reports.messages(id)) {
            if (!keys.holds(m.keyGeneration())) {
                continue;
            }
            List<FileEntry> attached = new ArrayList<>();
            for (StoredFile f : files) {
                if (m.id().equals(f.messageId()) && keys.holds(f.keyGeneration())) {
                    attached.add(fileEntry(keys, f));
                }
            }
            // A reply the source deleted has no text left to decrypt.
            String text = m.hiddenFromSource() ? ""
                    : keys.require(m.keyGeneration()).openString(m.body(), ObjectRef.message(id, m.id()));
            conversation.add(new Entry(m.id(), m.author() == StoredMessage.Author.SOURCE, text, m.createdHour(),
                    m.hiddenFromSource(), List.copyOf(attached)));
        }
        return new ReportContents(id, report.status(), report.createdHour(), answers, List.copyOf(conversation),
                List.copyOf(submitted));
    }

    /** The one-line preview of a report for lists. */
    public static String headlineOf(StoredReport report, ReportKey key) {
        return answersOf(report.id(), report.answers(), key).headline();
    }

    /** A report's sealed answers, opened; VaultException if they were altered. */
    public static Answers answersOf(String reportId, byte[] sealedAnswers, ReportKey key) {
        return Answers.decode(key.open(sealedAnswers, ObjectRef.answers(reportId)));
    }

    static FileEntry fileEntry(ReportKeys keys, StoredFile f) {
        return new FileEntry(f.id(), keys.require(f.keyGeneration())
                .openString(f.name(), ObjectRef.fileName(f.reportId(), f.id())), f.sizeBytes());
    }

    /** What the source sees: replies they deleted are left out. */
    public ReportContents forSource() {
        return new ReportContents(reportId, status, createdHour, answers,
                conversation.stream().filter(e -> !e.hiddenFromSource()).toList(), submittedFiles);
    }
}

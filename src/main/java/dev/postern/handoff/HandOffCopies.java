package dev.postern.handoff;

import dev.postern.desk.DeskException;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OpenedEvidence;
import dev.postern.handoff.HandOffRequest.FileVariant;
import dev.postern.handoff.HandOffRequest.Span;
import dev.postern.handoff.HandOffSink.TextItem;
import dev.postern.intake.Answers;
import dev.postern.intake.ReportContents;
import dev.postern.sanitize.SanitizeReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link HandOffRequest} into the copies that leave: texts with their spans blacked out,
 * files as sanitized copies (the default) or originals. Every read goes through the desk's own
 * access checks with the recipient's session, so a hand-off can never carry more than its sender
 * can read.
 *
 * <p>Nothing is written to disk in plaintext: texts are in memory, files stream from the blob store
 * (and through a sanitizer worker's RAM-backed directory) straight into the sink.
 */
public class HandOffCopies {
    /** What replaces a blacked-out span in a text copy. Fixed, so its length says nothing. */
    public static final String MARK = "[REDACTED]";

    private final DeskService desk;

    public HandOffCopies(DeskService desk) {
        this.desk = desk;
    }

    /**
     * Writes what {@code request} chose into {@code sink}: answers first, then messages in
     * conversation order, then files in the order the report lists them.
     */
    public HandOffResult write(DeskSession session, HandOffRequest request, HandOffSink sink)
            throws DeskException, IOException {
        ReportContents contents = desk.open(session, request.reportId());
        Map<String, List<Span>> spans = request.redactions().text();
        int texts = 0;
        if (request.answers()) {
            Answers a = contents.answers();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(HandOffRequest.ANSWERS_WHAT, a.what());
            fields.put(HandOffRequest.ANSWERS_WHEN, a.when());
            fields.put(HandOffRequest.ANSWERS_WHERE, a.where());
            fields.put(HandOffRequest.ANSWERS_DETAILS, a.details());
            for (Map.Entry<String, String> f : fields.entrySet()) {
                sink.text(f.getKey(), new TextItem(TextItem.Kind.ANSWER, true, contents.createdHour(),
                        redact(f.getValue(), spans.getOrDefault(f.getKey(), List.of()))));
                texts++;
            }
        }
        List<ReportContents.FileEntry> allFiles = new ArrayList<>(contents.submittedFiles());
        for (ReportContents.Entry m : contents.conversation()) {
            allFiles.addAll(m.files());
            if (request.messageIds().contains(m.id()) && !m.hiddenFromSource()) {
                sink.text(m.id(), new TextItem(TextItem.Kind.MESSAGE, m.fromSource(), m.createdHour(),
                        redact(m.text(), spans.getOrDefault(m.id(), List.of()))));
                texts++;
            }
        }
        int files = 0;
        List<HandOffResult.LeftOut> leftOut = new ArrayList<>();
        for (ReportContents.FileEntry f : allFiles) {
            FileVariant variant = request.files().get(f.id());
            if (variant == null) {
                continue;
            }
            if (writeFile(session, request, f, variant, sink, leftOut)) {
                files++;
            }
        }
        return new HandOffResult(texts, files, leftOut);
    }

    /**
     * Writes one file's copy; false (and an entry in {@code leftOut}) when it could not be made.
     * Subclasses that apply PDF redactions and masks override this.
     */
    protected boolean writeFile(DeskSession session, HandOffRequest request, ReportContents.FileEntry f,
                                FileVariant variant, HandOffSink sink, List<HandOffResult.LeftOut> leftOut)
            throws DeskException, IOException {
        boolean redacts = request.redactions().pdf().containsKey(f.id()) || request.redactions().masks().containsKey(f.id());
        if (redacts) {
            throw new IllegalArgumentException("PDF redactions and masks are not applied by this copy maker");
        }
        if (variant == FileVariant.ORIGINAL) {
            OpenedEvidence evidence = desk.evidence(session, request.reportId(), f.id());
            try (InputStream in = Channels.newInputStream(evidence.opener().open());
                 OutputStream out = sink.file(f.id(), evidence.name())) {
                in.transferTo(out);
            }
            return true;
        }
        try {
            SanitizeReport report = desk.sanitizedCopy(session, request.reportId(), f.id(), name -> {
                try {
                    return sink.file(f.id(), name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!report.sanitized()) {
                leftOut.add(new HandOffResult.LeftOut(f.id(), f.name(), report.reason()));
                return false;
            }
            return true;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * {@code text} with every span replaced by {@link #MARK}; overlapping and touching spans merge
     * into one mark, and spans past the end are cut at the end.
     */
    public static String redact(String text, List<Span> spans) {
        if (spans.isEmpty() || text.isEmpty()) {
            return text;
        }
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::start));
        StringBuilder out = new StringBuilder();
        int pos = 0;
        int i = 0;
        while (i < sorted.size()) {
            int start = Math.min(sorted.get(i).start(), text.length());
            int end = Math.min(sorted.get(i).end(), text.length());
            i++;
            while (i < sorted.size() && sorted.get(i).start() <= end) {
                end = Math.max(end, Math.min(sorted.get(i).end(), text.length()));
                i++;
            }
            if (start >= text.length()) {
                break;
            }
            out.append(text, Math.max(pos, 0), Math.max(start, pos));
            out.append(MARK);
            pos = Math.max(pos, end);
        }
        out.append(text, Math.min(pos, text.length()), text.length());
        return out.toString();
    }
}

package dev.postern.handoff;

import dev.postern.sanitize.ManualMask;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a recipient chose to let leave the organization: which texts, which files and in which
 * variant, and what to black out. Forwarding (to another organization on this instance) and export
 * (to an outside body, as one OpenPGP message) both start from one of these; {@link HandOffCopies}
 * turns it into the copies that go.
 *
 * @param reportId   the report
 * @param answers    whether the source's answers go
 * @param messageIds the messages that go (source's and recipients'), in conversation order
 * @param files      file id to the variant that goes; files not named stay
 * @param redactions what to black out in what goes
 */
public record HandOffRequest(String reportId, boolean answers, Set<String> messageIds, Map<String, FileVariant> files,
                             Redactions redactions) {

    public HandOffRequest {
        messageIds = Set.copyOf(messageIds);
        files = Map.copyOf(files);
    }

    /** Which copy of an evidence file goes. Sanitized is the default in every form. */
    public enum FileVariant {
        /** Metadata removed, pixels and audio re-encoded, masks and PDF redactions applied. */
        SANITIZED,
        /** The file exactly as the source sent it (only when the recipient chose so explicitly). */
        ORIGINAL
    }

    /**
     * Spans to black out and regions to remove.
     *
     * @param text  text item key ({@link #ANSWERS_WHAT}... or a message id) to the spans to black out
     * @param pdf   file id to what to remove from that PDF
     * @param masks file id to opaque boxes painted over that image or video
     */
    public record Redactions(Map<String, List<Span>> text, Map<String, PdfRedaction> pdf,
                             Map<String, List<ManualMask>> masks) {
        public Redactions {
            text = Map.copyOf(text);
            pdf = Map.copyOf(pdf);
            masks = Map.copyOf(masks);
        }

        public static Redactions none() {
            return new Redactions(Map.of(), Map.of(), Map.of());
        }
    }

    /** Keys of the answers in {@link Redactions#text}. */
    public static final String ANSWERS_WHAT = "answers.what";
    public static final String ANSWERS_WHEN = "answers.when";
    public static final String ANSWERS_WHERE = "answers.where";
    public static final String ANSWERS_DETAILS = "answers.details";

    /** Characters {@code [start, end)} of a text item (UTF-16 indexes, as the desk shows them). */
    public record Span(int start, int end) {
        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a span needs 0 <= start < end");
            }
        }
    }

    /**
     * What to remove from a PDF, for good: the text, images and annotations under each term's
     * matches and under each region are gone from the copy, not covered.
     *
     * @param terms   words or phrases to remove wherever they occur (case-insensitive)
     * @param regions page regions to remove
     */
    public record PdfRedaction(List<String> terms, List<PageRegion> regions) {
        public PdfRedaction {
            terms = List.copyOf(terms);
            regions = List.copyOf(regions);
        }
    }

    /**
     * A rectangle on one page, in PDF points from the page's top-left corner (as a reader sees it).
     *
     * @param page 1-based page number
     */
    public record PageRegion(int page, float x, float y, float width, float height) {
        public PageRegion {
            if (page < 1 || x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("a region needs page >= 1, x,y >= 0 and width,height > 0");
            }
        }
    }
}

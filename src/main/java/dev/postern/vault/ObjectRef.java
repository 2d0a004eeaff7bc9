package dev.postern.vault;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Names one stored object of one report. Its bytes are the associated data of the object's
 * ciphertext, so a blob decrypts only as the object it was written as.
 *
 * @param reportId the report
 * @param kind     what the object is
 * @param objectId the object's id inside the report (the report id itself for report-wide objects)
 */
public record ObjectRef(String reportId, Kind kind, String objectId) {
    /** The kinds of stored objects. */
    public enum Kind {
        ANSWERS, MESSAGE, FILE_NAME, FILE_CONTENT,
        /**
         * Piece {@code n >= 1} of a resumable upload ({@code objectId} = file id + "." + n); piece 0
         * is written as the upload's {@link #fileContent}. Binding n means pieces decrypt only in
         * the order they were written.
         */
        UPLOAD_PIECE,
        /** The report's case snapshot (owner, collaborators, labels, status); object id = report id. */
        CASE_STATE,
        /** One status change (names at the time, reason, author); object id = the row's id. */
        STATUS_CHANGE,
        /** One internal note (author, text), never shown to the source; object id = the row's id. */
        NOTE
    }

    public ObjectRef {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(objectId, "objectId");
        if (reportId.contains("/") || objectId.contains("/")) {
            throw new IllegalArgumentException("ids cannot contain '/'");
        }
    }

    public static ObjectRef answers(String reportId) {
        return new ObjectRef(reportId, Kind.ANSWERS, reportId);
    }

    public static ObjectRef message(String reportId, String messageId) {
        return new ObjectRef(reportId, Kind.MESSAGE, messageId);
    }

    public static ObjectRef fileName(String reportId, String fileId) {
        return new ObjectRef(reportId, Kind.FILE_NAME, fileId);
    }

    public static ObjectRef caseState(String reportId) {
        return new ObjectRef(reportId, Kind.CASE_STATE, reportId);
    }

    public static ObjectRef statusChange(String reportId, String changeId) {
        return new ObjectRef(reportId, Kind.STATUS_CHANGE, changeId);
    }

    public static ObjectRef note(String reportId, String noteId) {
        return new ObjectRef(reportId, Kind.NOTE, noteId);
    }

    public static ObjectRef fileContent(String reportId, String fileId) {
        return new ObjectRef(reportId, Kind.FILE_CONTENT, fileId);
    }

    /**
     * Piece {@code seq} of a resumable upload whose file id is {@code fileId}: piece 0 is the file's
     * content object (a single-piece upload becomes the evidence blob by a rename), every later
     * piece its own object under {@link Kind#UPLOAD_PIECE}.
     */
    public static ObjectRef uploadPiece(String reportId, String fileId, int seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative piece number");
        }
        return seq == 0 ? fileContent(reportId, fileId) : new ObjectRef(reportId, Kind.UPLOAD_PIECE, fileId + "." + seq);
    }

    byte[] associatedData() {
        return ("postern/v1/report/" + reportId + "/" + kind.name().toLowerCase() + "/" + objectId)
                .getBytes(StandardCharsets.UTF_8);
    }
}

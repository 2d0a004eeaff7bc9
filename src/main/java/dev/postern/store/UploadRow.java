package dev.postern.store;

/**
 * One resumable upload's row.
 *
 * @param id          the unguessable id in its URL
 * @param fileId      the file id its pieces are bound to (piece 0 is this file's content object)
 * @param context     REPORT or MESSAGE: what the finished file becomes
 * @param name        ciphertext of the file name, bound to {@code fileId} (empty for a tombstone)
 * @param length      the file's declared size
 * @param committed   bytes in recorded pieces: the offset a client resumes from
 * @param pieces      recorded pieces (their seq numbers are 0 to pieces - 1)
 * @param finalFileId the fresh file id a multi-piece upload is re-encrypted into, once chosen
 * @param keyGeneration the report key generation its name, pieces and final file are sealed under
 */
public record UploadRow(String id, String reportId, String fileId, String context, byte[] name, long length,
                        long committed, int pieces, State state, long createdHour, long expiresHour,
                        String finalFileId, int keyGeneration) {
    /** An upload sealed under generation 0. */
    public UploadRow(String id, String reportId, String fileId, String context, byte[] name, long length,
                     long committed, int pieces, State state, long createdHour, long expiresHour,
                     String finalFileId) {
        this(id, reportId, fileId, context, name, length, committed, pieces, state, createdHour, expiresHour,
                finalFileId, 0);
    }

    /** Where an upload is in its life. */
    public enum State {
        /** Pieces arrive. */
        RECEIVING,
        /** Every byte is recorded; the pieces are being turned into an evidence file. */
        FINISHING,
        /** It became evidence (tombstone, so a late DELETE gets 409 instead of 404). */
        FINISHED,
        /** Terminated or expired (tombstone, so clients get 410). */
        GONE
    }
}

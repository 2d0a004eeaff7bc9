package dev.postern.intake;

/**
 * A resumable upload of the source's report that has not arrived completely: what the report page
 * lists so the source can pick the same file again and continue from {@code offset}.
 *
 * @param id       the upload's unguessable id (the last segment of its URL)
 * @param fileName the name the source gave it (decrypted with the session's report key)
 * @param length   the file's full size in bytes
 * @param offset   bytes the server has kept so far
 * @param context  "report" for a file of the report, "message" for a file of a follow-up
 */
public record UnfinishedUpload(String id, String fileName, long length, long offset, String context) {
}

package dev.postern.store;

/**
 * An evidence file's row; the content is a blob in {@link BlobStore}.
 *
 * @param messageId the follow-up message it came with, or null for the first submission
 * @param name      ciphertext of the file name
 * @param sizeBytes plaintext size
 * @param keyGeneration the report key generation its name and content are sealed under
 */
public record StoredFile(String id, String reportId, String messageId, byte[] name, long sizeBytes, long createdHour,
                         int keyGeneration) {
    /** A file sealed under generation 0 (a report nobody has rotated). */
    public StoredFile(String id, String reportId, String messageId, byte[] name, long sizeBytes, long createdHour) {
        this(id, reportId, messageId, name, sizeBytes, createdHour, 0);
    }

}

package dev.postern.store;

/**
 * An evidence file's row; the content is a blob in {@link BlobStore}.
 *
 * @param messageId the follow-up message it came with, or null for the first submission
 * @param name      ciphertext of the file name
 * @param sizeBytes plaintext size
 */
public record StoredFile(String id, String reportId, String messageId, byte[] name, long sizeBytes, long createdHour) {
}

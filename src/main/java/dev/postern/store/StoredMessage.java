package dev.postern.store;

/**
 * One message of a report's conversation.
 *
 * @param recipientId the author when a recipient wrote it, else null
 * @param body        ciphertext
 * @param hiddenFromSource the source deleted this reply from their view
 * @param keyGeneration the report key generation {@code body} is sealed under
 */
public record StoredMessage(String id, String reportId, Author author, String recipientId, byte[] body,
                            long createdHour, boolean hiddenFromSource, int keyGeneration) {
    /** A message sealed under generation 0 (a report nobody has rotated). */
    public StoredMessage(String id, String reportId, Author author, String recipientId, byte[] body,
                         long createdHour, boolean hiddenFromSource) {
        this(id, reportId, author, recipientId, body, createdHour, hiddenFromSource, 0);
    }

    /** Who wrote a message. */
    public enum Author { SOURCE, RECIPIENT }
}

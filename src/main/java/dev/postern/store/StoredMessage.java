package dev.postern.store;

/**
 * One message of a report's conversation.
 *
 * @param recipientId the author when a recipient wrote it, else null
 * @param body        ciphertext
 * @param hiddenFromSource the source deleted this reply from their view
 */
public record StoredMessage(String id, String reportId, Author author, String recipientId, byte[] body,
                            long createdHour, boolean hiddenFromSource) {
    /** Who wrote a message. */
    public enum Author { SOURCE, RECIPIENT }
}

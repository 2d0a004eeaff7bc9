package dev.postern.store;

/**
 * A piece of a report's text a desk session's search index decrypts: a message, a file name or a
 * note, with the key generation it is sealed under.
 */
public record SealedText(String reportId, Kind kind, String objectId, int generation, byte[] body) {
    public enum Kind { MESSAGE, FILE_NAME, NOTE }
}

package dev.postern.store;

/**
 * An organization that receives reports: a newsroom, an investigating office.
 *
 * @param notice its own short text on its source page (who it is, how to support it); plain text
 */
public record Organization(String id, String slug, String name, String notice) {
}

package dev.postern.desk;

/**
 * The texts an organization starts with (status names, the acknowledgement template) in one of the
 * source languages, from the message bundles: the desk package knows no web layer, so the bootstrap
 * hands them in.
 */
@FunctionalInterface
public interface DefaultTexts {
    String text(String key, String lang);
}

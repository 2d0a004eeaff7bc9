package dev.postern.config;

/** A configuration value is missing or invalid; the message says which and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

package dev.postern.config;

import java.util.Objects;

/**
 * A secret configuration value (a database password, say). Its {@link #toString()} never shows the
 * value, so a secret cannot leak through a log line or an exception message that prints a config.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; call only where the value is handed to the system that needs it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // equal secrets must hash alike; a constant leaks nothing about the value
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }
}

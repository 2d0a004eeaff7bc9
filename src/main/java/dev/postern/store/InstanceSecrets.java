package dev.postern.store;

import dev.postern.vault.Crypto;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Random per-instance values (the receipt salt, the form-token key), created on first use. */
public final class InstanceSecrets {
    private final Jdbi jdbi;

    public InstanceSecrets(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The named secret, created with {@code length} random bytes if it does not exist yet. */
    public byte[] getOrCreate(String name, int length) {
        Optional<byte[]> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] fresh = Crypto.randomBytes(length);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO instance_secret (name, secret) VALUES (:n, :s)")
                    .bind("n", name).bind("s", fresh).execute());
            return fresh;
        } catch (RuntimeException raced) {
            // Another node created it first; use theirs.
            return find(name).orElseThrow(() -> raced);
        }
    }

    private Optional<byte[]> find(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT secret FROM instance_secret WHERE name = :n")
                .bind("n", name).mapTo(byte[].class).findOne());
    }
}

package dev.postern.vault;

import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) from Bouncy Castle, for passwords and receipts.
 *
 * <p>Security guarantees: each guess at the secret costs {@link Argon2Params#memoryKib()} of
 * memory and {@link Argon2Params#iterations()} passes over it.
 *
 * <p>WARNING: every call holds 64 MiB or more. Calls are gated by a semaphore (two at a time on
 * this class) so a burst of logins or receipt attempts cannot exhaust the heap.
 */
public final class Argon2id {
    public static final int OUTPUT_BYTES = 32;
    private static final Semaphore GATE = new Semaphore(2, true);

    private Argon2id() {
    }

    /** Derives {@link #OUTPUT_BYTES} bytes from {@code secret} (UTF-8 bytes of a password or receipt). */
    public static byte[] derive(byte[] secret, byte[] salt, Argon2Params params) {
        if (salt.length < 16) {
            throw new IllegalArgumentException("salt must be at least 16 bytes");
        }
        Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(p);
        byte[] out = new byte[OUTPUT_BYTES];
        GATE.acquireUninterruptibly();
        try {
            generator.generateBytes(secret, out);
        } finally {
            GATE.release();
        }
        return out;
    }
}

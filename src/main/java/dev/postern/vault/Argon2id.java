package dev.postern.vault;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) from Bouncy Castle, for passwords and receipts.
 *
 * <p>Security guarantees: each guess at the secret costs {@link Argon2Params#memoryKib()} of
 * memory and {@link Argon2Params#iterations()} passes over it.
 *
 * <p>WARNING: every call holds 64 MiB or more and a core for a quarter of a second. Calls run on a
 * small pool of platform threads (one fewer than the cores, at least one and at most two, so at
 * most 128 MiB is ever held), never on the caller's thread: a burst of submissions, logins or receipt attempts then queues here instead of exhausting
 * the heap or occupying every carrier thread of the virtual-thread scheduler, which would stall
 * every page of the site.
 */
public final class Argon2id {
    public static final int OUTPUT_BYTES = 32;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1)),
            Thread.ofPlatform().daemon().name("argon2id-", 0).factory());

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
        Future<byte[]> result = POOL.submit(() -> {
            byte[] out = new byte[OUTPUT_BYTES];
            generator.generateBytes(secret, out);
            return out;
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish: the caller's secret-derived state must not be half made
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Argon2id failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

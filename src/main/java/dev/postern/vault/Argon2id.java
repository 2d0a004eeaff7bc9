package dev.postern.vault;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) from Bouncy Castle, for passwords and receipts.
 *
 * <p>Security guarantees: each guess at the secret costs {@link Argon2Params#memoryKib()} of
 * memory and {@link Argon2Params#iterations()} passes over it.
 *
 * <p>WARNING: every call holds 64 MiB or more and a core for a quarter of a second or more. Calls
 * never run on the caller's thread but in one of two {@link Argon2Lane lanes} of platform threads:
 * {@link #SOURCES} (new reports, receipt checks) and {@link #DESK} (logins, password changes).
 * Each lane has its own threads (half the cores, at least one and at most two, so at most
 * 256 MiB is ever held) and a short bounded queue; a full lane refuses at once with
 * {@link Argon2Refused}. So a flood of logins cannot delay a source's report, a flood of receipts
 * cannot keep recipients out, and neither can exhaust the heap or the virtual-thread carriers.
 */
public final class Argon2id {
    public static final int OUTPUT_BYTES = 32;
    private static final int THREADS_PER_LANE =
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));
    /**
     * Sources: a few waiting places, so a burst of honest receipts and reports is served in turn;
     * 8 waiting evaluations of ~0.3-0.6 s each is a wait of a few seconds, which Tor users tolerate.
     */
    public static final Argon2Lane SOURCES = new Argon2Lane("sources", THREADS_PER_LANE, 8, Duration.ofSeconds(20));
    /** The desk: a handful of staff log in now and then; a longer queue would only serve a flood. */
    public static final Argon2Lane DESK = new Argon2Lane("desk", THREADS_PER_LANE, 4, Duration.ofSeconds(20));

    /** Who asks: the lane to queue in, and whether the answer is still wanted (the client is there). */
    public record Caller(Argon2Lane lane, BooleanSupplier stillWanted) {
        /** Work nobody can abandon (command line, start-up), in the desk's lane. */
        public static final Caller LOCAL = new Caller(DESK, () -> true);

        public static Caller source(BooleanSupplier stillWanted) {
            return new Caller(SOURCES, stillWanted);
        }

        public static Caller desk(BooleanSupplier stillWanted) {
            return new Caller(DESK, stillWanted);
        }
    }

    private Argon2id() {
    }

    /** Derives {@link #OUTPUT_BYTES} bytes from {@code secret}, as work nobody abandons. */
    public static byte[] derive(byte[] secret, byte[] salt, Argon2Params params) {
        return derive(secret, salt, params, Caller.LOCAL);
    }

    /**
     * Derives {@link #OUTPUT_BYTES} bytes from {@code secret} (UTF-8 bytes of a password or receipt).
     *
     * @throws Argon2Refused when the caller's lane is full or the caller has gone
     */
    public static byte[] derive(byte[] secret, byte[] salt, Argon2Params params, Caller caller) {
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
        return caller.lane().run(() -> {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(p);
            byte[] out = new byte[OUTPUT_BYTES];
            generator.generateBytes(secret, out);
            return out;
        }, caller.stillWanted());
    }
}

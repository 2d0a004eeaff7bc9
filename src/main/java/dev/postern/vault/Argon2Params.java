package dev.postern.vault;

/**
 * Argon2id cost parameters. Stored beside everything derived with them, so they can be raised
 * later without breaking what exists.
 *
 * @param memoryKib   memory in KiB; at least 64 MiB for anything a server stores
 * @param iterations  passes; at least 3
 * @param parallelism lanes
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option, memory-constrained). */
    public static final Argon2Params DEFAULT = new Argon2Params(64 * 1024, 3, 1);

    public Argon2Params {
        if (memoryKib < 64 * 1024 || iterations < 3 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2id parameters below the floor (64 MiB, 3 passes): "
                    + memoryKib + " KiB, " + iterations + " passes");
        }
    }
}

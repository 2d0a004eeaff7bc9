package dev.postern.sanitize;

import java.time.Duration;

/**
 * Bounds that keep a hostile file from exhausting memory, disk or time.
 *
 * @param maxInputBytes            largest file accepted at all
 * @param maxPixels                largest image (width x height) decoded; larger is refused before decoding
 * @param maxArchiveMembers        most members in one ZIP/TAR (counted across nesting)
 * @param maxArchiveExpandedBytes  most bytes expanded from one archive, all levels together
 * @param maxArchiveDepth          deepest nesting of archives inside archives
 * @param maxPartBytes             largest single XML part of an Office/ODF/EPUB package, once expanded
 * @param timeout                  wall-clock limit for one file (media tools are killed when it passes)
 */
public record SanitizeLimits(long maxInputBytes, long maxPixels, int maxArchiveMembers,
                             long maxArchiveExpandedBytes, int maxArchiveDepth, long maxPartBytes,
                             Duration timeout) {

    /**
     * Defaults sized for a 24 GiB, 2-core desk machine and leaked videos of a few GiB. The pixel
     * limit also follows this JVM's heap ({@link DecodeLimits#pixelsFor}): a worker process started
     * with {@code -Xmx1024m} decodes at most 67 million pixels, and refuses a larger picture with a
     * reason instead of running out of memory.
     */
    public static SanitizeLimits defaults() {
        long pixels = Math.min(150_000_000L, DecodeLimits.pixelsFor(Runtime.getRuntime().maxMemory()));
        return new SanitizeLimits(8L << 30, pixels, 10_000, 8L << 30, 4, 256L << 20, Duration.ofMinutes(30));
    }

    public SanitizeLimits withTimeout(Duration t) {
        return new SanitizeLimits(maxInputBytes, maxPixels, maxArchiveMembers, maxArchiveExpandedBytes,
                maxArchiveDepth, maxPartBytes, t);
    }

    public SanitizeLimits withArchive(int members, long expandedBytes, int depth) {
        return new SanitizeLimits(maxInputBytes, maxPixels, members, expandedBytes, depth, maxPartBytes, timeout);
    }

    public SanitizeLimits withMaxPixels(long pixels) {
        return new SanitizeLimits(maxInputBytes, pixels, maxArchiveMembers, maxArchiveExpandedBytes,
                maxArchiveDepth, maxPartBytes, timeout);
    }
}

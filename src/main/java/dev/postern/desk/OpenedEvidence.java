package dev.postern.desk;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * An evidence file opened for download: its name, plaintext size and a source of decrypted bytes
 * with random access (for HTTP range requests).
 */
public record OpenedEvidence(String name, long sizeBytes, Opener opener) {
    /** Opens a fresh decrypting channel; the caller closes it. */
    @FunctionalInterface
    public interface Opener {
        SeekableByteChannel open() throws IOException;
    }
}

package dev.postern.desk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where decrypted evidence may sit while it is sanitized: a directory on a RAM-backed file system
 * (tmpfs), never on disk. Media tools and PDF/ZIP parsers need real files, and Postern's promise is
 * that plaintext never touches disk, so without such a directory the desk offers no sanitized
 * copies.
 */
public final class RamWorkspace {
    private RamWorkspace() {
    }

    /** {@code /dev/shm} when it is a tmpfs or ramfs mount, else empty. */
    public static Optional<Path> find() {
        return find(Path.of("/proc/mounts"), Path.of("/dev/shm"));
    }

    static Optional<Path> find(Path mounts, Path candidate) {
        try {
            if (!Files.isDirectory(candidate) || !Files.isWritable(candidate)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(mounts);
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[1].equals(candidate.toString()) && (f[2].equals("tmpfs") || f[2].equals("ramfs"))) {
                    return Optional.of(candidate);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}

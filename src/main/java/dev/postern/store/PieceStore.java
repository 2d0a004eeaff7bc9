package dev.postern.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pieces of unfinished resumable uploads: {@code pieces/<upload id>/<seq>}, each a complete
 * ciphertext object written by the caller's encrypting stream. A piece is written as
 * {@code <seq>.part} and renamed when closed and forced to disk, so a piece without the suffix is
 * whole. This class stores ciphertext only; it never sees a key.
 */
public final class PieceStore {
    /** Upload ids: 32 random bytes, base64url without padding. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private final Path root;

    public PieceStore(Path dataDir) {
        try {
            this.root = Files.createDirectories(dataDir.resolve("pieces")).toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot create the pieces directory under " + dataDir, e);
        }
    }

    public static boolean isValidUploadId(String id) {
        return id != null && UPLOAD_ID.matcher(id).matches();
    }

    /** A piece being written. Close it with {@link #seal} (then record it) or {@link #discard}. */
    public final class Piece implements AutoCloseable {
        private final Path part;
        private final Path done;
        private final BackgroundFileWriter out;
        private boolean sealed;

        private Piece(Path part, Path done) throws IOException {
            this.part = part;
            this.done = done;
            this.out = new BackgroundFileWriter(
                    FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }

        /** Where the ciphertext goes; the caller's encrypting stream closes it. */
        public OutputStream output() {
            return out;
        }

        /**
         * Makes the piece whole on disk: waits for every byte, forces it, renames it without its
         * suffix and forces the directory, so a recorded piece survives a crash. The caller's
         * encrypting stream must be closed first (that writes its last segment).
         */
        public void seal() throws IOException {
            out.close();
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
            sealed = true;
            roundTimesDown(done);
            roundTimesDown(done.getParent());
            forceDirectory(done.getParent());
        }

        /** Deletes what was written, sealed or not (a piece that was not recorded). */
        public void discard() {
            out.abort();
            try {
                Files.deleteIfExists(part);
                Files.deleteIfExists(done);
                roundTimesDown(part.getParent());
            } catch (IOException ignored) {
                // the start-up sweep removes it
            }
        }

        /** Discards the piece unless it was sealed (recording is the caller's). */
        @Override
        public void close() {
            if (!sealed) {
                discard();
            }
        }
    }

    /**
     * Starts piece {@code seq} of an upload; a leftover of an unrecorded attempt is replaced.
     *
     * @throws IOException also when the upload's folder went away meanwhile (it was terminated)
     */
    public Piece begin(String uploadId, int seq) throws IOException {
        Path dir = Files.createDirectories(dir(uploadId));
        Path part = dir.resolve(seq + ".part");
        Path done = dir.resolve(Integer.toString(seq));
        Files.deleteIfExists(part);
        Files.deleteIfExists(done);
        Piece piece = new Piece(part, done);
        roundTimesDown(dir);
        roundTimesDown(root);
        return piece;
    }

    /** The ciphertext of a sealed piece. */
    public InputStream open(String uploadId, int seq) throws IOException {
        return Files.newInputStream(path(uploadId, seq));
    }

    /** Where a sealed piece is (for the rename of a single-piece upload into the blob store). */
    public Path path(String uploadId, int seq) {
        if (seq < 0) {
            throw new StoreException("negative piece number");
        }
        return dir(uploadId).resolve(Integer.toString(seq));
    }

    public boolean exists(String uploadId, int seq) {
        return Files.isRegularFile(path(uploadId, seq), LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes every piece of an upload and its directory; safe when there is none. */
    public void deleteAll(String uploadId) {
        Path dir = dir(uploadId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
            roundTimesDown(root);
        } catch (DirectoryNotEmptyException | NoSuchFileException raced) {
            // A writer that had not yet seen the termination added or removed a piece meanwhile;
            // it discards its own piece, and the start-up sweep removes a folder no row names.
        } catch (IOException e) {
            throw new StoreException("cannot delete the pieces of an upload", e);
        }
    }

    /**
     * Start-up sweep: deletes {@code *.part} files (pieces a crash interrupted), sealed pieces that
     * no recorded row names ({@code known} holds "upload id/seq"), and folders left empty. Returns
     * how many files were removed.
     */
    public int sweep(Collection<String[]> knownUploadAndSeq) {
        Set<String> known = new HashSet<>();
        for (String[] k : knownUploadAndSeq) {
            known.add(k[0] + "/" + k[1]);
        }
        int removed = 0;
        try (DirectoryStream<Path> uploads = Files.newDirectoryStream(root)) {
            for (Path dir : uploads) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(dir);
                    removed++;
                    continue;
                }
                boolean left = false;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        if (known.contains(dir.getFileName() + "/" + f.getFileName())) {
                            left = true;
                        } else {
                            Files.deleteIfExists(f);
                            removed++;
                        }
                    }
                }
                if (left) {
                    roundTimesDown(dir);
                } else {
                    Files.deleteIfExists(dir);
                }
            }
            roundTimesDown(root);
        } catch (IOException e) {
            throw new StoreException("start-up sweep of pieces failed", e);
        }
        return removed;
    }

    private Path dir(String uploadId) {
        if (!isValidUploadId(uploadId)) {
            throw new StoreException("malformed upload id");
        }
        Path dir = root.resolve(uploadId);
        if (Files.isSymbolicLink(dir)) {
            throw new StoreException("piece directory is a symbolic link");
        }
        return dir;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic.
        }
    }

    /** File and folder times no finer than the hour: the exact time a piece was written would date a PATCH. */
    private static void roundTimesDown(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        long modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
        FileTime hour = FileTime.from(Instant.ofEpochSecond(Hours.floor(modified)));
        Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(hour, hour, hour);
    }
}

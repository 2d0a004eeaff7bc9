package dev.postern.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Encrypted evidence blobs on disk: {@code blobs/<report id>/<file id>}. Uploads are written to
 * {@code incoming/} first and moved into place only when complete, so a blob that is visible under
 * {@code blobs/} is whole. This class stores ciphertext only; it never sees a key.
 *
 * <p>Every path is built from validated ids and checked to stay inside the store (no symlink
 * escapes).
 */
public final class BlobStore {
    private final Path blobs;
    private final Path incoming;

    public BlobStore(Path dataDir) {
        try {
            this.blobs = Files.createDirectories(dataDir.resolve("blobs")).toRealPath();
            this.incoming = Files.createDirectories(dataDir.resolve("incoming")).toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot create blob directories under " + dataDir, e);
        }
    }

    /** A blob being written. Close the stream, then {@link #commit} or {@link #discard}. */
    public final class Staged implements AutoCloseable {
        private final Path file;
        private final BackgroundFileWriter out;

        private Staged(Path file) throws IOException {
            this.file = file;
            this.out = new BackgroundFileWriter(
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }

        /** Where the ciphertext goes. Closing it flushes it to disk. */
        public OutputStream output() {
            return out;
        }

        /**
         * Moves the complete blob into place as {@code reportId/fileId}. Its modification and
         * access times, its folder's, {@code blobs/}'s and {@code incoming/}'s (each of which the
         * move just changed) are set to {@code hourEpochSeconds}, so the file system keeps source
         * times no finer than the database does. Inode change times (ctime) cannot be set by any
         * program; docs/security.md lists them.
         */
        public void commit(String reportId, String fileId, long hourEpochSeconds) throws IOException {
            out.close();
            moveIntoPlace(file, reportId, fileId, hourEpochSeconds);
            setTimes(incoming, hourEpochSeconds);
        }

        /** Deletes what was written; safe to call after commit or twice. */
        public void discard() {
            out.abort();
            try {
                Files.deleteIfExists(file);
                roundTimesDown(incoming);
            } catch (IOException ignored) {
                // the start-up sweep removes it
            }
        }

        @Override
        public void close() {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                discard();
            }
        }
    }

    /** Starts a new blob under {@code incoming/}. */
    public Staged stage() {
        try {
            Staged staged = new Staged(incoming.resolve(Ids.newId() + ".part"));
            roundTimesDown(incoming);
            return staged;
        } catch (IOException e) {
            throw new StoreException("cannot create a blob", e);
        }
    }

    /**
     * Moves a complete ciphertext object written elsewhere in the data directory (the only piece of
     * a resumable upload, written as this file's content) into place as {@code reportId/fileId},
     * with the same hour times as {@link Staged#commit}: a rename, no copy.
     */
    public void adopt(Path ciphertext, String reportId, String fileId, long hourEpochSeconds) throws IOException {
        moveIntoPlace(ciphertext, reportId, fileId, hourEpochSeconds);
    }

    /**
     * Renames a complete blob to {@code reportId/fileId} and sets the blob's, its folder's and
     * {@code blobs/}'s times to the hour, since the move just changed the folders' times.
     */
    private void moveIntoPlace(Path source, String reportId, String fileId, long hourEpochSeconds)
            throws IOException {
        Path dir = Files.createDirectories(reportDir(reportId));
        Path target = dir.resolve(checkedId(fileId));
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        setTimes(target, hourEpochSeconds);
        setTimes(dir, hourEpochSeconds);
        setTimes(blobs, hourEpochSeconds);
    }

    /** Whether the committed blob of a file is there. */
    public boolean exists(String reportId, String fileId) {
        return Files.isRegularFile(path(reportId, fileId), LinkOption.NOFOLLOW_LINKS);
    }

    /** The committed blob of a file; throws if the ids are malformed or the path leaves the store. */
    public Path path(String reportId, String fileId) {
        Path p = reportDir(reportId).resolve(checkedId(fileId));
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Path real = p.toRealPath();
                if (!real.startsWith(blobs) || Files.isSymbolicLink(p)) {
                    throw new StoreException("blob path leaves the store");
                }
                return real;
            } catch (IOException e) {
                throw new StoreException("cannot resolve blob", e);
            }
        }
        return p;
    }

    /** Deletes a committed blob (its row was never written); safe when it does not exist. */
    public void delete(String reportId, String fileId) {
        try {
            Path p = path(reportId, fileId);
            Files.deleteIfExists(p);
            if (Files.isDirectory(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                roundTimesDown(p.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("cannot delete blob", e);
        }
    }

    private Path reportDir(String reportId) {
        Path dir = blobs.resolve(checkedId(reportId));
        if (!dir.normalize().startsWith(blobs)) {
            throw new StoreException("blob path leaves the store");
        }
        if (Files.isSymbolicLink(dir)) {
            throw new StoreException("blob directory is a symbolic link");
        }
        return dir;
    }

    private static String checkedId(String id) {
        if (!Ids.isValid(id)) {
            throw new StoreException("malformed id");
        }
        return id;
    }

    /**
     * Start-up sweep: removes unfinished uploads and blobs that no committed row names (a crash
     * between moving a blob and committing its row). Returns how many files were removed.
     */
    public int sweep(List<String[]> knownReportAndFileIds) {
        Set<String> known = new HashSet<>();
        for (String[] k : knownReportAndFileIds) {
            known.add(k[0] + "/" + k[1]);
        }
        int removed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
                removed++;
            }
            try (Stream<Path> reportDirs = Files.list(blobs)) {
                for (Path dir : reportDirs.toList()) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(dir);
                        removed++;
                        continue;
                    }
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path f : files.toList()) {
                            if (!known.contains(dir.getFileName() + "/" + f.getFileName())) {
                                Files.deleteIfExists(f);
                                removed++;
                            }
                        }
                    }
                    try (Stream<Path> left = Files.list(dir)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(dir);
                        } else {
                            roundTimesDown(dir);
                        }
                    }
                }
            }
            roundTimesDown(incoming);
            roundTimesDown(blobs);
        } catch (IOException e) {
            throw new StoreException("start-up sweep failed", e);
        }
        return removed;
    }

    private static void setTimes(Path path, long epochSeconds) throws IOException {
        FileTime hour = FileTime.from(Instant.ofEpochSecond(epochSeconds));
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(hour, hour, hour);
    }

    /**
     * Sets a directory's times to the start of the hour of its modification time: a file was
     * just created or removed in it, and the exact time of that would date an upload.
     */
    private static void roundTimesDown(Path dir) throws IOException {
        long modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
        setTimes(dir, Hours.floor(modified));
    }
}

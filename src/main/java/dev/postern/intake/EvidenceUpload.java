package dev.postern.intake;

import dev.postern.config.UploadLimits;
import dev.postern.store.BlobStore;
import dev.postern.store.Ids;
import dev.postern.store.ReportUsage;
import dev.postern.store.StoredFile;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Files of one submission or follow-up, encrypted as they stream in. In batch mode nothing is
 * visible until {@link #commitBlobs} and the caller's database transaction; in commit-each mode
 * (a {@link Committer}) every file is committed on its own the moment its last byte is encrypted,
 * so a cut connection loses only the file in flight. {@link #close} discards whatever was not
 * committed, so an aborted upload leaves only ciphertext that is deleted at once (or by the
 * start-up sweep after a crash).
 *
 * <p>The report's limits (bytes, file count) count what the report already holds ({@code base}).
 */
final class EvidenceUpload implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private final BlobStore blobs;
    private final UploadLimits limits;
    private final DiskFloor floor;
    private final String reportId;
    private final ReportKey key;
    /** The generation of {@link #key}, recorded with every file row. */
    private final int generation;
    private final List<Pending> pending = new ArrayList<>();
    /** Every blob started, finished or not, so {@link #close} can discard what was not committed. */
    private final List<BlobStore.Staged> unfinished = new ArrayList<>();
    private final ReportUsage base;
    private final Committer eachFile;
    /** Files kept by this request: pending (batch mode) or committed (commit-each mode). */
    private int kept;
    private long totalBytes;
    /** Bytes written since free space was last looked at. */
    private long sinceFloorCheck;

    private record Pending(String fileId, byte[] sealedName, long size, BlobStore.Staged staged) {
    }

    /** Commits each file of a commit-each upload, after its blob was moved into place. */
    interface Committer {
        /** The hour the file is recorded at. */
        long hour();

        /**
         * Whether a file of this name and size was already kept under the same form (a resend
         * after a cut): its blob is then discarded instead of committed.
         */
        boolean alreadyKept(String name, long size);

        /** The largest size a file of this name was kept with under the same form, or -1. */
        long largestKept(String name);

        /** Records the file; a RuntimeException here deletes its blob again. */
        void commit(StoredFile row, String name) throws IntakeException;
    }

    /** A batch upload for a new report (nothing held yet). */
    EvidenceUpload(BlobStore blobs, UploadLimits limits, DiskFloor floor, String reportId, ReportKeys keys) {
        this(blobs, limits, floor, reportId, keys, new ReportUsage(0, 0), null);
    }

    /**
     * @param base     what the report already holds, counted against its limits
     * @param eachFile null: batch mode ({@link #commitBlobs}); otherwise each file is committed at its end
     */
    EvidenceUpload(BlobStore blobs, UploadLimits limits, DiskFloor floor, String reportId, ReportKeys keys,
                   ReportUsage base, Committer eachFile) {
        this.base = base;
        this.eachFile = eachFile;
        this.blobs = blobs;
        this.limits = limits;
        this.floor = floor;
        this.reportId = reportId;
        this.key = keys.current();
        this.generation = keys.currentGeneration();
    }

    /**
     * One file being received: bytes are encrypted as they are written. Push-style, so a
     * multipart parser can hand over each chunk of the body as it arrives.
     */
    final class FileWriter implements IntakeService.IncomingFile {
        private final String name;
        private final String fileId;
        private final BlobStore.Staged staged;
        private final OutputStream out;
        /**
         * The largest size a file of this name was kept with under the same form (-1: none): up to
         * it, this may be a resend of that file, whose bytes must not count twice against the report.
         */
        private final long mayRepeat;
        private long size;
        /** Whether this file's bytes count against the report (always, once past {@link #mayRepeat}). */
        private boolean counted;

        private FileWriter(String name, String fileId, BlobStore.Staged staged, long mayRepeat) throws IOException {
            this.name = name;
            this.fileId = fileId;
            this.staged = staged;
            this.mayRepeat = mayRepeat;
            this.out = key.encrypting(staged.output(), ObjectRef.fileContent(reportId, fileId));
        }

        /**
         * Encrypts the next bytes; refuses them past the per-file or per-submission limit, and stops
         * the upload when free space has fallen to the disk floor.
         */
        @Override
        public void write(byte[] b, int off, int len) throws IntakeException {
            size += len;
            if (size > limits.fileBytes()) {
                throw new IntakeException(IntakeException.Reason.FILE_TOO_LARGE);
            }
            if (size > mayRepeat) {
                count(counted ? len : size);
            }
            sinceFloorCheck += len;
            if (sinceFloorCheck >= DiskFloor.CHECK_EVERY_BYTES) {
                sinceFloorCheck = 0;
                floor.check();
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                // A full disk (the floor set to 0, or another process filling it) is told to the
                // source as such; any other failure of our side is not the source's fault.
                floor.check();
                throw new UncheckedIOException(e);
            }
        }

        private void count(long bytes) throws IntakeException {
            counted = true;
            totalBytes += bytes;
            if (base.bytes() + totalBytes > limits.reportBytes()) {
                throw new IntakeException(IntakeException.Reason.REPORT_TOO_LARGE);
            }
        }

        /**
         * The file is complete: finishes its ciphertext and keeps it for {@link #commitBlobs}, or
         * (commit-each mode) commits it now, unless it repeats a file kept under the same form.
         */
        @Override
        public void finish() throws IOException, IntakeException {
            out.close();
            byte[] sealedName = key.seal(name, ObjectRef.fileName(reportId, fileId));
            if (eachFile == null) {
                pending.add(new Pending(fileId, sealedName, size, staged));
                kept++;
                return;
            }
            if (eachFile.alreadyKept(name, size)) {
                // Sent again after a cut: the copy kept the first time stands; this one is dropped.
                staged.discard();
                return;
            }
            if (mayRepeat >= 0) {
                // Not a resend after all: its bytes and its place count now.
                if (!counted) {
                    count(size);
                }
                if (base.files() + kept >= limits.filesPerSubmission()) {
                    throw new IntakeException(IntakeException.Reason.TOO_MANY_FILES);
                }
            }
            long hour = eachFile.hour();
            staged.commit(reportId, fileId, hour);
            try {
                eachFile.commit(new StoredFile(fileId, reportId, null, sealedName, size, hour, generation), name);
            } catch (RuntimeException | IntakeException e) {
                blobs.delete(reportId, fileId);
                throw e;
            }
            kept++;
        }
    }

    /** Starts receiving a file; checks its name and the file count first. */
    FileWriter begin(String fileName) throws IOException, IntakeException {
        String name = FileNames.check(fileName);
        long mayRepeat = eachFile == null ? -1 : eachFile.largestKept(name);
        // A possible resend of a kept file takes no new place; decided at its end.
        if (mayRepeat < 0 && base.files() + kept >= limits.filesPerSubmission()) {
            throw new IntakeException(IntakeException.Reason.TOO_MANY_FILES);
        }
        BlobStore.Staged staged = blobs.stage();
        unfinished.add(staged);
        return new FileWriter(name, Ids.newId(), staged, mayRepeat);
    }

    /** Receives a whole file from a stream. */
    void add(String fileName, InputStream content) throws IOException, IntakeException {
        FileWriter file = begin(fileName);
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = read(content, buffer)) != -1) {
            file.write(buffer, 0, n);
        }
        file.finish();
    }

    /** Reads from the client; a broken or truncated upload is the client's failure, not ours. */
    private static int read(InputStream content, byte[] buffer) throws IntakeException {
        try {
            return content.read(buffer);
        } catch (IOException e) {
            throw new IntakeException(IntakeException.Reason.MALFORMED_UPLOAD);
        }
    }

    /** Files kept by this request so far. */
    int count() {
        return kept;
    }

    /** Moves every blob into place and returns the rows to insert with the report or message. */
    List<StoredFile> commitBlobs(String messageId, long hour) throws IOException {
        List<StoredFile> rows = new ArrayList<>();
        for (Pending p : pending) {
            p.staged().commit(reportId, p.fileId(), hour);
            rows.add(new StoredFile(p.fileId(), reportId, messageId, p.sealedName(), p.size(), hour, generation));
        }
        return rows;
    }

    /** Undoes {@link #commitBlobs} when the rows naming the blobs could not be written. */
    void deleteCommitted() {
        for (Pending p : pending) {
            blobs.delete(reportId, p.fileId());
        }
    }

    @Override
    public void close() {
        for (BlobStore.Staged staged : unfinished) {
            staged.close();
        }
    }
}

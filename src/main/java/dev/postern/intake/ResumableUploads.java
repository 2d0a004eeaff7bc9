package dev.postern.intake;

import dev.postern.config.ResumeLimits;
import dev.postern.config.UploadLimits;
import dev.postern.store.BlobStore;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.PieceStore;
import dev.postern.store.ReportUsage;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredMessage;
import dev.postern.store.UploadRow;
import dev.postern.store.Uploads;
import dev.postern.vault.Crypto;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads of a report (the service behind the tus endpoint). An upload is a list of
 * pieces, each a complete streaming-AEAD object written by {@link ReportKey#encrypting} under its
 * own random salt, so under its own derived key: a segment index is never used twice under one key,
 * whatever is cut, retried or crashed. Each piece's associated data binds its place
 * ({@link ObjectRef#uploadPiece}: piece 0 is the file's own content object, piece {@code n > 0}
 * names {@code n}), so pieces decrypt only in the order they were written.
 *
 * <p>Rules it owns: uploads belong to a report and are served to any live session of that report
 * (never another's: an unknown id and another report's id get the same answer); the per-file,
 * per-report, open-upload and disk-floor limits at creation and on every append; the offset only
 * moves when a piece is sealed on disk and recorded; a checksum is verified before its piece is
 * recorded; a complete upload becomes an ordinary evidence file in its own transaction.
 */
public final class ResumableUploads implements OpenUploads {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableUploads.class);
    /** The first read buffer: a stalled append holds no more than this (as {@code MultipartForm}). */
    static final int FIRST_READ_BUFFER = 2 * 1024;
    /** The largest read buffer, reached by doubling while reads fill it. */
    static final int READ_BUFFER = 256 * 1024;
    private static final long HOUR = 3600;
    /**
     * Pieces one upload may have. Every PATCH and every checkpoint adds one (a file and a row), so
     * without a bound a session could make them without end. 4,096 is far above a real upload's
     * (4 GiB at 50 KB/s is about 2,800 checkpoints over 23 hours).
     */
    static final int MAX_PIECES = 4096;
    /** Past this many pieces a long PATCH is no longer checkpointed: only its end or a cut closes a piece. */
    static final int CHECKPOINT_PIECES = 1024;
    private final int maxPieces;
    private final Reports reports;
    private final Uploads uploads;
    private final PieceStore pieces;
    private final BlobStore blobs;
    private final UploadLimits limits;
    private final ResumeLimits resume;
    private final DiskFloor floor;
    private final Clock clock;
    private final Semaphore finishers;
    /** Uploads being finished now, with what their finisher counts down when done. */
    private final ConcurrentHashMap<String, CountDownLatch> finishingNow = new ConcurrentHashMap<>();
    private final Object creating = new Object();

    /** What the finished file becomes. */
    public enum Context {
        /** A file of the report itself. */
        REPORT,
        /** A follow-up message without text, with this file. */
        MESSAGE;

        /** From the tus metadata value ("report", "message"); empty for anything else. */
        public static Optional<Context> parse(String value) {
            for (Context c : values()) {
                if (c.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /** A new upload: its id and when it expires (epoch seconds of a whole hour). */
    public record Created(String id, long expiresHour) {
    }

    /**
     * Where an upload stands.
     *
     * @param offset      bytes kept so far (the length once complete)
     * @param expiresHour when it expires unless it progresses; 0 once it is evidence
     */
    public record Status(long offset, long length, long expiresHour, boolean finished) {
    }

    /** A checksum a client sent for the bytes of one append: algorithm "sha1" or "sha256". */
    public record Checksum(String algorithm, byte[] digest) {
        public Checksum {
            int expected = switch (algorithm) {
                case "sha1" -> 20;
                case "sha256" -> 32;
                default -> throw new IllegalArgumentException("unsupported checksum algorithm");
            };
            if (digest.length != expected) {
                throw new IllegalArgumentException("checksum of the wrong length");
            }
            digest = digest.clone();
        }

        MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Told of every chunk received, so a stalled append can be told from a streaming one. */
    @FunctionalInterface
    public interface Progress {
        void received(long bytes);
    }

    /** A refusal that is about the upload itself (the limits are {@link IntakeException}s). */
    public static final class Refused extends Exception {
        /** Why, with the status the tus protocol names for it. */
        public enum Reason {
            /** Unknown id, or an upload of another report (the same answer). */
            NOT_FOUND(404),
            /** Terminated or expired. */
            GONE(410),
            /** The offset sent is not the upload's. */
            OFFSET_MISMATCH(409),
            /** The bytes run past the upload's length. */
            PAST_LENGTH(413),
            /** The upload has as many pieces as one may have ({@link ResumableUploads#MAX_PIECES}). */
            TOO_MANY_PIECES(413),
            /** The checksum does not match the bytes received: nothing of them was kept. */
            CHECKSUM_MISMATCH(460),
            /** Terminating an upload that is already evidence (sources cannot delete evidence). */
            ALREADY_EVIDENCE(409),
            /** The client's connection broke while sending; what arrived whole was kept. */
            CONNECTION_LOST(400);

            private final int status;

            Reason(int status) {
                this.status = status;
            }

            public int status() {
                return status;
            }
        }

        private final Reason reason;

        public Refused(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    public ResumableUploads(Reports reports, Uploads uploads, PieceStore pieces, BlobStore blobs, UploadLimits limits,
                            ResumeLimits resume, DiskFloor floor, Clock clock) {
        this(reports, uploads, pieces, blobs, limits, resume, floor, clock, MAX_PIECES);
    }

    /** With another bound on pieces per upload (tests). */
    ResumableUploads(Reports reports, Uploads uploads, PieceStore pieces, BlobStore blobs, UploadLimits limits,
                     ResumeLimits resume, DiskFloor floor, Clock clock, int maxPieces) {
        this.maxPieces = maxPieces;
        this.reports = reports;
        this.uploads = uploads;
        this.pieces = pieces;
        this.blobs = blobs;
        this.limits = limits;
        this.resume = resume;
        this.floor = floor;
        this.clock = clock;
        this.finishers = new Semaphore(resume.finishers());
    }

    public UploadLimits limits() {
        return limits;
    }

    /**
     * Creates an upload of {@code length} bytes for the session's report, after the limits: the
     * file size, what the report has left (bytes and files, counting its other open uploads), the
     * number of open uploads, and the disk floor. A zero-length upload is evidence at once.
     */
    public Created create(SourceAccess access, String fileName, long length, Context context)
            throws IntakeException, IOException {
        String name = FileNames.check(fileName);
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (length > limits.fileBytes()) {
            throw new IntakeException(IntakeException.Reason.FILE_TOO_LARGE);
        }
        String reportId = access.reportId();
        String fileId = Ids.newId();
        long hour = Hours.now(clock);
        UploadRow row;
        // One creation at a time: the limits are read, then the row that counts against them written.
        synchronized (creating) {
            if (uploads.receiving(reportId) >= resume.openPerReport()) {
                throw new IntakeException(IntakeException.Reason.TOO_MANY_FILES);
            }
            ReportUsage usage = reports.usage(reportId);
            if (usage.files() + 1 > limits.filesPerSubmission()) {
                throw new IntakeException(IntakeException.Reason.TOO_MANY_FILES);
            }
            if (usage.bytes() + length > limits.reportBytes()) {
                throw new IntakeException(IntakeException.Reason.REPORT_TOO_LARGE);
            }
            floor.admit(length);
            // Everything of the upload (name, pieces, final file) is sealed under the generation current now.
            ReportKeys keys = access.keysForWriting(reports.access());
            row = new UploadRow(newUploadId(), reportId, fileId, context.name(),
                    keys.current().seal(name, ObjectRef.fileName(reportId, fileId)), length, 0, 0,
                    UploadRow.State.RECEIVING, hour, expiry(hour), null, keys.currentGeneration());
            uploads.insert(row);
        }
        if (length == 0) {
            finish(access, row);
        }
        return new Created(row.id(), row.expiresHour());
    }

    /**
     * Where an upload stands. An upload that a crash left half finished is finished first, so a
     * client that lost the answer to its last append sees it complete.
     */
    public Status head(SourceAccess access, String uploadId) throws Refused, IOException {
        UploadRow row = find(access, uploadId);
        if (row.state() == UploadRow.State.FINISHING
                || row.state() == UploadRow.State.RECEIVING && row.committed() == row.length()) {
            // A crash during finishing, or a body cut after its last byte arrived.
            finish(access, row);
            return new Status(row.length(), row.length(), 0, true);
        }
        return status(row);
    }

    /** As {@link #head}, without finishing anything: for checks in the order the protocol names them. */
    public Status peek(SourceAccess access, String uploadId) throws Refused {
        return status(find(access, uploadId));
    }

    private static Status status(UploadRow row) {
        return switch (row.state()) {
            case RECEIVING -> new Status(row.committed(), row.length(), row.expiresHour(), false);
            default -> new Status(row.length(), row.length(), 0, true);
        };
    }

    /**
     * Appends the bytes of {@code body} at {@code offset}. They are encrypted into a new piece as
     * they arrive; the piece is sealed and recorded (the offset moves) when the body ends, when it
     * is cut (what arrived is kept, then {@link Refused.Reason#CONNECTION_LOST}), and every
     * {@code uploads.checkpoint-seconds} of a long body without a checksum. With a checksum the
     * whole body is one piece, recorded only if the digest matches. When the last byte is recorded
     * the upload becomes evidence before this returns.
     *
     * @param declared the body's length, or -1 when not declared (chunked)
     * @param body     the bytes; read failures are the client's (a cut connection)
     */
    public Status append(SourceAccess access, String uploadId, long offset, InputStream body, long declared,
                         Optional<Checksum> checksum, Progress progress) throws Refused, IntakeException, IOException {
        UploadRow row = find(access, uploadId);
        if (row.state() != UploadRow.State.RECEIVING) {
            if (row.state() == UploadRow.State.FINISHING) {
                finish(access, row);
            }
            if (offset != row.length()) {
                throw new Refused(Refused.Reason.OFFSET_MISMATCH);
            }
            if (declared > 0 || readSome(body)) {
                throw new Refused(Refused.Reason.PAST_LENGTH);
            }
            return new Status(row.length(), row.length(), 0, true);
        }
        if (offset != row.committed()) {
            throw new Refused(Refused.Reason.OFFSET_MISMATCH);
        }
        if (row.pieces() >= maxPieces) {
            throw new Refused(Refused.Reason.TOO_MANY_PIECES);
        }
        long remaining = row.length() - offset;
        if (declared > remaining) {
            throw new Refused(Refused.Reason.PAST_LENGTH);
        }
        floor.admit(remaining);
        if (reports.usage(row.reportId()).bytes() > limits.reportBytes()) {
            throw new IntakeException(IntakeException.Reason.REPORT_TOO_LARGE);
        }
        Appender appender = new Appender(access, row, checksum);
        try {
            appender.run(body, declared, remaining, progress);
        } finally {
            appender.discardOpenPiece();
        }
        UploadRow now = uploads.byId(uploadId).orElseThrow(() -> new Refused(Refused.Reason.GONE));
        if (now.state() == UploadRow.State.RECEIVING && now.committed() == now.length()) {
            finish(access, now);
            return new Status(now.length(), now.length(), 0, true);
        }
        return status(now);
    }

    /** One append: the piece being written and what it holds. */
    private final class Appender {
        private final SourceAccess access;
        private final UploadRow row;
        private final Optional<Checksum> checksum;
        private final MessageDigest digest;
        private long expected;
        private int seq;
        private PieceStore.Piece piece;
        private OutputStream out;
        private long pieceBytes;
        private long pieceStarted;

        Appender(SourceAccess access, UploadRow row, Optional<Checksum> checksum) {
            this.access = access;
            this.row = row;
            this.checksum = checksum;
            this.digest = checksum.map(Checksum::newDigest).orElse(null);
            this.expected = row.committed();
            this.seq = row.pieces();
        }

        /**
         * Reads until the body ends. A declared body is not read past its last byte: the web
         * server's rate floor is averaged over the time between reads, and the read that would only
         * report the end can come after a piece was opened or sealed.
         */
        void run(InputStream body, long declared, long remaining, Progress progress)
                throws Refused, IntakeException, IOException {
            byte[] buffer = new byte[FIRST_READ_BUFFER];
            long received = 0;
            long sinceFloorCheck = 0;
            long checkpointMillis = resume.checkpointSeconds() * 1000L;
            while (declared < 0 || received < declared) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    cut();
                    throw new Refused(Refused.Reason.CONNECTION_LOST);
                }
                if (n == -1) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                received += n;
                if (received > remaining) {
                    throw new Refused(Refused.Reason.PAST_LENGTH);
                }
                if (piece == null) {
                    open();
                }
                out.write(buffer, 0, n);
                pieceBytes += n;
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
                progress.received(n);
                sinceFloorCheck += n;
                if (sinceFloorCheck >= DiskFloor.CHECK_EVERY_BYTES) {
                    sinceFloorCheck = 0;
                    floor.check();
                }
                if (n == buffer.length && buffer.length < READ_BUFFER) {
                    // The client really streams: bigger reads keep intake near disk speed.
                    buffer = new byte[Math.min(READ_BUFFER, buffer.length * 2)];
                }
                if (checksum.isEmpty() && seq < Math.min(CHECKPOINT_PIECES, maxPieces - 1)
                        && clock.millis() - pieceStarted >= checkpointMillis) {
                    record();
                }
            }
            if (checksum.isPresent() && !MessageDigest.isEqual(digest.digest(), checksum.get().digest())) {
                throw new Refused(Refused.Reason.CHECKSUM_MISMATCH);
            }
            record();
        }

        private void open() throws IOException, Refused {
            try {
                piece = pieces.begin(row.id(), seq);
            } catch (IOException e) {
                throw goneOr(e);
            }
            out = access.keys().require(row.keyGeneration()).encrypting(piece.output(),
                    ObjectRef.uploadPiece(row.reportId(), row.fileId(), seq));
            pieceBytes = 0;
            pieceStarted = clock.millis();
        }

        /**
         * A storage failure while writing: GONE when the upload was terminated (or expired) meanwhile
         * and its folder went with it, else the failure itself, to be thrown.
         */
        private IOException goneOr(IOException e) throws Refused {
            if (uploads.byId(row.id()).map(u -> u.state() != UploadRow.State.RECEIVING).orElse(true)) {
                throw new Refused(Refused.Reason.GONE);
            }
            return e;
        }

        /** The body broke off: what arrived is kept unless it was to be checked first. */
        private void cut() throws Refused, IOException {
            if (checksum.isEmpty()) {
                record();
            }
        }

        /** Seals the piece (its last segment, forced to disk) and records it: the offset moves. */
        private void record() throws Refused, IOException {
            if (piece == null) {
                return;
            }
            try {
                out.close();
                piece.seal();
            } catch (IOException e) {
                piece.discard();
                piece = null;
                throw goneOr(e);
            }
            long hour = Hours.now(clock);
            boolean recorded = uploads.recordPiece(row.id(), expected, seq, pieceBytes, expiry(hour));
            PieceStore.Piece done = piece;
            piece = null;
            out = null;
            if (!recorded) {
                // Terminated or expired meanwhile, or another writer moved the offset: these bytes
                // are not kept.
                done.discard();
                boolean receiving = uploads.byId(row.id()).map(u -> u.state() == UploadRow.State.RECEIVING)
                        .orElse(false);
                throw new Refused(receiving ? Refused.Reason.OFFSET_MISMATCH : Refused.Reason.GONE);
            }
            expected += pieceBytes;
            seq++;
        }

        /** After a refusal: the piece that was not recorded is deleted (its one-time key with it). */
        void discardOpenPiece() {
            if (piece != null) {
                piece.discard();
                piece = null;
            }
        }
    }

    /** Terminates an upload: its pieces are deleted and its URL answers "gone". */
    public void terminate(SourceAccess access, String uploadId) throws Refused {
        UploadRow row = find(access, uploadId);
        if (row.state() != UploadRow.State.RECEIVING
                || !uploads.tombstone(row.id(), UploadRow.State.RECEIVING, UploadRow.State.GONE, Hours.now(clock))) {
            throw new Refused(row.state() == UploadRow.State.GONE ? Refused.Reason.GONE : Refused.Reason.ALREADY_EVIDENCE);
        }
        pieces.deleteAll(row.id());
    }

    /**
     * The report's uploads still receiving, with their names, for the report page. Uploads a crash
     * left half finished are finished first (the session holds the key that needs).
     */
    @Override
    public List<UnfinishedUpload> of(SourceAccess access) {
        for (UploadRow row : uploads.finishing(access.reportId())) {
            try {
                finish(access, row);
            } catch (IOException | RuntimeException e) {
                LOG.error("finishing an upload failed: {}", e.getClass().getName());
            }
        }
        List<UnfinishedUpload> open = new ArrayList<>();
        long now = clock.instant().getEpochSecond();
        for (UploadRow row : uploads.ofReport(access.reportId(), UploadRow.State.RECEIVING)) {
            if (row.expiresHour() <= now) {
                continue;
            }
            String name = access.keys().require(row.keyGeneration())
                    .openString(row.name(), ObjectRef.fileName(row.reportId(), row.fileId()));
            open.add(new UnfinishedUpload(row.id(), name, row.length(), row.committed(),
                    row.context().toLowerCase(Locale.ROOT)));
        }
        return open;
    }

    /**
     * Turns a complete upload into evidence, or carries on where a crash stopped it. One piece is
     * renamed into the blob store (it was written as the file's content); several are decrypted in
     * order and encrypted once into a fresh file id, so piece 0 (a prefix under the first file id)
     * can never stand in for the file. Then the evidence row (or a text-less message with the file),
     * then the upload becomes a FINISHED tombstone and its pieces are deleted.
     */
    void finish(SourceAccess access, UploadRow start) throws IOException {
        // One finisher per upload (the request that completed it, a HEAD, a page load): the others
        // wait for it instead of renaming or copying the same pieces at the same time.
        CountDownLatch mine = new CountDownLatch(1);
        CountDownLatch other = finishingNow.putIfAbsent(start.id(), mine);
        if (other != null) {
            try {
                other.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The other finisher may have failed (a missing piece, a full disk): only a finished
            // upload may be reported as kept.
            if (uploads.byId(start.id()).map(u -> u.state() != UploadRow.State.FINISHED).orElse(true)) {
                throw new IOException("the upload could not be turned into evidence yet");
            }
            return;
        }
        finishers.acquireUninterruptibly();
        try {
            uploads.transition(start.id(), UploadRow.State.RECEIVING, UploadRow.State.FINISHING);
            UploadRow row = uploads.byId(start.id()).orElseThrow();
            if (row.state() != UploadRow.State.FINISHING) {
                return; // another request finished it meanwhile
            }
            long hour = Hours.now(clock);
            String reportId = row.reportId();
            String target = row.pieces() == 1 ? row.fileId() : row.finalFileId();
            if (target == null || reports.file(reportId, target).isEmpty()) {
                if (row.pieces() == 1) {
                    if (pieces.exists(row.id(), 0)) {
                        blobs.adopt(pieces.path(row.id(), 0), reportId, target, hour);
                    } else if (!blobs.exists(reportId, target)) {
                        throw new IOException("the only piece of an upload is missing");
                    }
                } else {
                    if (target == null) {
                        uploads.setFinalFileId(row.id(), Ids.newId());
                        row = uploads.byId(row.id()).orElseThrow();
                        target = row.finalFileId();
                    }
                    // The copy needs the file's size again while the pieces are still on disk.
                    try {
                        floor.admit(row.length());
                    } catch (IntakeException e) {
                        throw new IOException("not enough free space to turn the upload into evidence", e);
                    }
                    compact(access.keys().require(row.keyGeneration()), row, target, hour);
                }
                addEvidence(access.keys().require(row.keyGeneration()), row, target, hour);
            }
            uploads.tombstone(row.id(), UploadRow.State.FINISHING, UploadRow.State.FINISHED, hour);
            pieces.deleteAll(row.id());
        } finally {
            finishers.release();
            finishingNow.remove(start.id(), mine);
            mine.countDown();
        }
    }

    /** Decrypts the pieces in order and encrypts them once as {@code target}'s content. */
    private void compact(ReportKey key, UploadRow row, String target, long hour) throws IOException {
        String reportId = row.reportId();
        List<Long> sizes = uploads.pieceSizes(row.id());
        List<Integer> seqs = uploads.pieceSeqs(row.id());
        for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i) != i) {
                throw new IOException("a piece of the upload is missing");
            }
        }
        if (seqs.size() != row.pieces() || sizes.stream().mapToLong(Long::longValue).sum() != row.length()) {
            throw new IOException("the recorded pieces do not add up to the upload");
        }
        if (blobs.exists(reportId, target)) {
            blobs.delete(reportId, target); // an earlier attempt's copy whose row was never written
        }
        try (BlobStore.Staged staged = blobs.stage()) {
            long total = 0;
            try (OutputStream out = key.encrypting(staged.output(), ObjectRef.fileContent(reportId, target))) {
                for (int seq = 0; seq < sizes.size(); seq++) {
                    try (InputStream in = key.decrypting(pieces.open(row.id(), seq),
                            ObjectRef.uploadPiece(reportId, row.fileId(), seq))) {
                        long copied = in.transferTo(out);
                        if (copied != sizes.get(seq)) {
                            throw new IOException("a piece does not hold what was recorded");
                        }
                        total += copied;
                    }
                }
            }
            if (total != row.length()) {
                throw new IOException("the pieces do not add up to the upload");
            }
            staged.commit(reportId, target, hour);
        }
    }

    private void addEvidence(ReportKey key, UploadRow row, String fileId, long hour) {
        String reportId = row.reportId();
        byte[] name = row.name();
        if (!fileId.equals(row.fileId())) {
            name = key.seal(key.open(row.name(), ObjectRef.fileName(reportId, row.fileId())),
                    ObjectRef.fileName(reportId, fileId));
        }
        if (Context.valueOf(row.context()) == Context.MESSAGE) {
            String messageId = Ids.newId();
            StoredMessage message = new StoredMessage(messageId, reportId, StoredMessage.Author.SOURCE, null,
                    key.seal("", ObjectRef.message(reportId, messageId)), hour, false, row.keyGeneration());
            // The file was sealed under the upload's generation when it began; its empty message goes with it.
            reports.addMessage(message, List.of(new StoredFile(fileId, reportId, messageId, name, row.length(), hour,
                    row.keyGeneration())), true);
        } else {
            reports.addReportFile(new StoredFile(fileId, reportId, null, name, row.length(), hour,
                    row.keyGeneration()));
        }
    }

    /**
     * The session's upload: unknown ids and uploads of other reports are the same NOT_FOUND;
     * terminated and expired ones are GONE (an expired one becomes a tombstone here if the sweeper
     * has not come by yet).
     */
    private UploadRow find(SourceAccess access, String uploadId) throws Refused {
        if (!PieceStore.isValidUploadId(uploadId)) {
            throw new Refused(Refused.Reason.NOT_FOUND);
        }
        UploadRow row = uploads.byId(uploadId).filter(u -> u.reportId().equals(access.reportId()))
                .orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND));
        if (row.state() == UploadRow.State.GONE) {
            throw new Refused(Refused.Reason.GONE);
        }
        if (row.state() == UploadRow.State.RECEIVING && row.expiresHour() <= clock.instant().getEpochSecond()) {
            expire(row);
            throw new Refused(Refused.Reason.GONE);
        }
        return row;
    }

    /** Turns an expired upload into a tombstone and deletes its pieces. */
    void expire(UploadRow row) {
        if (uploads.tombstone(row.id(), UploadRow.State.RECEIVING, UploadRow.State.GONE, Hours.now(clock))) {
            pieces.deleteAll(row.id());
        }
    }

    /** One pass of the expiry: expired uploads become tombstones; tombstones a day old are deleted. */
    public int sweep() {
        long hour = Hours.now(clock);
        List<UploadRow> expired = uploads.expired(clock.instant().getEpochSecond());
        for (UploadRow row : expired) {
            expire(row);
        }
        uploads.deleteTombstonesBefore(hour - 24 * HOUR);
        return expired.size();
    }

    /** The start of the next hour plus the expiry: times stay whole hours, as every source-side time. */
    private long expiry(long hour) {
        return hour + HOUR + resume.expireHours() * HOUR;
    }

    private static boolean readSome(InputStream body) {
        try {
            return body.read() != -1;
        } catch (IOException e) {
            return false;
        }
    }

    private static String newUploadId() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Crypto.randomBytes(32));
    }
}

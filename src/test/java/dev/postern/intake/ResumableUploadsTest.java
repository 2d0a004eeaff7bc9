package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.config.ResumeLimits;
import dev.postern.config.UploadLimits;
import dev.postern.store.BlobStore;
import dev.postern.store.Database;
import dev.postern.store.Hours;
import dev.postern.store.Ids;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.PieceStore;
import dev.postern.store.ReceiptIndex;
import dev.postern.store.ReportStatus;
import dev.postern.store.Reports;
import dev.postern.store.StoredFile;
import dev.postern.store.StoredReport;
import dev.postern.store.TestDatabases;
import dev.postern.store.UploadRow;
import dev.postern.store.Uploads;
import dev.postern.testing.MutableClock;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.ObjectRef;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable uploads at rest: pieces, their one-time keys and order, and finishing into evidence. */
class ResumableUploadsTest {
    private static final ResumableUploads.Progress NO_PROGRESS = n -> { };
    @TempDir
    Path dir;
    MutableClock clock;
    Database db;
    Reports reports;
    Uploads uploads;
    PieceStore pieces;
    BlobStore blobs;
    ResumableUploads service;
    SourceAccess access;

    @BeforeEach
    void open() throws Exception {
        clock = new MutableClock();
        db = TestDatabases.open("h2", dir);
        reports = new Reports(db.jdbi());
        uploads = new Uploads(db.jdbi());
        pieces = new PieceStore(dir);
        blobs = new BlobStore(dir);
        service = new ResumableUploads(reports, uploads, pieces, blobs, new UploadLimits(100L << 20, 400L << 20, 100, 0),
                ResumeLimits.DEFAULTS, DiskFloor.none(), clock);
        access = new SourceAccess(newReport(), ReportKeys.initial(ReportKey.generate()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String newReport() {
        Organizations orgs = new Organizations(db.jdbi(), clock);
        Organization org = orgs.bySlug("news").orElseGet(() -> orgs.insert("news", "News", ""));
        String reportId = Ids.newId();
        long hour = Hours.now(clock);
        reports.insert(new StoredReport(reportId, org.id(), ReportStatus.NEW, hour, hour, new byte[] {1}, new byte[] {2}),
                new ReceiptIndex(Ids.newId(), Ids.newId().substring(0, 8), Argon2Params.DEFAULT), Map.of(), List.of());
        return reportId;
    }

    private ResumableUploads.Status append(String id, long offset, byte[] bytes) throws Exception {
        return service.append(access, id, offset, new ByteArrayInputStream(bytes), bytes.length, Optional.empty(),
                NO_PROGRESS);
    }

    @Test
    void everyPieceEverWrittenHasItsOwnSaltAndAFailedChecksumKeepsNothing() throws Exception {
        byte[] file = random(5 << 20, 1);
        String id = service.create(access, "salts.bin", file.length, ResumableUploads.Context.REPORT).id();
        Set<String> salts = new HashSet<>();
        append(id, 0, slice(file, 0, 1 << 20));
        salts.add(salt(pieces.path(id, 0)));
        // A 2 MiB body whose checksum does not match: its piece (seq 1) reached the disk, with its
        // own salt, and is deleted; the retry at the same seq gets another.
        byte[] second = slice(file, 1 << 20, 3 << 20);
        List<String> discarded = new ArrayList<>();
        InputStream watched = new ByteArrayInputStream(second) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n == -1 && discarded.isEmpty()) {
                    discarded.add(saltWhenWritten(dir.resolve("pieces").resolve(id).resolve("1.part")));
                }
                return n;
            }
        };
        byte[] wrongDigest = MessageDigest.getInstance("SHA-256").digest(slice(second, 1, second.length));
        assertThatThrownBy(() -> service.append(access, id, 1 << 20, watched, -1,
                Optional.of(new ResumableUploads.Checksum("sha256", wrongDigest)), NO_PROGRESS))
                .isInstanceOfSatisfying(ResumableUploads.Refused.class,
                        e -> assertThat(e.reason()).isEqualTo(ResumableUploads.Refused.Reason.CHECKSUM_MISMATCH));
        assertThat(discarded).hasSize(1);
        salts.add(discarded.get(0));
        assertThat(Files.exists(dir.resolve("pieces").resolve(id).resolve("1.part"))).isFalse();
        assertThat(service.head(access, id).offset()).isEqualTo(1 << 20);
        append(id, 1 << 20, second);
        salts.add(salt(pieces.path(id, 1)));
        append(id, 3 << 20, slice(file, 3 << 20, 4 << 20));
        salts.add(salt(pieces.path(id, 2)));
        assertThat(salts).as("four pieces ever written, four salts").hasSize(4);
        append(id, 4 << 20, slice(file, 4 << 20, file.length));
        assertThat(decryptedEvidence()).isEqualTo(file);
    }

    @Test
    void equalSizedPiecesInTheWrongOrderFailToDecrypt() throws Exception {
        byte[] file = random(300_000, 3);
        String id = service.create(access, "order.bin", file.length, ResumableUploads.Context.REPORT).id();
        append(id, 0, slice(file, 0, 100_000));
        append(id, 100_000, slice(file, 100_000, 200_000));
        Path one = pieces.path(id, 0);
        Path two = pieces.path(id, 1);
        Path spare = dir.resolve("spare");
        Files.move(one, spare);
        Files.move(two, one);
        Files.move(spare, two);
        assertThatThrownBy(() -> append(id, 200_000, slice(file, 200_000, file.length))).isInstanceOf(IOException.class);
        assertThat(reports.files(access.reportId())).isEmpty();
    }

    @Test
    void aMissingPieceIsRefused() throws Exception {
        byte[] file = random(300_000, 4);
        String id = service.create(access, "missing.bin", file.length, ResumableUploads.Context.REPORT).id();
        append(id, 0, slice(file, 0, 100_000));
        append(id, 100_000, slice(file, 100_000, 200_000));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM upload_piece WHERE upload_id = ? AND seq = 1", id));
        assertThatThrownBy(() -> append(id, 200_000, slice(file, 200_000, file.length))).isInstanceOf(IOException.class);
        assertThat(reports.files(access.reportId())).isEmpty();

        String other = service.create(access, "gone-file.bin", file.length, ResumableUploads.Context.REPORT).id();
        append(other, 0, slice(file, 0, 100_000));
        append(other, 100_000, slice(file, 100_000, 200_000));
        Files.delete(pieces.path(other, 1));
        assertThatThrownBy(() -> append(other, 200_000, slice(file, 200_000, file.length))).isInstanceOf(IOException.class);
        assertThat(reports.files(access.reportId())).isEmpty();
    }

    @Test
    void aSinglePieceIsRenamedIntoTheBlobStoreNotReEncrypted() throws Exception {
        byte[] file = random(200_000, 5);
        ResumableUploads.Created created = service.create(access, "single.bin", file.length, ResumableUploads.Context.REPORT);
        UploadRow row = uploads.byId(created.id()).orElseThrow();
        ResumableUploads.Status status = append(created.id(), 0, file);
        assertThat(status.finished()).isTrue();
        StoredFile evidence = reports.files(access.reportId()).get(0);
        assertThat(evidence.id()).as("the piece's own file id: renamed, not copied").isEqualTo(row.fileId());
        assertThat(evidence.messageId()).isNull();
        assertThat(evidence.sizeBytes()).isEqualTo(file.length);
        assertThat(access.keys().current().openString(evidence.name(), ObjectRef.fileName(access.reportId(), evidence.id())))
                .isEqualTo("single.bin");
        assertThat(decryptedEvidence()).isEqualTo(file);
        assertThat(Files.exists(dir.resolve("pieces").resolve(created.id()))).isFalse();
        assertThat(uploads.byId(created.id()).orElseThrow().state()).isEqualTo(UploadRow.State.FINISHED);
    }

    @Test
    void severalPiecesAreReEncryptedOnceIntoAFreshFileIdAsAMessage() throws Exception {
        byte[] file = random(200_000, 6);
        ResumableUploads.Created created = service.create(access, "multi.bin", file.length, ResumableUploads.Context.MESSAGE);
        UploadRow row = uploads.byId(created.id()).orElseThrow();
        append(created.id(), 0, slice(file, 0, 70_000));
        assertThat(service.of(access)).singleElement().satisfies(u -> {
            assertThat(u.fileName()).isEqualTo("multi.bin");
            assertThat(u.offset()).isEqualTo(70_000);
            assertThat(u.length()).isEqualTo(file.length);
            assertThat(u.context()).isEqualTo("message");
        });
        append(created.id(), 70_000, slice(file, 70_000, file.length));
        StoredFile evidence = reports.files(access.reportId()).get(0);
        assertThat(evidence.id()).isNotEqualTo(row.fileId()).isEqualTo(uploads.byId(created.id()).orElseThrow().finalFileId());
        assertThat(blobs.exists(access.reportId(), row.fileId())).isFalse();
        assertThat(evidence.messageId()).isNotNull();
        assertThat(reports.messages(access.reportId())).singleElement().satisfies(m ->
                assertThat(access.keys().current().openString(m.body(), ObjectRef.message(access.reportId(), m.id()))).isEmpty());
        assertThat(access.keys().current().openString(evidence.name(), ObjectRef.fileName(access.reportId(), evidence.id())))
                .isEqualTo("multi.bin");
        assertThat(decryptedEvidence()).isEqualTo(file);
        assertThat(service.of(access)).isEmpty();
    }

    @Test
    void finishingThatACrashInterruptedIsCompletedByTheNextHead() throws Exception {
        byte[] file = random(150_000, 7);
        String single = service.create(access, "crash-1.bin", 1_000_000, ResumableUploads.Context.REPORT).id();
        append(single, 0, file);
        String multi = service.create(access, "crash-2.bin", 1_000_000, ResumableUploads.Context.REPORT).id();
        append(multi, 0, slice(file, 0, 50_000));
        append(multi, 50_000, slice(file, 50_000, file.length));
        // As if the process died after the last piece was recorded and the state was set, and for
        // the second, after a first compaction's blob was moved into place but before its row.
        String stray = Ids.newId();
        db.jdbi().useHandle(h -> {
            h.execute("UPDATE upload SET length = committed, state = 'FINISHING' WHERE id IN (?, ?)", single, multi);
            h.execute("UPDATE upload SET final_file_id = ? WHERE id = ?", stray, multi);
        });
        try (BlobStore.Staged leftover = blobs.stage()) {
            leftover.output().write(new byte[] {1, 2, 3});
            leftover.commit(access.reportId(), stray, Hours.now(clock));
        }
        assertThat(service.head(access, single).offset()).isEqualTo(file.length);
        assertThat(service.head(access, multi)).satisfies(s -> {
            assertThat(s.offset()).isEqualTo(file.length);
            assertThat(s.finished()).isTrue();
        });
        assertThat(reports.files(access.reportId())).hasSize(2);
        for (StoredFile f : reports.files(access.reportId())) {
            assertThat(decrypt(f)).isEqualTo(file);
        }
        assertThat(reports.file(access.reportId(), stray)).isPresent();
    }

    @Test
    void expiredUploadsLoseTheirPiecesAndTombstonesGoADayLater() throws Exception {
        String id = service.create(access, "old.bin", 1000, ResumableUploads.Context.REPORT).id();
        append(id, 0, new byte[100]);
        assertThat(service.sweep()).isZero();
        clock.advance(Duration.ofHours(26));
        assertThat(service.sweep()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("pieces").resolve(id))).isFalse();
        assertThatThrownBy(() -> service.head(access, id)).isInstanceOfSatisfying(ResumableUploads.Refused.class,
                e -> assertThat(e.reason()).isEqualTo(ResumableUploads.Refused.Reason.GONE));
        clock.advance(Duration.ofHours(25));
        service.sweep();
        assertThatThrownBy(() -> service.head(access, id)).isInstanceOfSatisfying(ResumableUploads.Refused.class,
                e -> assertThat(e.reason()).isEqualTo(ResumableUploads.Refused.Reason.NOT_FOUND));
    }

    @Test
    void theStartUpSweepKeepsOnlyRecordedPieces() throws Exception {
        String id = service.create(access, "sweep.bin", 1000, ResumableUploads.Context.REPORT).id();
        append(id, 0, new byte[100]);
        Path folder = dir.resolve("pieces").resolve(id);
        Files.write(folder.resolve("1.part"), new byte[] {1});
        Files.write(folder.resolve("7"), new byte[] {1});
        Path orphan = Files.createDirectories(dir.resolve("pieces").resolve("x".repeat(43)));
        Files.write(orphan.resolve("0"), new byte[] {1});
        assertThat(pieces.sweep(uploads.allPieceKeys())).isEqualTo(3);
        assertThat(folder.resolve("0")).exists();
        assertThat(folder.resolve("1.part")).doesNotExist();
        assertThat(orphan).doesNotExist();
    }

    @Test
    void anUploadHasABoundedNumberOfPieces() throws Exception {
        ResumableUploads bounded = new ResumableUploads(reports, uploads, pieces, blobs,
                new UploadLimits(100L << 20, 400L << 20, 100, 0), ResumeLimits.DEFAULTS, DiskFloor.none(), clock, 3);
        String id = bounded.create(access, "many.bin", 1000, ResumableUploads.Context.REPORT).id();
        for (int i = 0; i < 3; i++) {
            bounded.append(access, id, i * 10L, new ByteArrayInputStream(new byte[10]), 10, Optional.empty(), NO_PROGRESS);
        }
        assertThatThrownBy(() -> bounded.append(access, id, 30, new ByteArrayInputStream(new byte[10]), 10,
                Optional.empty(), NO_PROGRESS)).isInstanceOfSatisfying(ResumableUploads.Refused.class,
                e -> assertThat(e.reason()).isEqualTo(ResumableUploads.Refused.Reason.TOO_MANY_PIECES));
        assertThat(bounded.head(access, id).offset()).isEqualTo(30);
        assertThat(uploads.byId(id).orElseThrow().pieces()).isEqualTo(3);
    }

    @Test
    void aZeroLengthUploadIsEvidenceAtOnce() throws Exception {
        String id = service.create(access, "empty.txt", 0, ResumableUploads.Context.REPORT).id();
        assertThat(service.head(access, id).finished()).isTrue();
        assertThat(reports.files(access.reportId())).singleElement().extracting(StoredFile::sizeBytes).isEqualTo(0L);
        assertThat(decryptedEvidence()).isEmpty();
    }

    private byte[] decryptedEvidence() throws IOException {
        return decrypt(reports.files(access.reportId()).get(0));
    }

    private byte[] decrypt(StoredFile f) throws IOException {
        try (InputStream in = access.keys().current().decrypting(Files.newInputStream(blobs.path(f.reportId(), f.id())),
                ObjectRef.fileContent(f.reportId(), f.id()))) {
            return in.readAllBytes();
        }
    }

    /** Bytes 1-32 of a Tink streaming object: the salt its one-time key is derived with. */
    private static String salt(Path piece) throws IOException {
        byte[] head = new byte[33];
        try (InputStream in = Files.newInputStream(piece)) {
            assertThat(in.readNBytes(head, 0, 33)).isEqualTo(33);
        }
        return Arrays.toString(Arrays.copyOfRange(head, 1, 33));
    }

    /** The salt of a piece still being written (its writer thread may not have reached the disk yet). */
    private static String saltWhenWritten(Path part) {
        try {
            for (int i = 0; i < 500 && (!Files.exists(part) || Files.size(part) < 33); i++) {
                Thread.sleep(10);
            }
            return salt(part);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}

package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    private static final String REPORT = "0123456789abcdef0123456789abcdef";
    private static final String FILE = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final long HOUR = 1_795_000_000L - 1_795_000_000L % 3600;

    @TempDir
    Path data;

    @Test
    void committedBlobIsInPlaceWithItsTimesRoundedToTheHour() throws Exception {
        BlobStore store = new BlobStore(data);
        BlobStore.Staged staged = store.stage();
        try (OutputStream out = staged.output()) {
            out.write(new byte[] {1, 2, 3});
        }
        staged.commit(REPORT, FILE, HOUR + 0);
        Path blob = store.path(REPORT, FILE);
        assertThat(Files.readAllBytes(blob)).containsExactly(1, 2, 3);
        BasicFileAttributes a = Files.readAttributes(blob, BasicFileAttributes.class);
        assertThat(a.lastModifiedTime().toInstant().getEpochSecond()).isEqualTo(HOUR);
        assertThat(Files.getLastModifiedTime(blob.getParent()).toInstant().getEpochSecond()).isEqualTo(HOUR);
        for (Path dir : List.of(blob.getParent(), data.resolve("blobs"), data.resolve("incoming"))) {
            BasicFileAttributes d = Files.readAttributes(dir, BasicFileAttributes.class);
            assertThat(d.lastModifiedTime().toInstant().getEpochSecond()).as(dir.toString()).isEqualTo(HOUR);
            assertThat(d.lastAccessTime().toInstant().getEpochSecond()).as(dir.toString()).isEqualTo(HOUR);
        }
        try (Stream<Path> incoming = Files.list(data.resolve("incoming"))) {
            assertThat(incoming).isEmpty();
        }
    }

    @Test
    void discardedUploadsLeaveIncomingWithAWholeHour() throws Exception {
        BlobStore store = new BlobStore(data);
        BlobStore.Staged staged = store.stage();
        assertThat(Files.getLastModifiedTime(data.resolve("incoming")).toInstant().getEpochSecond() % 3600).isZero();
        staged.output().write(new byte[10]);
        staged.discard();
        assertThat(Files.getLastModifiedTime(data.resolve("incoming")).toInstant().getEpochSecond() % 3600).isZero();
        store.sweep(List.of());
        assertThat(Files.getLastModifiedTime(data.resolve("blobs")).toInstant().getEpochSecond() % 3600).isZero();
    }

    @Test
    void largeBlobWrittenInOddPiecesArrivesWhole() throws Exception {
        BlobStore store = new BlobStore(data);
        byte[] content = new byte[3 * BackgroundFileWriter.BUFFER * BackgroundFileWriter.QUEUED + 12_345];
        new java.util.Random(9).nextBytes(content);
        BlobStore.Staged staged = store.stage();
        int off = 0;
        int step = 1;
        while (off < content.length) {
            int n = Math.min(step, content.length - off);
            staged.output().write(content, off, n);
            off += n;
            step = step * 3 % 100_003 + 1;
        }
        staged.commit(REPORT, FILE, HOUR);
        assertThat(Files.readAllBytes(store.path(REPORT, FILE))).isEqualTo(content);
    }

    @Test
    void discardedAndClosedStagesLeaveNothing() throws Exception {
        BlobStore store = new BlobStore(data);
        try (BlobStore.Staged staged = store.stage()) {
            staged.output().write(new byte[100]);
        }
        BlobStore.Staged other = store.stage();
        other.discard();
        other.discard();
        try (Stream<Path> incoming = Files.list(data.resolve("incoming"))) {
            assertThat(incoming).isEmpty();
        }
    }

    @Test
    void malformedIdsNeverBecomePaths() {
        BlobStore store = new BlobStore(data);
        for (String bad : new String[] {"../etc", "..", "/etc/passwd", "ABCDEF0123456789ABCDEF0123456789", "", "a/b",
                REPORT + "/../x"}) {
            assertThatThrownBy(() -> store.path(bad, FILE)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.path(REPORT, bad)).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void symlinkedReportFolderOrBlobIsRefused() throws Exception {
        BlobStore store = new BlobStore(data);
        Path outside = Files.createDirectories(data.resolveSibling(data.getFileName() + "-outside"));
        Files.writeString(outside.resolve(FILE), "secret elsewhere");
        Files.createSymbolicLink(data.resolve("blobs").resolve(REPORT), outside);
        assertThatThrownBy(() -> store.path(REPORT, FILE)).isInstanceOf(StoreException.class);

        String other = "fedcba9876543210fedcba9876543210";
        Files.createDirectories(data.resolve("blobs").resolve(other));
        Files.createSymbolicLink(data.resolve("blobs").resolve(other).resolve(FILE), outside.resolve(FILE));
        assertThatThrownBy(() -> store.path(other, FILE)).isInstanceOf(StoreException.class);
    }

    @Test
    void sweepRemovesUnfinishedUploadsAndOrphansButKeepsKnownBlobs() throws Exception {
        BlobStore store = new BlobStore(data);
        BlobStore.Staged known = store.stage();
        known.commit(REPORT, FILE, HOUR);
        BlobStore.Staged orphan = store.stage();
        orphan.commit("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", FILE, HOUR);
        store.stage().output().write(7); // left unfinished, as after a crash
        int removed = store.sweep(List.<String[]>of(new String[] {REPORT, FILE}));
        assertThat(removed).isEqualTo(2);
        assertThat(Files.exists(store.path(REPORT, FILE))).isTrue();
        assertThat(Files.exists(data.resolve("blobs").resolve("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"))).isFalse();
    }
}

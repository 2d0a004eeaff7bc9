package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.vault.Argon2Params;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The upload and upload_piece DAO, on H2 and (when reachable) PostgreSQL. */
class UploadsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:17:42Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A report row (with its organization) for uploads to belong to; returns its id. */
    static String newReport(Database db) {
        Organizations orgs = new Organizations(db.jdbi(), CLOCK);
        Organization org = orgs.bySlug("news").orElseGet(() -> orgs.insert("news", "News", ""));
        String reportId = Ids.newId();
        long hour = Hours.now(CLOCK);
        new Reports(db.jdbi()).insert(new StoredReport(reportId, org.id(), ReportStatus.NEW, hour, hour,
                new byte[] {1}, new byte[] {2}), new ReceiptIndex(Ids.newId(), Ids.newId().substring(0, 8),
                Argon2Params.DEFAULT), Map.of(), List.of());
        return reportId;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void piecesMoveTheOffsetOnlyFromWhereTheWriterStarted(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            String reportId = newReport(db);
            Uploads uploads = new Uploads(db.jdbi());
            Reports reports = new Reports(db.jdbi());
            long hour = Hours.now(CLOCK);
            String id = "u".repeat(43);
            String fileId = Ids.newId();
            uploads.insert(new UploadRow(id, reportId, fileId, "REPORT", new byte[] {5, 6}, 1000, 0, 0,
                    UploadRow.State.RECEIVING, hour, hour + 7200, null));
            assertThat(reports.usage(reportId)).isEqualTo(new ReportUsage(1, 1000));
            assertThat(uploads.receiving(reportId)).isEqualTo(1);

            assertThat(uploads.recordPiece(id, 0, 0, 300, hour + 3 * 3600)).isTrue();
            // A second writer that started from the same offset records nothing.
            assertThat(uploads.recordPiece(id, 0, 0, 200, hour + 3 * 3600)).isFalse();
            assertThat(uploads.recordPiece(id, 0, 1, 200, hour + 3 * 3600)).isFalse();
            assertThat(uploads.recordPiece(id, 300, 1, 200, hour + 4 * 3600)).isTrue();
            UploadRow row = uploads.byId(id).orElseThrow();
            assertThat(row.committed()).isEqualTo(500);
            assertThat(row.pieces()).isEqualTo(2);
            assertThat(row.expiresHour()).isEqualTo(hour + 4 * 3600);
            assertThat(row.name()).isEqualTo(new byte[] {5, 6});
            assertThat(uploads.pieceSizes(id)).containsExactly(300L, 200L);
            assertThat(uploads.pieceSeqs(id)).containsExactly(0, 1);
            assertThat(uploads.allPieceKeys()).extracting(k -> k[0] + "/" + k[1]).containsExactly(id + "/0", id + "/1");
            assertThat(uploads.ofReport(reportId, UploadRow.State.RECEIVING)).extracting(UploadRow::id).containsExactly(id);

            assertThat(uploads.expired(hour + 4 * 3600 - 1)).isEmpty();
            assertThat(uploads.expired(hour + 4 * 3600)).extracting(UploadRow::id).containsExactly(id);

            assertThat(uploads.transition(id, UploadRow.State.RECEIVING, UploadRow.State.FINISHING)).isTrue();
            assertThat(uploads.transition(id, UploadRow.State.RECEIVING, UploadRow.State.FINISHING)).isFalse();
            assertThat(uploads.recordPiece(id, 500, 2, 10, hour)).as("no pieces once finishing").isFalse();
            assertThat(uploads.finishingFileKeys()).extracting(k -> k[0] + "/" + k[1]).containsExactly(reportId + "/" + fileId);
            String fresh = Ids.newId();
            assertThat(uploads.setFinalFileId(id, fresh)).isTrue();
            assertThat(uploads.setFinalFileId(id, Ids.newId())).as("chosen once").isFalse();
            assertThat(uploads.finishingFileKeys()).extracting(k -> k[1]).containsExactly(fresh);
            assertThat(uploads.finishing(reportId)).singleElement().extracting(UploadRow::finalFileId).isEqualTo(fresh);

            assertThat(uploads.tombstone(id, UploadRow.State.FINISHING, UploadRow.State.FINISHED, hour)).isTrue();
            UploadRow done = uploads.byId(id).orElseThrow();
            assertThat(done.state()).isEqualTo(UploadRow.State.FINISHED);
            assertThat(done.name()).isEmpty();
            assertThat(uploads.pieceSizes(id)).isEmpty();
            assertThat(reports.usage(reportId)).as("finished uploads count as their evidence row").isEqualTo(new ReportUsage(0, 0));
            assertThat(uploads.deleteTombstonesBefore(hour)).isZero();
            assertThat(uploads.deleteTombstonesBefore(hour + 1)).isEqualTo(1);
            assertThat(uploads.byId(id)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void terminatedUploadsBecomeTombstonesWithoutPieces(String kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            String reportId = newReport(db);
            Uploads uploads = new Uploads(db.jdbi());
            long hour = Hours.now(CLOCK);
            String id = "g".repeat(43);
            uploads.insert(new UploadRow(id, reportId, Ids.newId(), "MESSAGE", new byte[] {1}, 10, 0, 0,
                    UploadRow.State.RECEIVING, hour, hour + 3600, null));
            assertThat(uploads.recordPiece(id, 0, 0, 4, hour + 3600)).isTrue();
            assertThat(uploads.tombstone(id, UploadRow.State.RECEIVING, UploadRow.State.GONE, hour)).isTrue();
            assertThat(uploads.tombstone(id, UploadRow.State.RECEIVING, UploadRow.State.GONE, hour)).isFalse();
            assertThat(uploads.byId(id).orElseThrow().state()).isEqualTo(UploadRow.State.GONE);
            assertThat(uploads.allPieceKeys()).isEmpty();
            assertThat(uploads.receiving(reportId)).isZero();
            assertThat(uploads.recordPiece(id, 4, 1, 4, hour)).isFalse();
        }
    }
}

package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.vault.Argon2Params;
import dev.postern.vault.Crypto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report whose receipt the source is about to see must already be in the database file, not
 * only in H2's memory: the file is copied while the database is still open (what a kill -9 leaves
 * behind) and the copy must hold the report and its follow-up.
 */
class DurableCommitTest {
    private static final long HOUR = 1_700_000_000L / 3600 * 3600;

    @TempDir
    Path dir;

    @Test
    void aCommittedReportIsInTheEmbeddedDatabaseFileBeforeTheReceiptIsShown() throws Exception {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        String reportId = Ids.newId();
        String messageId = Ids.newId();
        try (Database db = TestDatabases.open("h2", live)) {
            Organization org = new Organizations(db.jdbi(), Clock.systemUTC()).insert("news", "News", "");
            Reports reports = new Reports(db.jdbi(), db::makeDurable);
            reports.insert(new StoredReport(reportId, org.id(), ReportStatus.NEW, HOUR, HOUR, Crypto.randomBytes(64),
                    Crypto.randomBytes(64)), new ReceiptIndex(Ids.newId(), "0000a001", Argon2Params.DEFAULT), Map.of(),
                    List.of());
            reports.addMessage(new StoredMessage(messageId, reportId, StoredMessage.Author.SOURCE, null,
                    Crypto.randomBytes(32), HOUR, false), List.of());
            copyTree(live, crashed);
        }
        try (Database copy = TestDatabases.open("h2", crashed)) {
            Reports reports = new Reports(copy.jdbi());
            assertThat(reports.byId(reportId)).as("the report in the file a crash leaves").isPresent();
            assertThat(reports.messages(reportId)).extracting(StoredMessage::id).containsExactly(messageId);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".lock.db")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}

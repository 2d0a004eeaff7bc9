package dev.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.vault.Argon2Params;
import dev.postern.vault.Crypto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A deleted reply's ciphertext stays in freed database pages until {@code compact} purges them. */
class DatabaseCompactTest {
    private static final long HOUR = 1_795_000_000L - 1_795_000_000L % 3600;

    @TempDir
    Path dir;

    @Test
    void deletedReplyCiphertextIsInTheH2FileBeforeCompactAndGoneAfter() throws Exception {
        byte[] ciphertext = Crypto.randomBytes(200);
        String reportId;
        Path file = dir.resolve("db").resolve("postern.mv.db");
        try (Database db = TestDatabases.open("h2", dir)) {
            reportId = reportWithDeletedReply(db, ciphertext);
            assertThat(indexOf(Files.readAllBytes(file), Arrays.copyOfRange(ciphertext, 50, 82)))
                    .as("the deleted reply's ciphertext is still in the file before compaction").isNotNegative();
            assertThat(db.compact()).contains("SHUTDOWN COMPACT");
        }
        assertThat(indexOf(Files.readAllBytes(file), Arrays.copyOfRange(ciphertext, 50, 82))).isNegative();
        try (Database db = TestDatabases.open("h2", dir)) {
            assertThat(new Reports(db.jdbi()).byId(reportId)).isPresent();
            assertThat(new Reports(db.jdbi()).messages(reportId)).singleElement()
                    .satisfies(m -> assertThat(m.body()).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void compactKeepsEveryLiveRow(String kind) throws Exception {
        Path other = Files.createDirectories(dir.resolve(kind));
        try (Database db = TestDatabases.open(kind, other)) {
            String reportId = reportWithDeletedReply(db, Crypto.randomBytes(100));
            String done = db.compact();
            if (kind.equals("postgresql")) {
                assertThat(done).contains("VACUUM FULL", "message", "report");
                assertThat(new Reports(db.jdbi()).byId(reportId)).isPresent();
            }
        }
    }

    private static String reportWithDeletedReply(Database db, byte[] replyCiphertext) {
        Organization org = new Organizations(db.jdbi(), java.time.Clock.systemUTC()).insert("news", "News", "");
        // As the server does: a reply is in the file once sent (Reports makes it durable).
        Reports reports = new Reports(db.jdbi(), db::makeDurable);
        String reportId = Ids.newId();
        reports.insert(new StoredReport(reportId, org.id(), ReportStatus.NEW, HOUR, HOUR, Crypto.randomBytes(64),
                Crypto.randomBytes(64)), new ReceiptIndex(Ids.newId(), "0000a001", Argon2Params.DEFAULT), Map.of(), List.of());
        String messageId = Ids.newId();
        reports.addMessage(new StoredMessage(messageId, reportId, StoredMessage.Author.RECIPIENT, null, replyCiphertext,
                HOUR, false), List.of());
        assertThat(reports.deleteReplyForSource(reportId, messageId)).isTrue();
        // What the server does after a source's commit: the file then holds everything so far.
        db.makeDurable();
        return reportId;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

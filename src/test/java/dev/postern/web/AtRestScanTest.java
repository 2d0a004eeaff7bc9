package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.Secret;
import dev.postern.desk.TriageService;
import dev.postern.domain.CaseLog;
import dev.postern.store.TestDatabases;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import dev.postern.testing.TusSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At rest, on H2 and PostgreSQL: after a report with a marker text, a marker file name and a
 * patterned file (and a reply, a follow-up and a status change, and a resumable tus upload of the
 * pattern, scanned once while its pieces are on disk and a PATCH is half received, once finished),
 * no table cell and no file under the data directory holds any of them, nor the client's address
 * or user agent.
 */
class AtRestScanTest {
    private static final String MARKER = "AtRestMarker-3b9d-what-happened";
    private static final String NAME_MARKER = "at-rest-name-marker-77.txt";
    private static final String FOLLOW_UP = "FollowUpMarker-c1a4";
    private static final String REPLY = "ReplyMarker-5e0f";
    /** Case handling: a note, a status change's reason and message, a renamed status, an edited template. */
    private static final String NOTE = "NoteMarker-at-rest-2f6b";
    private static final String REASON = "ReasonMarker-at-rest-8e1d";
    private static final String STATUS_MESSAGE = "StatusMessageMarker-a07c";
    private static final String STATUS_NAME = "StatusNameMarker-5d3e";
    private static final String TEMPLATE = "TemplateMarker-c9b2";
    private static final List<String> CASE_MARKERS = List.of(NOTE, REASON, STATUS_MESSAGE, STATUS_NAME, TEMPLATE);
    private static final String LABEL = "LabelMarker-9c2e";
    private static final byte[] PATTERN = "PATTERN-at-rest-0f1e2d3c;".getBytes(StandardCharsets.US_ASCII);
    private static final String TUS_NAME_MARKER = "at-rest-tus-name-marker-19.bin";
    /** Planted as the actor and subject of a case-log entry (ids are never plaintext there). */
    private static final String LOG_MARKER = "at-rest-case-log-actor-marker-42";
    /** The tus upload: one recorded PATCH, then one held open half-way while the scan runs. */
    private static final int TUS_PIECE = 1 << 20;
    private static final int TUS_LENGTH = 3 * TUS_PIECE;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.postern.store.TestDatabases#kinds")
    void nothingReadableInTablesOrFiles(String kind) throws Exception {
        PosternConfig config = PosternConfig.embedded(dir, 0);
        String jdbcUrl = null;
        if (kind.equals("postgresql")) {
            jdbcUrl = TestDatabases.freshPostgresSchema();
            config = config.withDatabase(jdbcUrl, "", new Secret(""));
        }
        byte[] evidence = new byte[PATTERN.length * 5000];
        for (int i = 0; i < evidence.length; i++) {
            evidence[i] = PATTERN[i % PATTERN.length];
        }
        List<String> cells = new ArrayList<>();
        long started = System.currentTimeMillis() - 1000;
        try (TestInstance instance = TestInstance.start(config, new MutableClock())) {
            Http source = new Http(instance);
            String receipt = source.submit("news", Map.of("what", MARKER, "where", MARKER),
                    Map.of(NAME_MARKER, evidence)).receipt();
            source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
            // Receipt first: a file added on the report page, committed on its own.
            Http.Page reportPage = source.get("/conversation");
            Matcher batch = Pattern.compile("name=\"batch\" value=\"([^\"]+)\"").matcher(reportPage.body());
            assertThat(batch.find()).isTrue();
            assertThat(source.postMultipart("/conversation/files", new Http.Multipart().field("csrf", reportPage.csrf())
                    .field("batch", batch.group(1)).file("files", NAME_MARKER, evidence)).status()).isEqualTo(303);
            Http.Page conversation = source.get("/conversation");
            source.postMultipart("/conversation/message", new Http.Multipart().field("csrf", conversation.csrf())
                    .field("nonce", conversation.nonce())
                    .field("message", FOLLOW_UP).file("files", NAME_MARKER, evidence));
            String dbUrl = jdbcUrl != null ? jdbcUrl : h2Url(dir);
            // An administrator, so that the organization has a case-log key (made at the login below), and for the
            // settings of labels, statuses and templates.
            promoteEveryone(dbUrl);
            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String orgId = instance.postern.admin().organizations().get(0).id();
            instance.postern.caseLog().append(orgId, new CaseLog.Entry(CaseLog.Action.GRANTED, LOG_MARKER, LOG_MARKER,
                    LOG_MARKER, 0));
            assertThat(cellsByTable(dbUrl).get("case_log")).as("the case-log entry was written").isNotEmpty();
            String id = DeskRoutesTest.reportIdWith(desk, MARKER);
            labelAndSearch(desk, id, instance.postern.triage());
            String deskCsrf = desk.get("/desk/reports/" + id).csrf();
            desk.postForm("/desk/reports/" + id + "/reply", "csrf", deskCsrf, "text", REPLY);
            caseWork(desk, id, deskCsrf);
            // A sanitized copy decrypts the evidence in a worker process: its scratch must leave nothing.
            Matcher sanitized = Pattern.compile("/desk/reports/" + id + "/files/[0-9a-f]{32}/sanitized")
                    .matcher(desk.get("/desk/reports/" + id).body());
            assertThat(sanitized.find()).as("a sanitized-copy link").isTrue();
            assertThat(desk.get(sanitized.group()).status()).isIn(200, 422);
            assertThat(source.get("/conversation").body()).contains(MARKER, FOLLOW_UP, REPLY, NAME_MARKER, STATUS_MESSAGE,
                    STATUS_NAME, TEMPLATE);

            // A resumable upload of the pattern: scanned with a recorded piece and a PATCH half
            // received (its piece being written), then again after it became evidence.
            byte[] tusFile = patterned(TUS_LENGTH);
            TusSession tus = TusSession.of(source, instance.baseUrl);
            String upload = tus.create(TUS_NAME_MARKER, TUS_LENGTH);
            HttpResponse<String> first = tus.patch(upload, 0, new ByteArrayInputStream(tusFile, 0, TUS_PIECE));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
            CountDownLatch scanned = new CountDownLatch(1);
            HeldBody held = new HeldBody(tusFile, TUS_PIECE, TUS_PIECE + TUS_PIECE / 2, scanned);
            CompletableFuture<HttpResponse<String>> rest = CompletableFuture.supplyAsync(() -> {
                try {
                    return tus.patch(upload, TUS_PIECE, held);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(held.reachedHold.await(60, TimeUnit.SECONDS)).as("the second PATCH is half sent").isTrue();
            try {
                String url = jdbcUrl != null ? jdbcUrl : h2Url(dir);
                Map<String, List<String>> midUpload = cellsByTable(url);
                assertThat(midUpload.get("upload")).as("cells of table upload mid-upload").isNotEmpty();
                assertThat(midUpload.get("upload_piece")).as("cells of table upload_piece mid-upload").isNotEmpty();
                assertWholeHours(url);
                List<String> midCells = midUpload.values().stream().flatMap(List::stream).toList();
                try (Stream<Path> pieces = Files.walk(dir.resolve("pieces"))) {
                    assertThat(pieces.map(f -> f.getFileName().toString()))
                            .as("mid-upload: a recorded piece and the half-received one (*.part) on disk")
                            .anyMatch(n -> n.endsWith(".part")).anyMatch(n -> n.matches("[0-9]+"));
                }
                List<String> midFiles = fileContents(dir);
                for (String needle : List.of(MARKER, NAME_MARKER, TUS_NAME_MARKER,
                        new String(PATTERN, StandardCharsets.ISO_8859_1), Http.USER_AGENT, "127.0.0.1")) {
                    assertThat(midCells).as("mid-upload: a table cell holding %s", needle).noneMatch(c -> c.contains(needle));
                    assertThat(midFiles).as("mid-upload: a file holding %s", needle).noneMatch(c -> c.contains(needle));
                }
            } finally {
                scanned.countDown();
            }
            HttpResponse<String> finished = rest.get(60, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).as(finished.body()).isEqualTo(204);
            assertThat(finished.headers().firstValue("Upload-Offset")).contains(Integer.toString(TUS_LENGTH));
            assertThat(TusSession.deskDownload(desk, id, TUS_NAME_MARKER)).isEqualTo(tusFile);
            if (jdbcUrl != null) {
                cells.addAll(allCells(jdbcUrl));
                assertThat(cellsByTable(jdbcUrl)).containsKeys("upload", "upload_piece");
                assertCaseTablesHoldRows(jdbcUrl);
                assertWholeHours(jdbcUrl);
            }
        }
        if (jdbcUrl == null) {
            cells.addAll(allCells(h2Url(dir)));
            assertThat(cellsByTable(h2Url(dir))).containsKeys("upload", "upload_piece");
            assertCaseTablesHoldRows(h2Url(dir));
            assertWholeHours(h2Url(dir));
        }
        assertThat(cells).as("table cells").hasSizeGreaterThan(20);
        List<String> files = fileContents(dir);
        List<String> needles = new ArrayList<>(List.of(MARKER, NAME_MARKER, TUS_NAME_MARKER, FOLLOW_UP, REPLY,
                LOG_MARKER, LABEL, new String(PATTERN, StandardCharsets.ISO_8859_1), Http.USER_AGENT, "127.0.0.1"));
        needles.addAll(CASE_MARKERS);
        for (String needle : needles) {
            assertThat(cells).as("a table cell holding %s", needle).noneMatch(c -> c.contains(needle));
            assertThat(files).as("a file holding %s", needle).noneMatch(c -> c.contains(needle));
        }
        // The temp directory and the RAM-backed scratch (sanitizer workers) too: every file written
        // there while this test ran. Only this test's own markers: other tests share these folders.
        List<String> scratch = new ArrayList<>();
        for (Path root : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/dev/shm"))) {
            scratch.addAll(filesWrittenSince(root, started));
        }
        List<String> ownNeedles = new ArrayList<>(List.of(MARKER, NAME_MARKER, TUS_NAME_MARKER, FOLLOW_UP, REPLY, LABEL,
                new String(PATTERN, StandardCharsets.ISO_8859_1)));
        ownNeedles.addAll(CASE_MARKERS);
        for (String needle : ownNeedles) {
            assertThat(scratch).as("a temp or scratch file holding %s", needle).noneMatch(c -> c.contains(needle));
        }
    }

    /**
     * The case work whose text must stay sealed: a status renamed (en, ru, uk), the acknowledgement
     * template edited and sent, a note, a status change with its reason and a message to the source.
     */
    private static void caseWork(Http desk, String id, String csrf) throws Exception {
        Http.Page statuses = desk.get("/desk/settings/statuses");
        Matcher inProgress = Pattern.compile("name=\"id\" value=\"([0-9a-f]{32})\">\\s*<input name=\"en\" type=\"text\""
                + " maxlength=\"100\" required value=\"In progress\"").matcher(statuses.body());
        assertThat(inProgress.find()).as("the In progress status on the settings page").isTrue();
        assertThat(desk.postForm("/desk/settings/statuses", "csrf", csrf, "action", "rename", "id", inProgress.group(1),
                "en", STATUS_NAME, "ru", STATUS_NAME + " ru", "uk", STATUS_NAME + " uk").status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/settings/templates", "csrf", csrf, "en", TEMPLATE + " {organization}",
                "ru", TEMPLATE, "uk", TEMPLATE).status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/reports/" + id + "/acknowledge", "csrf", csrf).status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/reports/" + id + "/notes", "csrf", csrf, "text", NOTE).status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/reports/" + id + "/status", "csrf", csrf, "status", inProgress.group(1),
                "reason", REASON, "message", STATUS_MESSAGE).status()).isEqualTo(303);
        assertThat(desk.get("/desk/reports/" + id).body()).contains(NOTE, REASON, STATUS_NAME, TEMPLATE);
    }

    /** The case tables were written (so the scan looked at real rows of them). */
    private static void assertCaseTablesHoldRows(String url) throws Exception {
        Map<String, List<String>> byTable = cellsByTable(url);
        for (String table : List.of("status_change", "case_note", "org_status", "org_template", "report_case",
                "org_label", "org_key_wrap")) {
            assertThat(byTable.get(table)).as("cells of table %s", table).isNotEmpty();
        }
    }

    /** Triage: every recipient an administrator (the label editor is theirs); TriageRoutesTest too. */
    static void promoteEveryone(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE recipient SET role = 'ADMIN'");
        }
    }

    /** Triage: a label with a marker name, put on the report, the list filtered by it, a search run. */
    private static void labelAndSearch(Http desk, String reportId, TriageService triage) throws Exception {
        Http.Page labels = desk.get("/desk/settings/labels");
        assertThat(desk.postForm("/desk/settings/labels", "csrf", labels.csrf(), "action", "add", "name", LABEL)
                .status()).isEqualTo(303);
        Matcher label = Pattern.compile("name=\"id\" value=\"([0-9a-f]{32})\"").matcher(desk.get("/desk/settings/labels").body());
        assertThat(label.find()).as("the new label").isTrue();
        assertThat(desk.postForm("/desk/reports/" + reportId + "/labels", "csrf", labels.csrf(),
                "label." + label.group(1), "1").status()).isEqualTo(303);
        assertThat(desk.get("/desk?label=" + label.group(1)).body()).contains(LABEL, "data-report=\"" + reportId + "\"");
        assertThat(triage.awaitSearchParts(Duration.ofSeconds(30))).as("the search part was built").isTrue();
        assertThat(desk.get("/desk?q=" + MARKER.substring(0, 12)).body()).contains("data-report=\"" + reportId + "\"");
    }

    private static byte[] patterned(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < b.length; i++) {
            b[i] = PATTERN[i % PATTERN.length];
        }
        return b;
    }

    /** The embedded database's URL, as Postern opens it (a second connection in this JVM shares it). */
    static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("postern").toAbsolutePath() + ";TRACE_LEVEL_FILE=0";
    }

    /** Every regular file under {@code root} as ISO-8859-1 text; files removed meanwhile are skipped. */
    static List<String> fileContents(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : paths) {
            try {
                files.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            } catch (NoSuchFileException e) {
                // a piece renamed or a staged file committed between the walk and the read
            }
        }
        return files;
    }

    /**
     * A PATCH body that sends the file from {@code from}, stops at {@code hold} until {@code release}
     * opens (the scan runs meanwhile), then sends the rest up to the file's end.
     */
    private static final class HeldBody extends InputStream {
        final CountDownLatch reachedHold = new CountDownLatch(1);
        private final byte[] file;
        private final int hold;
        private final CountDownLatch release;
        private int position;

        HeldBody(byte[] file, int from, int hold, CountDownLatch release) {
            this.file = file;
            this.position = from;
            this.hold = hold;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position == hold) {
                reachedHold.countDown();
                try {
                    if (!release.await(120, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            if (position >= file.length) {
                return -1;
            }
            int limit = position < hold ? hold : file.length;
            int n = Math.min(len, limit - position);
            System.arraycopy(file, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Regular files under {@code root} modified since {@code since} (ms), as ISO-8859-1 text. */
    static List<String> filesWrittenSince(Path root, long since) throws Exception {
        List<String> contents = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return contents;
        }
        List<Path> candidates;
        try (Stream<Path> walk = Files.walk(root)) {
            candidates = walk.filter(f -> {
                try {
                    return Files.isRegularFile(f) && Files.isReadable(f) && Files.size(f) < 64 << 20
                            && Files.getLastModifiedTime(f).toMillis() >= since;
                } catch (IOException e) {
                    return false; // gone meanwhile (another test's file)
                }
            }).toList();
        } catch (UncheckedIOException e) {
            return contents; // a folder of another test vanished mid-walk; what was read is checked
        }
        for (Path f : candidates) {
            try {
                contents.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // removed between the walk and the read
            }
        }
        return contents;
    }

    /** Every cell of every table of the schema, text as text and binary as ISO-8859-1. */
    static List<String> allCells(String url) throws Exception {
        return cellsByTable(url).values().stream().flatMap(List::stream).toList();
    }

    /**
     * Every time column of every table ({@code *_hour}: reports, messages, files, uploads and their
     * expiry) holds a whole hour: exact arrival times would tell who sent what when.
     */
    static void assertWholeHours(String url) throws Exception {
        int checked = 0;
        try (Connection c = DriverManager.getConnection(url);
             ResultSet columns = c.getMetaData().getColumns(null, c.getSchema(), "%", "%");
             Statement s = c.createStatement()) {
            List<String[]> hourColumns = new ArrayList<>();
            while (columns.next()) {
                if (columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT).endsWith("_hour")) {
                    hourColumns.add(new String[] {columns.getString("TABLE_NAME"), columns.getString("COLUMN_NAME")});
                }
            }
            assertThat(hourColumns).extracting(t -> (t[0] + "." + t[1]).toLowerCase(Locale.ROOT))
                    .contains("upload.created_hour", "upload.expires_hour", "report.created_hour");
            for (String[] t : hourColumns) {
                try (ResultSet rs = s.executeQuery("SELECT \"" + t[1] + "\" FROM \"" + t[0] + "\"")) {
                    while (rs.next()) {
                        long v = rs.getLong(1);
                        if (!rs.wasNull()) {
                            assertThat(v % 3600).as("%s.%s = %s is a whole hour", t[0], t[1], v).isZero();
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).as("hour cells checked").isPositive();
    }

    /** {@link #allCells}, by table (lower-case table name). */
    static Map<String, List<String>> cellsByTable(String url) throws Exception {
        Map<String, List<String>> byTable = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).extracting(String::toLowerCase).contains("report", "message", "evidence_file");
            try (Statement s = c.createStatement()) {
                for (String t : tables) {
                    List<String> cells = byTable.computeIfAbsent(t.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                    try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= n; i++) {
                                Object v = rs.getObject(i);
                                if (v instanceof byte[] b) {
                                    cells.add(new String(b, StandardCharsets.ISO_8859_1));
                                } else if (v != null) {
                                    cells.add(String.valueOf(v));
                                }
                            }
                        }
                    }
                }
            }
        }
        return byTable;
    }
}

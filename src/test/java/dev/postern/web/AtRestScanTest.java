package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.Secret;
import dev.postern.store.TestDatabases;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * At rest, on H2 and PostgreSQL: after a report with a marker text, a marker file name and a
 * patterned file (and a reply, a follow-up and a status change), no table cell and no file under the
 * data directory holds any of them, nor the client's address or user agent.
 */
class AtRestScanTest {
    private static final String MARKER = "AtRestMarker-3b9d-what-happened";
    private static final String NAME_MARKER = "at-rest-name-marker-77.txt";
    private static final String FOLLOW_UP = "FollowUpMarker-c1a4";
    private static final String REPLY = "ReplyMarker-5e0f";
    private static final byte[] PATTERN = "PATTERN-at-rest-0f1e2d3c;".getBytes(StandardCharsets.US_ASCII);

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
            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String id = DeskRoutesTest.reportIdWith(desk, MARKER);
            String deskCsrf = desk.get("/desk/reports/" + id).csrf();
            desk.postForm("/desk/reports/" + id + "/reply", "csrf", deskCsrf, "text", REPLY);
            desk.postForm("/desk/reports/" + id + "/status", "csrf", deskCsrf, "status", "ACKNOWLEDGED");
            // A sanitized copy decrypts the evidence in a worker process: its scratch must leave nothing.
            Matcher sanitized = Pattern.compile("/desk/reports/" + id + "/files/[0-9a-f]{32}/sanitized")
                    .matcher(desk.get("/desk/reports/" + id).body());
            assertThat(sanitized.find()).as("a sanitized-copy link").isTrue();
            assertThat(desk.get(sanitized.group()).status()).isIn(200, 422);
            assertThat(source.get("/conversation").body()).contains(MARKER, FOLLOW_UP, REPLY, NAME_MARKER);
            if (jdbcUrl != null) {
                cells.addAll(allCells(jdbcUrl));
            }
        }
        if (jdbcUrl == null) {
            cells.addAll(allCells("jdbc:h2:file:" + dir.resolve("db").resolve("postern").toAbsolutePath()));
        }
        assertThat(cells).as("table cells").hasSizeGreaterThan(20);
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String needle : List.of(MARKER, NAME_MARKER, FOLLOW_UP, REPLY,
                new String(PATTERN, StandardCharsets.ISO_8859_1), Http.USER_AGENT, "127.0.0.1")) {
            assertThat(cells).as("a table cell holding %s", needle).noneMatch(c -> c.contains(needle));
            assertThat(files).as("a file holding %s", needle).noneMatch(c -> c.contains(needle));
        }
        // The temp directory and the RAM-backed scratch (sanitizer workers) too: every file written
        // there while this test ran. Only this test's own markers: other tests share these folders.
        List<String> scratch = new ArrayList<>();
        for (Path root : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/dev/shm"))) {
            scratch.addAll(filesWrittenSince(root, started));
        }
        for (String needle : List.of(MARKER, NAME_MARKER, FOLLOW_UP, REPLY, new String(PATTERN, StandardCharsets.ISO_8859_1))) {
            assertThat(scratch).as("a temp or scratch file holding %s", needle).noneMatch(c -> c.contains(needle));
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
        List<String> cells = new ArrayList<>();
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
        return cells;
    }
}

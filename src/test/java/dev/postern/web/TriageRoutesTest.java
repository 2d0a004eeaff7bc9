package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk list in-process: the hook ids (filters, search, pager, rows), designations instead of
 * hex ids, a search, labels (admin editor, report form, list filter) and assignment ("assigned to
 * me"), form tokens and the administrators-only editor.
 */
class TriageRoutesTest {
    private static final Pattern ROW = Pattern.compile("<tr class=\"report [a-z]+\" data-report=\"([0-9a-f]{32})\">\\s*"
            + "<td>(?:<span class=\"badge\">[^<]*</span> )?<a href=\"/desk/reports/\\1\">([a-z]+ [a-z]+ [0-9]+)</a>");
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(dir);
        Http source = new Http(instance);
        for (String what : new String[] {"Tender for the bridge repairs", "Расследование закупок топлива",
                "Повістка без підстав"}) {
            assertThat(source.submit("news", Map.of("what", what), Map.of()).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    @Test
    void theListHasItsHooksAndShowsDesignations() throws Exception {
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        Http.Page list = desk.get("/desk");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("<form id=\"search\"", "name=\"q\"", "<form id=\"filters\"", "id=\"pager\"",
                "Tender for the bridge repairs", "Расследование закупок топлива");
        Matcher rows = ROW.matcher(list.body());
        int n = 0;
        while (rows.find()) {
            n++;
        }
        assertThat(n).as("rows with data-report and a designation").isEqualTo(3);
        assertThat(desk.get("/desk?sort=deadline&status=nonsense&assignee=%3Cx%3E&page=-4&unread=1&files=1").status())
                .as("unknown filter values are ignored, never a 500").isEqualTo(200);

        String found = search(desk, "РАССЛЕД");
        assertThat(found).contains("Расследование закупок топлива").doesNotContain("Tender for the bridge");
        assertThat(search(desk, "tend bri")).contains("Tender for the bridge").doesNotContain("Расследование");
    }

    @Test
    void labelsAndAssignment() throws Exception {
        AtRestScanTest.promoteEveryone(AtRestScanTest.h2Url(dir));
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String id = DeskRoutesTest.reportIdWith(desk, "Повістка без підстав");
        Http.Page report = desk.get("/desk/reports/" + id);
        assertThat(report.body()).contains("id=\"assign\"", "id=\"designation\"");
        Matcher designation = Pattern.compile("<h1 id=\"designation\">([a-z]+ [a-z]+ [0-9]+)</h1>").matcher(report.body());
        assertThat(designation.find()).as("the report page is titled with its designation").isTrue();

        Http.Page editor = desk.get("/desk/settings/labels");
        assertThat(editor.status()).isEqualTo(200);
        assertThat(desk.postForm("/desk/settings/labels", "csrf", "forged", "action", "add", "name", "x").status())
                .isEqualTo(403);
        assertThat(desk.postForm("/desk/settings/labels", "csrf", editor.csrf(), "action", "add", "name", " ").status())
                .isEqualTo(400);
        assertThat(desk.postForm("/desk/settings/labels", "csrf", editor.csrf(), "action", "add", "name",
                "Військкомат").status()).isEqualTo(303);
        Matcher label = Pattern.compile("name=\"id\" value=\"([0-9a-f]{32})\"").matcher(desk.get("/desk/settings/labels").body());
        assertThat(label.find()).isTrue();
        String labelId = label.group(1);

        report = desk.get("/desk/reports/" + id);
        assertThat(report.body()).contains("id=\"labels\"", "name=\"label." + labelId + "\"");
        assertThat(desk.postForm("/desk/reports/" + id + "/labels", "csrf", report.csrf(), "label." + labelId, "1")
                .status()).isEqualTo(303);
        Http.Page labelled = desk.get("/desk?label=" + labelId);
        assertThat(labelled.body()).contains("data-report=\"" + id + "\"", "Військкомат");
        assertThat(rowsIn(labelled.body())).isEqualTo(1);

        assertThat(rowsIn(desk.get("/desk?assignee=me").body())).isZero();
        Matcher me = Pattern.compile("<option value=\"([0-9a-f]{32})\"[^>]*>editor</option>").matcher(report.body());
        assertThat(me.find()).as("the owner select offers the colleague").isTrue();
        assertThat(desk.postForm("/desk/reports/" + id + "/assign", "csrf", report.csrf(), "owner", me.group(1))
                .status()).isEqualTo(303);
        assertThat(desk.postForm("/desk/reports/" + id + "/assign", "csrf", report.csrf(), "owner",
                "0123456789abcdef0123456789abcdef").status()).as("not a colleague").isEqualTo(400);
        Http.Page mine = desk.followRedirect(desk.get("/desk/mine"));
        assertThat(mine.body()).contains("data-report=\"" + id + "\"");
        assertThat(rowsIn(mine.body())).isEqualTo(1);
        assertThat(rowsIn(desk.get("/desk?assignee=none").body())).isEqualTo(2);
        assertThat(desk.get("/desk/reports/" + id).body()).containsPattern("<option value=\"" + me.group(1)
                + "\" selected>editor</option>");
    }

    private static int rowsIn(String body) {
        Matcher m = ROW.matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The list for a search; while the search part is being built the page says so and reloads itself. */
    private static String search(Http desk, String q) throws Exception {
        String url = "/desk?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            String body = desk.get(url).body();
            if (!body.contains("id=\"search-pending\"")) {
                return body;
            }
            assertThat(body).contains("http-equiv=\"refresh\"");
            Thread.sleep(100);
        }
        throw new AssertionError("the search part was never built");
    }
}

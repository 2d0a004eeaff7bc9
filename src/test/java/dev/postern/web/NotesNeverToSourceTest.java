package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An internal note (and a status change's reason) never reaches a source: with a marker written in
 * both, every source page in English, Russian and Ukrainian (home, form, receipt, return, the report
 * page with its status history, and the error pages) is fetched and none holds the marker.
 */
class NotesNeverToSourceTest {
    private static final String NOTE_MARKER = "NoteNeverToSource-9c2e";
    private static final String REASON_MARKER = "ReasonNeverToSource-4b7a";

    @TempDir
    Path dir;

    @Test
    void noSourcePageShowsANoteOrAReason() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            Http source = new Http(instance);
            Http.Page form = source.get("/o/news");
            source.postMultipart("/o/news/submit", new Http.Multipart().field("csrf", form.csrf())
                    .field("what", "Notes never to source"));
            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String id = DeskRoutesTest.reportIdWith(desk, "Notes never to source");
            String csrf = desk.get("/desk/reports/" + id).csrf();
            assertThat(desk.postForm("/desk/reports/" + id + "/notes", "csrf", csrf, "text", NOTE_MARKER).status())
                    .isEqualTo(303);
            assertThat(desk.postForm("/desk/reports/" + id + "/status", "csrf", csrf, "status", "IN_PROGRESS",
                    "reason", REASON_MARKER, "message", "A status message").status()).isEqualTo(303);
            assertThat(desk.get("/desk/reports/" + id).body()).as("the desk shows both")
                    .contains(NOTE_MARKER, REASON_MARKER);

            List<Http.Page> pages = new ArrayList<>();
            for (String lang : List.of("en", "ru", "uk")) {
                Http.Page conversation = source.get("/conversation?lang=" + lang);
                assertThat(conversation.body()).as("the report page rendered, with the status and its message")
                        .contains("id=\"report-status\"", "id=\"status-history\"", "A status message");
                pages.add(conversation);
                pages.add(source.get("/?lang=" + lang));
                pages.add(source.get("/o/news?lang=" + lang));
                pages.add(source.get("/return?lang=" + lang));
                pages.add(source.get("/no-such-page?lang=" + lang));
                pages.add(source.postForm("/return?lang=" + lang, "csrf", source.get("/return?lang=" + lang).csrf(),
                        "receipt", "00000 00000 00000 00000 00000"));
                // A refused message shows the report page again, with its error.
                pages.add(source.postMultipart("/conversation/message?lang=" + lang, new Http.Multipart()
                        .field("csrf", conversation.csrf()).field("nonce", conversation.nonce()).field("message", "")));
                // A fresh submission's receipt page, and the report page of that other report.
                Http other = new Http(instance);
                Http.Page otherForm = other.get("/o/news?lang=" + lang);
                pages.add(other.followRedirect(other.postMultipart("/o/news/submit?lang=" + lang,
                        new Http.Multipart().field("csrf", otherForm.csrf()).field("what", "other " + lang))));
                pages.add(other.get("/conversation?lang=" + lang));
                // Without a session: the error page of the report page.
                pages.add(new Http(instance).get("/conversation?lang=" + lang));
            }
            assertThat(pages).extracting(Http.Page::status).as("pages and error pages").contains(200, 400, 401, 403, 404);
            for (Http.Page page : pages) {
                assertThat(page.body()).as("a source page (HTTP %s)", page.status())
                        .doesNotContain(NOTE_MARKER, REASON_MARKER);
                assertThat(page.raw().headers().map().toString()).doesNotContain(NOTE_MARKER, REASON_MARKER);
            }
            assertThat(pages.stream().map(Http.Page::body).toList()).as("a receipt page among them")
                    .anyMatch(b -> b.contains("receipt") || b.contains("квитанц"));
        }
    }
}

package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.intake.Answers;
import dev.postern.intake.ReportContents;
import dev.postern.intake.SourceCaseView;
import dev.postern.intake.UnfinishedUpload;
import dev.postern.store.ReportStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report page's hooks for the upload helper, rendered from the template with unfinished
 * uploads (the running instance lists none until resumable uploads exist): the exact markup the
 * script reads, escaped.
 */
class ReportPageTemplateTest {
    @Test
    void unfinishedUploadsAreListedWithTheAttributesTheUploadHelperReads() {
        Map<String, Object> model = new HashMap<>();
        model.put("p", new PageContext(Texts.of("en"), "tok-123", "", "/conversation"));
        model.put("report", new ReportContents("r", ReportStatus.NEW, 0, new Answers("", "", "", ""), List.of(),
                List.of(new ReportContents.FileEntry("f", "kept.pdf", 2048))));
        model.put("error", "");
        model.put("errorAt", "");
        model.put("draft", "");
        model.put("nonce", "n");
        model.put("answersOpen", true);
        model.put("answersDraft", new Answers("", "", "", ""));
        model.put("batch", "b".repeat(32));
        model.put("unfinished", List.of(
                new UnfinishedUpload("AbC_-12", "video \"1\" <x>.mp4", 3 * 1024 * 1024, 1024 * 1024, "report"),
                new UnfinishedUpload("ZzZ", "note.txt", 10, 0, "message")));
        model.put("fileLimit", "4.0 GiB");
        model.put("reportLimit", "16.0 GiB");
        model.put("maxFiles", 100);
        model.put("kase", new SourceCaseView.Shown(null, ReportStatus.NEW, List.of(), "The Daily Test"));
        String page = new Templates().render("source/conversation.jte", model);

        assertThat(page).contains("<ul id=\"unfinished-uploads\">",
                "<li data-upload-url=\"/conversation/uploads/AbC_-12\" data-name=\"video &#34;1&#34; &lt;x>.mp4\""
                        + " data-size=\"3145728\"\n          data-offset=\"1048576\" data-context=\"report\">"
                        + "video \"1\" &lt;x&gt;.mp4 — 1.0 MiB/3.0 MiB</li>",
                "data-upload-url=\"/conversation/uploads/ZzZ\" data-name=\"note.txt\" data-size=\"10\"",
                "data-context=\"message\">note.txt — 0 B/10 B</li>",
                "Unfinished uploads",
                "<section id=\"upload\" data-tus-endpoint=\"/conversation/uploads\" data-tus-token=\"tok-123\""
                        + " data-tus-context=\"report\">",
                "name=\"batch\" value=\"" + "b".repeat(32) + "\"",
                "<li>kept.pdf <span class=\"muted\">(2.0 KiB)</span></li>");
    }
}

package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk's report page says who holds a wrap of the report's key. */
class ReportKeyHoldersPageTest {
    @TempDir
    Path dir;

    @Test
    void theReportPageListsTheRecipientsHoldingItsKey() throws Exception {
        try (TestInstance instance = TestInstance.start(dir)) {
            instance.postern.admin().addRecipient("news", "colleague", "colleague password 1");
            new Http(instance).submit("news", Map.of("what", "who can read this"), Map.of());
            instance.postern.admin().addRecipient("news", "latecomer", "latecomer password 1");
            Http desk = new Http(instance);
            assertThat(desk.loginDesk(instance).status()).isEqualTo(303);
            Matcher m = Pattern.compile("href=\"/desk/reports/([0-9a-f]{32})\"").matcher(desk.get("/desk").body());
            assertThat(m.find()).isTrue();
            String page = desk.get("/desk/reports/" + m.group(1)).body();
            Matcher holders = Pattern.compile("id=\"key-holders\">(.*?)</ul>", Pattern.DOTALL).matcher(page);
            assertThat(holders.find()).as(page).isTrue();
            assertThat(holders.group(1)).contains("colleague", "editor").doesNotContain("latecomer")
                    .doesNotContain("not pinned");
        }
    }
}

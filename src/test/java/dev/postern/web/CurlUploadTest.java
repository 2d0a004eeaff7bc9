package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl builds multipart bodies its own way (the benchmark and many scripts use it): what curl
 * sends must arrive whole, the answers as typed and the file byte for byte under its name.
 */
class CurlUploadTest {
    private static final String WHAT = "from curl: the depot moved on Tuesday";
    private static final String DETAILS = "Подробности: колонна ушла ночью";
    /** Non-ASCII and a space: curl sends the name as raw UTF-8 in the part header. */
    private static final String FILE_NAME = "протокол допроса 7.bin";

    @Test
    void curlMultipartUploadArrivesWhole(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        try (TestInstance instance = TestInstance.start(dir.resolve("data"))) {
            String token = new Http(instance).get("/o/news").csrf();
            Path file = dir.resolve("evidence.bin");
            byte[] content = new byte[3 * 1024 * 1024 + 17];
            new Random(3).nextBytes(content);
            Files.write(file, content);
            Path jar = dir.resolve("cookies");
            // -L -c/-b: the receipt may come after a 303 whose cookie the receipt page needs
            // (POST-redirect-GET); curl follows a 303 with a GET, as a browser does.
            Process p = new ProcessBuilder(List.of("/usr/bin/curl", "-sS", "-L", "-c", jar.toString(),
                    "-b", jar.toString(), "-H", "Origin: " + instance.baseUrl,
                    "-F", "csrf=" + token, "-F", "what=" + WHAT, "-F", "details=" + DETAILS,
                    "-F", "files=@" + file + ";filename=" + FILE_NAME + ";type=application/octet-stream",
                    "-w", "\nstatus=%{http_code}", instance.url("/o/news/submit")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).as("curl's final page").contains("id=\"receipt\"").endsWith("status=200");

            Http desk = new Http(instance);
            desk.loginDesk(instance);
            String id = DeskRoutesTest.reportIdWith(desk, WHAT);
            Http.Page report = desk.get("/desk/reports/" + id);
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.body()).contains(WHAT, DETAILS, FILE_NAME);
            Matcher link = Pattern.compile("/desk/reports/" + id + "/files/([0-9a-f]{32})\"").matcher(report.body());
            assertThat(link.find()).as("a download link in\n" + report.body()).isTrue();
            String fileId = link.group(1);
            assertThat(link.find()).as("exactly one file").isFalse();

            Http.Page download = desk.get("/desk/reports/" + id + "/files/" + fileId);
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.raw().body()).as("the file's bytes").isEqualTo(content);
            assertThat(download.header("Content-Disposition")).as("the file's name")
                    .contains("filename*=UTF-8''" + URLEncoder.encode(FILE_NAME, StandardCharsets.UTF_8).replace("+", "%20"));

            // Receipt first: the same cookie jar holds the source session; curl adds a file on the
            // report page's form, committed on its own.
            Process page = new ProcessBuilder(List.of("/usr/bin/curl", "-sS", "-b", jar.toString(),
                    instance.url("/conversation"))).redirectErrorStream(true).start();
            String reportPage = new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(page.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(reportPage);
            Matcher batch = Pattern.compile("name=\"batch\" value=\"([^\"]+)\"").matcher(reportPage);
            assertThat(csrf.find() && batch.find()).as("the report page's file form in\n" + reportPage).isTrue();
            byte[] second = new byte[1024 * 1024 + 5];
            new Random(4).nextBytes(second);
            Path secondFile = dir.resolve("second.bin");
            Files.write(secondFile, second);
            Process add = new ProcessBuilder(List.of("/usr/bin/curl", "-sS", "-b", jar.toString(),
                    "-H", "Origin: " + instance.baseUrl, "-F", "csrf=" + csrf.group(1), "-F", "batch=" + batch.group(1),
                    "-F", "files=@" + secondFile + ";filename=второй файл.bin;type=application/octet-stream",
                    "-o", "/dev/null", "-w", "status=%{http_code}", instance.url("/conversation/files")))
                    .redirectErrorStream(true).start();
            String added = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(add.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(added).isEqualTo("status=303");
            String withSecond = desk.get("/desk/reports/" + id).body();
            Matcher secondLink = Pattern.compile("/desk/reports/" + id + "/files/([0-9a-f]{32})\"[^>]*>второй файл\\.bin<")
                    .matcher(withSecond);
            assertThat(secondLink.find()).as("the second file in\n" + withSecond).isTrue();
            assertThat(desk.get("/desk/reports/" + id + "/files/" + secondLink.group(1)).raw().body()).isEqualTo(second);
        }
    }
}

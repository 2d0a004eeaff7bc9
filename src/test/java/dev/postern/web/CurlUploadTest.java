package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postern.testing.Http;
import dev.postern.testing.TestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl builds multipart bodies its own way (the benchmark and many scripts use it). */
class CurlUploadTest {
    @Test
    void curlMultipartUploadGetsAReceipt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        try (TestInstance instance = TestInstance.start(dir.resolve("data"))) {
            String token = new Http(instance).get("/o/news").csrf();
            Path file = dir.resolve("evidence.bin");
            byte[] content = new byte[3 * 1024 * 1024 + 17];
            new java.util.Random(3).nextBytes(content);
            Files.write(file, content);
            // The receipt comes by POST-redirect-GET with a session cookie: follow it like a browser.
            Path jar = dir.resolve("cookies.txt");
            Process p = new ProcessBuilder("/usr/bin/curl", "-s", "-L", "-c", jar.toString(), "-b", jar.toString(),
                    "-F", "csrf=" + token, "-F", "what=from curl",
                    "-F", "files=@" + file, instance.url("/o/news/submit")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            assertThat(out).contains("id=\"receipt\"");
        }
    }
}

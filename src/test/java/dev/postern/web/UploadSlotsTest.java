package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.HttpLimits;
import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that trickle hold at most half of the request slots: the source pages keep
 * answering, and a source whose upload finds no slot gets a clear page with their text kept.
 */
class UploadSlotsTest {
    @Test
    void tricklingUploadsCannotTakeEveryRequestSlot(@TempDir Path dir) throws Exception {
        // 4 request slots, so 2 upload slots; no rate floor, so only the upload cap stops the trickle.
        HttpLimits limits = new HttpLimits(100, 60, 0, 4);
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0).withHttp(limits),
                new MutableClock());
             RawClients raw = new RawClients(instance.baseUrl)) {
            Http browser = new Http(instance);
            for (int i = 0; i < 2; i++) {
                raw.open(RawClients.stalledUpload("/o/news/submit", browser.get("/o/news").csrf())
                        + "\r\n--" + RawClients.BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.bin\"\r\n\r\nxx");
            }
            // The stalled uploads take their slots when the server reads their file parts: until it
            // has, a source may still get one; from then on every new file is refused.
            Http.Page busy = eventually(() -> new Http(instance).submit("news", Map.of("what", "kept while busy"),
                    Map.of("f.txt", "file".getBytes(StandardCharsets.UTF_8))), p -> p.status() == 503);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).as("every busy page says when to come back").isEqualTo("60");
            assertThat(busy.body()).contains("very busy", "kept while busy");
            assertThat(new Http(instance).get("/o/news").status()).as("pages still answer").isEqualTo(200);
            assertThat(new Http(instance).submit("news", Map.of("what", "text only"), Map.of()).receipt())
                    .as("a report without files needs no upload slot").isNotBlank();
            raw.close();
            Http.Page after = eventually(() -> new Http(instance).submit("news", Map.of("what", "after"),
                    Map.of("f.txt", "file".getBytes(StandardCharsets.UTF_8))), p -> p.status() == 200);
            assertThat(after.receipt()).as("slots come back when the uploads end").isNotBlank();
        }
    }

    /** Repeats a request until its answer matches (the server acts on what it has read), 20 s at most. */
    private static Http.Page eventually(Attempt attempt, Predicate<Http.Page> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Http.Page last = attempt.run();
        while (!done.test(last) && System.nanoTime() < deadline) {
            last = attempt.run();
        }
        return last;
    }

    @FunctionalInterface
    private interface Attempt {
        Http.Page run() throws Exception;
    }
}

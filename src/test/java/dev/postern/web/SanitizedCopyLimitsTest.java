package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.config.SanitizerLimits;
import dev.postern.desk.RamWorkspace;
import dev.postern.sanitize.BigPng;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 7: eight desk users asking at once for a sanitized copy of a 420 KB PNG that
 * declares 12000x12000 pixels. Each copy runs in a worker process with the production limits (two
 * workers of 1024 MiB): every request gets a refusal with the reason or a "busy" page, and the
 * desk keeps serving.
 */
class SanitizedCopyLimitsTest {
    @TempDir
    static Path dir;
    static TestInstance instance;

    @BeforeAll
    static void start() throws Exception {
        instance = TestInstance.start(PosternConfig.embedded(dir, 0).withSanitizer(SanitizerLimits.DEFAULTS),
                new MutableClock());
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    @Test
    void eightConcurrentCopiesOfTheBigPngGetAReasonOrBusyAndTheDeskKeepsServing() throws Exception {
        new Http(instance).submit("news", Map.of("what", "Huge picture"),
                Map.of("bomb.png", BigPng.twelveThousandSquare(), "small.png", BigPng.of(40, 30)));
        Http desk = new Http(instance);
        desk.loginDesk(instance);
        String id = DeskRoutesTest.reportIdWith(desk, "Huge picture");
        String page = desk.get("/desk/reports/" + id).body();
        String bomb = fileId(page, id, "bomb.png");
        String small = fileId(page, id, "small.png");
        String bombCopy = "/desk/reports/" + id + "/files/" + bomb + "/sanitized";

        if (RamWorkspace.find().isEmpty()) {
            assertThat(desk.get(bombCopy).status()).isEqualTo(503);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Http.Page> pages = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Page>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Http browser = new Http(instance);
                browser.cookies().putAll(desk.cookies());
                futures.add(pool.submit(() -> {
                    go.await();
                    return browser.get(bombCopy);
                }));
            }
            go.countDown();
            for (Future<Http.Page> f : futures) {
                pages.add(f.get(180, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        List<Http.Page> refused = pages.stream().filter(p -> p.status() == 422).toList();
        List<Http.Page> busy = pages.stream().filter(p -> p.status() == 503).toList();
        assertThat(refused.size() + busy.size()).as("only refusals and busy pages, never a 500 or a copy")
                .isEqualTo(8);
        assertThat(refused).isNotEmpty().hasSizeLessThanOrEqualTo(8)
                .allSatisfy(p -> assertThat(p.body()).contains("was NOT sanitized", "12000x12000", "decompression bomb"));
        assertThat(busy).as("two workers cannot take eight copies at once").isNotEmpty()
                .allSatisfy(p -> {
                    assertThat(p.body()).contains("The sanitizer is busy");
                    assertThat(p.header("Retry-After")).isEqualTo("60");
                });

        // Serving as before: pages, and a sanitized copy once the workers are free again.
        assertThat(desk.get("/desk").status()).isEqualTo(200);
        Http.Page copy = desk.get("/desk/reports/" + id + "/files/" + small + "/sanitized");
        assertThat(copy.status()).isEqualTo(200);
        assertThat(copy.header("Content-Disposition")).contains("sanitized-small.png");
        try (Stream<Path> left = Files.list(RamWorkspace.find().orElseThrow())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("sanitize-"));
        }
    }

    private static String fileId(String page, String reportId, String name) {
        Matcher m = Pattern.compile("/desk/reports/" + reportId + "/files/([0-9a-f]{32})\"[^>]*>" + Pattern.quote(name))
                .matcher(page);
        assertThat(m.find()).as(name + " listed").isTrue();
        return m.group(1);
    }
}

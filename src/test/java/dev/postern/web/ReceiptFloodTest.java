package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.config.PosternConfig;
import dev.postern.testing.Http;
import dev.postern.testing.MutableClock;
import dev.postern.testing.TestInstance;
import dev.postern.vault.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fake receipts cannot keep a real source out of their conversation. */
class ReceiptFloodTest {
    @Test
    void aRealSourceOpensTheirConversationUnderTwentyFakeReceiptsPerSecond(@TempDir Path dir) throws Exception {
        try (TestInstance instance = TestInstance.start(PosternConfig.embedded(dir, 0), new MutableClock())) {
            String receipt = new Http(instance).submit("news", Map.of("what", "Flooded"), Map.of()).receipt();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicBoolean stopping = new AtomicBoolean();
            // The source comes once the flood is under way, and the flood goes on after it: counted
            // in answered fakes, not in sleeps.
            CountDownLatch before = new CountDownLatch(60);
            CountDownLatch after = new CountDownLatch(80);
            ScheduledExecutorService flood = Executors.newScheduledThreadPool(4);
            AtomicInteger sent = new AtomicInteger();
            flood.scheduleAtFixedRate(() -> {
                try {
                    // Well-formed fakes and malformed ones, 20 per second in all.
                    // Each with a fresh form token (they are single use), as a scripted attacker would.
                    String fake = sent.getAndIncrement() % 4 == 0 ? "12345" : Receipt.generate().grouped();
                    Http attacker = new Http(instance);
                    Http.Page answer = attacker.postForm("/return", "csrf", attacker.get("/return").csrf(), "receipt", fake);
                    // The receipt was checked (not the token refused): the page says it opens nothing.
                    int status = answer.body().contains("This receipt code opens nothing") ? answer.status() : -answer.status();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    before.countDown();
                    after.countDown();
                } catch (Exception e) {
                    if (!stopping.get()) {
                        statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            try {
                assertThat(before.await(60, TimeUnit.SECONDS)).as("the flood is under way").isTrue();
                Http source = new Http(instance);
                long t0 = System.nanoTime();
                Http.Page opened = source.postForm("/return", "csrf", source.get("/return").csrf(), "receipt", receipt);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(opened.status()).isEqualTo(303);
                assertThat(source.get("/conversation").body()).contains("Flooded");
                assertThat(after.await(60, TimeUnit.SECONDS)).as("the flood went on").isTrue();
                System.out.printf("receipt flood: %d fakes sent, statuses %s; the real source opened in %d ms%n",
                        sent.get(), statuses, took.toMillis());
                assertThat(took).isLessThan(Duration.ofSeconds(60));
            } finally {
                stopping.set(true);
                flood.shutdownNow();
                flood.awaitTermination(30, TimeUnit.SECONDS);
            }
            assertThat(sent.get()).isGreaterThan(60);
            assertThat(statuses).as("every fake got the same answer; none spent the budget").containsOnlyKeys(403);
        }
    }
}

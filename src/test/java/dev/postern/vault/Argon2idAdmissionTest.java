package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Expensive work is admitted in bounded lanes: full lanes refuse at once, abandoned work never runs. */
class Argon2idAdmissionTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);

    /** Work that holds the lane's only thread until the test releases it. */
    private CompletableFuture<String> occupy(Argon2Lane lane) throws InterruptedException {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> lane.run(() -> {
            started.countDown();
            release.await();
            return "first";
        }, () -> true), r -> Thread.ofVirtual().start(r));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return f;
    }

    @Test
    void aFullLaneRefusesAtOnce() throws Exception {
        Argon2Lane lane = new Argon2Lane("test", 1, 1, Duration.ofSeconds(30));
        CompletableFuture<String> first = occupy(lane);
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> lane.run(() -> "queued", () -> true),
                r -> Thread.ofVirtual().start(r));
        while (lane.load() < 2) {
            Thread.onSpinWait();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lane.run(() -> "third", () -> true))
                .isInstanceOfSatisfying(Argon2Refused.class, e -> assertThat(e.clientGone()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(queued.get(10, TimeUnit.SECONDS)).as("the queued one still runs").isEqualTo("queued");
    }

    @Test
    void workWhoseCallerHasGoneIsDroppedBeforeItRunsAndFreesItsPlace() throws Exception {
        Argon2Lane lane = new Argon2Lane("test", 1, 1, Duration.ofSeconds(30));
        CompletableFuture<String> first = occupy(lane);
        AtomicBoolean wanted = new AtomicBoolean(true);
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<String> abandoned = CompletableFuture.supplyAsync(() -> lane.run(() -> {
            ran.incrementAndGet();
            return "ran";
        }, wanted::get), r -> Thread.ofVirtual().start(r));
        while (lane.load() < 2) {
            Thread.onSpinWait();
        }
        wanted.set(false);
        assertThatThrownBy(() -> abandoned.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(Argon2Refused.class);
        assertThat(lane.load()).as("its queue place is free again").isEqualTo(1);
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> lane.run(() -> "next", () -> true),
                r -> Thread.ofVirtual().start(r));
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(ran.get()).as("abandoned work never ran").isZero();
    }

    @Test
    void aCallerThatIsAlreadyGoneIsNotQueued() {
        Argon2Lane lane = new Argon2Lane("test", 1, 1, Duration.ofSeconds(30));
        assertThatThrownBy(() -> lane.run(() -> "x", () -> false))
                .isInstanceOfSatisfying(Argon2Refused.class, e -> assertThat(e.clientGone()).isTrue());
        assertThat(lane.load()).isZero();
    }

    @Test
    void nothingWaitsLongerThanTheMaximumWait() throws Exception {
        Argon2Lane lane = new Argon2Lane("test", 1, 4, Duration.ofMillis(300));
        CompletableFuture<String> first = occupy(lane);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lane.run(() -> "late", () -> true)).isInstanceOf(Argon2Refused.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void sourcesAndDeskHaveSeparateLanes() {
        assertThat(Argon2id.Caller.source(() -> true).lane()).isSameAs(Argon2id.SOURCES);
        assertThat(Argon2id.Caller.desk(() -> true).lane()).isSameAs(Argon2id.DESK);
        assertThat(Argon2id.SOURCES).isNotSameAs(Argon2id.DESK);
    }

    @Test
    void aFullDeskLaneDoesNotDelaySources() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> Argon2id.DESK.run(() -> {
            holding.countDown();
            hold.await();
            return null;
        }, () -> true), r -> Thread.ofVirtual().start(r));
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            byte[] out = Argon2id.derive("secret".getBytes(), new byte[16], Argon2Params.DEFAULT,
                    Argon2id.Caller.source(() -> true));
            assertThat(out).hasSize(Argon2id.OUTPUT_BYTES);
        } finally {
            hold.countDown();
            blocker.get(10, TimeUnit.SECONDS);
        }
    }
}

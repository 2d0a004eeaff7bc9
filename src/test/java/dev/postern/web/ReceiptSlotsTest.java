package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import dev.postern.web.UsedTokens.TokenId;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Receipt slots end on time, on confirmation or on refusal, and stay bounded. */
class ReceiptSlotsTest {
    private final MutableClock clock = new MutableClock();
    private final ReceiptSlots slots = new ReceiptSlots(clock);

    @Test
    void aSlotShowsItsReceiptUntilItsLifetimeEnds() {
        ReceiptSlots.Slot s = slots.reserve(new TokenId(1, 1), "news");
        assertThat(s.pending()).isTrue();
        assertThat(s.receipt(Duration.ZERO)).isEmpty();
        slots.fulfil(s, "1234 5678");
        assertThat(slots.find(s.id())).containsSame(s);
        assertThat(slots.forToken(new TokenId(1, 1))).containsSame(s);
        assertThat(s.receipt(Duration.ZERO)).contains("1234 5678");
        clock.advance(ReceiptSlots.LIFETIME.minusSeconds(1));
        assertThat(slots.find(s.id())).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(slots.find(s.id())).isEmpty();
        assertThat(slots.forToken(new TokenId(1, 1))).isEmpty();
    }

    @Test
    void confirmedAndRefusedSlotsEndAtOnce() {
        ReceiptSlots.Slot written = slots.reserve(new TokenId(1, 2), "news");
        slots.fulfil(written, "1111");
        slots.end(written);
        assertThat(slots.find(written.id())).isEmpty();
        ReceiptSlots.Slot refused = slots.reserve(new TokenId(1, 3), "news");
        slots.cancel(refused);
        assertThat(refused.pending()).as("a waiting replay learns at once").isFalse();
        assertThat(refused.receipt(Duration.ZERO)).isEmpty();
        assertThat(slots.forToken(new TokenId(1, 3))).isEmpty();
        assertThat(slots.find(null)).isEmpty();
        assertThat(slots.find("unknown")).isEmpty();
        assertThat(slots.size()).isZero();
    }

    @Test
    void storedReceiptsBeyondTheCapDropTheOldest() {
        ReceiptSlots.Slot first = null;
        for (int i = 0; i < ReceiptSlots.CAP + 500; i++) {
            ReceiptSlots.Slot s = slots.reserve(new TokenId(2, i), "news");
            slots.fulfil(s, "r" + i);
            if (first == null) {
                first = s;
            }
            assertThat(slots.size()).isLessThanOrEqualTo(ReceiptSlots.CAP);
        }
        assertThat(slots.find(first.id())).isEmpty();
        assertThat(slots.forToken(new TokenId(2, ReceiptSlots.CAP + 499))).isPresent();
    }

    @Test
    void onlyOneRequestWaitsOnAPendingSlotSoACookieCannotHoldRequestSlots() throws Exception {
        ReceiptSlots.Slot s = slots.reserve(new TokenId(3, 1), "news");
        CountDownLatch waiting = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            s.receipt(Duration.ofSeconds(30));
        });
        waiting.await();
        while (first.getState() != Thread.State.WAITING && first.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        long t0 = System.nanoTime();
        assertThat(s.receipt(Duration.ofSeconds(30))).as("a second request does not wait").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        slots.fulfil(s, "9999");
        first.join();
        assertThat(s.receipt(Duration.ofSeconds(30))).contains("9999");
    }
}

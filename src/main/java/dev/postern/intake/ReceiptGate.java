package dev.postern.intake;

import java.time.Clock;
import java.time.Instant;

/**
 * A global token bucket over receipt checks that reach Argon2id. Sources have no addresses Postern
 * could limit by, so the whole instance shares one budget: with 83-bit receipts, Argon2id per guess
 * and this ceiling, guessing a receipt is out of reach. Only receipts whose tag matches a report
 * spend it (malformed or unmatched receipts are refused before), so fakes cannot keep a real
 * source out.
 */
public final class ReceiptGate implements ReceiptBudget {
    private final Clock clock;
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public ReceiptGate(Clock clock, int attemptsPerMinute) {
        this.clock = clock;
        this.capacity = attemptsPerMinute;
        this.perNano = attemptsPerMinute / 60e9;
        this.tokens = attemptsPerMinute;
        this.last = nanos();
    }

    @Override
    public synchronized boolean tryAcquire() {
        long now = nanos();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void refund() {
        tokens = Math.min(capacity, tokens + 1);
    }

    private long nanos() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}

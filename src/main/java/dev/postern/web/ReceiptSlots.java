package dev.postern.web;

import dev.postern.vault.Crypto;
import dev.postern.web.UsedTokens.TokenId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

/**
 * Where a new receipt waits, in memory only, for the page that shows it: the report POST answers
 * with a redirect and a session cookie naming the slot, so the receipt is never in a URL or in the
 * browser's history, and reloading the page shows the same receipt and creates nothing. A slot ends
 * when the source confirms they wrote the receipt down, or {@link #LIFETIME} after the report was
 * stored.
 *
 * <p>A slot is reserved when the report form's token is first accepted, so the same form sent
 * again (a double click whose first answer the browser dropped) leads to the same receipt instead
 * of a second report or none. Slots are bounded: ended ones go at once, pending ones belong to
 * requests in progress, and past {@link #CAP} the oldest stored receipt's slot is dropped.
 */
final class ReceiptSlots {
    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final int CAP = 10_000;
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    /** One receipt's slot: pending until the report is stored or refused. */
    static final class Slot {
        private final String id = Crypto.randomToken();
        private final String csrf = Crypto.randomToken();
        private final TokenId token;
        private final String organization;
        private final CountDownLatch settled = new CountDownLatch(1);
        /** At most one request waits on a pending slot: the cookie must not let one client hold many threads. */
        private final AtomicBoolean waiting = new AtomicBoolean();
        private volatile String receipt;
        /** The source session created with the report, so a resent form can be given its cookie again. */
        private volatile String sessionId;
        private volatile Instant storedAt;

        private Slot(TokenId token, String organization) {
            this.token = token;
            this.organization = organization;
        }

        String id() {
            return id;
        }

        /** The slot's own form token, for the "I wrote it down" button. */
        String csrf() {
            return csrf;
        }

        String organization() {
            return organization;
        }

        /** The source session opened with the report, or null. */
        String sessionId() {
            return sessionId;
        }

        /**
         * The receipt, once the report is stored; while it is pending, one request at a time waits
         * up to {@code wait} for it and any other is answered at once.
         */
        Optional<String> receipt(Duration wait) {
            if (settled.getCount() > 0 && waiting.compareAndSet(false, true)) {
                try {
                    settled.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.set(false);
                }
            }
            return Optional.ofNullable(receipt);
        }

        boolean pending() {
            return settled.getCount() > 0;
        }

        @Override
        public String toString() {
            return "Slot[REDACTED]";
        }
    }

    private final Clock clock;
    private final Map<String, Slot> byId = new LinkedHashMap<>();
    private final Map<TokenId, Slot> byToken = new HashMap<>();
    private Instant lastSweep;

    ReceiptSlots(Clock clock) {
        this.clock = clock;
    }

    /** A pending slot for the report being sent with the form token {@code token}. */
    synchronized Slot reserve(TokenId token, String organization) {
        sweep();
        Slot s = new Slot(token, organization);
        byId.put(s.id, s);
        byToken.put(token, s);
        return s;
    }

    /** The report is stored: its receipt can be shown until the slot ends. */
    synchronized void fulfil(Slot s, String receipt) {
        fulfil(s, receipt, null);
    }

    /** The report is stored and a source session opened for it (receipt first). */
    synchronized void fulfil(Slot s, String receipt, String sessionId) {
        s.receipt = receipt;
        s.sessionId = sessionId;
        s.storedAt = clock.instant();
        s.settled.countDown();
    }

    /** The report was refused: nothing to show. */
    synchronized void cancel(Slot s) {
        remove(s);
        s.settled.countDown();
    }

    /** The source wrote the receipt down. */
    synchronized void end(Slot s) {
        remove(s);
    }

    synchronized Optional<Slot> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        sweep();
        return live(byId.get(id));
    }

    /** The live slot of the report sent with form token {@code token}, if any. */
    synchronized Optional<Slot> forToken(TokenId token) {
        sweep();
        return live(byToken.get(token));
    }

    private Optional<Slot> live(Slot s) {
        if (s != null && s.storedAt != null && s.storedAt.isBefore(clock.instant().minus(LIFETIME))) {
            remove(s);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    synchronized int size() {
        return byId.size();
    }

    /** Drops expired slots (a full pass at most every few seconds) and keeps the cap. */
    private void sweep() {
        Instant now = clock.instant();
        if (byId.size() < CAP && lastSweep != null && now.isBefore(lastSweep.plus(SWEEP_EVERY))) {
            return;
        }
        lastSweep = now;
        Instant limit = now.minus(LIFETIME);
        byId.values().removeIf(s -> {
            boolean expired = s.storedAt != null && s.storedAt.isBefore(limit);
            if (expired) {
                byToken.remove(s.token);
            }
            return expired;
        });
        // Past the cap, the oldest stored receipts go first; requests in progress keep theirs.
        Iterator<Slot> oldest = byId.values().iterator();
        while (byId.size() >= CAP && oldest.hasNext()) {
            Slot s = oldest.next();
            if (s.storedAt != null) {
                oldest.remove();
                byToken.remove(s.token);
            }
        }
    }

    private void remove(Slot s) {
        byId.remove(s.id);
        byToken.remove(s.token, s);
    }
}

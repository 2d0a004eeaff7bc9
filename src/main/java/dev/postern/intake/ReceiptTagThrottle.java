package dev.postern.intake;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@value #CHECKS_PER_MINUTE} Argon2id checks per minute for receipts that share one tag.
 * A source opens their conversation a few times at most; someone who posts one genuine receipt
 * (their own) over and over would otherwise keep the sources' Argon2id lane busy for everyone. A
 * fake receipt reaches this only when its 32-bit tag matches a report's, which cannot be aimed.
 * Memory is bounded: the least recently used tags are forgotten first.
 */
final class ReceiptTagThrottle {
    static final int CHECKS_PER_MINUTE = 3;
    private static final int MAX_TRACKED = 10_000;
    private static final long WINDOW_SECONDS = 60;

    private record Window(long start, int checks) {
    }

    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    ReceiptTagThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Counts a check for this tag; false when the tag has had its checks this minute. */
    synchronized boolean tryCheck(String tag) {
        long now = clock.instant().getEpochSecond();
        Window w = windows.get(tag);
        if (w == null || now - w.start() >= WINDOW_SECONDS) {
            windows.put(tag, new Window(now, 1));
            return true;
        }
        if (w.checks() >= CHECKS_PER_MINUTE) {
            return false;
        }
        windows.put(tag, new Window(w.start(), w.checks() + 1));
        return true;
    }
}

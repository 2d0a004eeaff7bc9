package dev.postern.intake;

import dev.postern.vault.Crypto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The files (name and size) each report's recent file forms have kept, in memory only, so a form
 * sent again after a cut stores only the files that did not arrive the first time. A browser
 * without script resends the whole body; the form's random {@code batch} tells a resend from a new
 * form. Each report has one open batch, rendered with every page until a form of it arrives whole,
 * so choosing the same files again on a reloaded page also skips what was kept.
 *
 * <p>Bounded: {@link #BATCHES_PER_REPORT} batches per report, {@link #FILES_PER_BATCH} files per
 * batch, {@link #REPORTS} reports (the least recently used go first). Forgetting only means a resend
 * stores a file twice. Names are kept only as HMACs under a key that lives and dies with the process.
 */
final class RecentBatches {
    static final int BATCHES_PER_REPORT = 16;
    static final int FILES_PER_BATCH = 100;
    static final int REPORTS = 10_000;

    private record Kept(String nameMac, long size) {
    }

    private final byte[] key = Crypto.randomBytes(32);

    private static final class OfReport {
        private final Map<String, Set<Kept>> batches = new LinkedHashMap<>();
        /** Follow-up forms (by their nonce) whose message row exists, oldest first. */
        private final Map<String, String> messages = new LinkedHashMap<>();
        private final Deque<String> order = new ArrayDeque<>();
        private String open;
    }

    private final Map<String, OfReport> reports = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OfReport> eldest) {
            return size() > REPORTS;
        }
    };

    /** The batch the report's next file form carries: the open one, or a new one. */
    synchronized String open(String reportId, String fresh) {
        OfReport r = reports.computeIfAbsent(reportId, k -> new OfReport());
        if (r.open == null) {
            r.open = fresh;
        }
        return r.open;
    }

    /** A form of {@code batch} arrived whole: the next page gets a new batch. */
    synchronized void close(String reportId, String batch) {
        OfReport r = reports.get(reportId);
        if (r != null && batch.equals(r.open)) {
            r.open = null;
        }
    }

    synchronized boolean contains(String reportId, String batch, String name, long size) {
        OfReport r = reports.get(reportId);
        Set<Kept> kept = r == null ? null : r.batches.get(batch);
        return kept != null && kept.contains(kept(name, size));
    }

    /** The message a follow-up form (its nonce) created, so a resend of it adds to that message. */
    synchronized void rememberMessage(String reportId, String form, String messageId) {
        OfReport r = reports.computeIfAbsent(reportId, k -> new OfReport());
        r.messages.put(form, messageId);
        while (r.messages.size() > BATCHES_PER_REPORT) {
            r.messages.remove(r.messages.keySet().iterator().next());
        }
    }

    /** The message the follow-up form {@code form} created, or null. */
    synchronized String message(String reportId, String form) {
        OfReport r = reports.get(reportId);
        return r == null ? null : r.messages.get(form);
    }

    /** The largest size a file of this name was kept with under {@code batch}, or -1. */
    synchronized long largest(String reportId, String batch, String name) {
        OfReport r = reports.get(reportId);
        Set<Kept> kept = r == null ? null : r.batches.get(batch);
        if (kept == null) {
            return -1;
        }
        String mac = kept(name, 0).nameMac();
        return kept.stream().filter(k -> k.nameMac().equals(mac)).mapToLong(Kept::size).max().orElse(-1);
    }

    synchronized void add(String reportId, String batch, String name, long size) {
        OfReport r = reports.computeIfAbsent(reportId, k -> new OfReport());
        Set<Kept> kept = r.batches.get(batch);
        if (kept == null) {
            kept = new HashSet<>();
            r.batches.put(batch, kept);
            r.order.addLast(batch);
            while (r.order.size() > BATCHES_PER_REPORT) {
                r.batches.remove(r.order.removeFirst());
            }
        }
        if (kept.size() < FILES_PER_BATCH) {
            kept.add(kept(name, size));
        }
    }

    private Kept kept(String name, long size) {
        byte[] mac = Crypto.hmacSha256(key, name.getBytes(StandardCharsets.UTF_8));
        return new Kept(Base64.getEncoder().encodeToString(mac), size);
    }
}

package dev.postern.desk;

import dev.postern.vault.Crypto;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link LoginThrottle} in this process's memory, in a fixed amount of it.
 *
 * <p>Per username: the first {@value #FREE_FAILURES} failures are free, then each attempt must wait
 * 1, 2, 4, ... seconds after the previous one, at most {@link #USERNAME_CAP} (30 s: after ten wrong
 * attempts by someone else, the right password and code work within 60 s). Instance-wide: the first
 * {@value #FREE_GLOBAL_FAILURES} failures are free, then attempts are spaced by up to
 * {@link #GLOBAL_CAP}. Failures are forgiven one per {@link #FORGIVE_EVERY}.
 *
 * <p>Bounded memory: usernames are not keys of a map (a flood of unknown usernames would grow it).
 * Each username falls into one of {@value #SLOTS} slots by a keyed hash with a key made at start-up,
 * so an outsider can neither grow the state nor aim a delay at a chosen recipient through a slot
 * collision; known and unknown usernames are treated alike, so delays do not reveal which exist.
 */
public final class ProgressiveLoginThrottle implements LoginThrottle {
    static final int SLOTS = 4096;
    static final int FREE_FAILURES = 3;
    static final Duration USERNAME_CAP = Duration.ofSeconds(30);
    static final int FREE_GLOBAL_FAILURES = 30;
    static final Duration GLOBAL_CAP = Duration.ofSeconds(5);
    static final Duration FORGIVE_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final byte[] slotKey = Crypto.randomBytes(32);
    private final int[] failures = new int[SLOTS];
    private final long[] lastMillis = new long[SLOTS];
    private int globalFailures;
    private long globalLastMillis;

    public ProgressiveLoginThrottle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<Duration> tryAttempt(String username, boolean trustedDevice) {
        long now = clock.millis();
        int slot = slotOf(username);
        // Forgiveness is computed, not written back, until the attempt is counted: refused attempts
        // leave the state as it was.
        int mine = forgiven(failures[slot], lastMillis[slot], now);
        int everyone = forgiven(globalFailures, globalLastMillis, now);
        if (!trustedDevice) {
            long wait = Math.max(
                    remaining(mine, FREE_FAILURES, 1000, USERNAME_CAP, lastMillis[slot], now),
                    remaining(everyone, FREE_GLOBAL_FAILURES, 250, GLOBAL_CAP, globalLastMillis, now));
            if (wait > 0) {
                return Optional.of(Duration.ofMillis(wait));
            }
        }
        failures[slot] = mine + 1;
        lastMillis[slot] = now;
        globalFailures = everyone + 1;
        globalLastMillis = now;
        return Optional.empty();
    }

    @Override
    public synchronized void succeeded(String username) {
        int slot = slotOf(username);
        failures[slot] = 0;
        globalFailures = Math.max(0, globalFailures - 1);
    }

    @Override
    public synchronized void notChecked(String username) {
        int slot = slotOf(username);
        failures[slot] = Math.max(0, failures[slot] - 1);
        globalFailures = Math.max(0, globalFailures - 1);
    }

    /** The delay after {@code count} failures: none up to {@code free}, then doubling up to {@code cap}. */
    static long delayMillis(int count, int free, long firstMillis, Duration cap) {
        if (count <= free) {
            return 0;
        }
        int doublings = Math.min(count - free - 1, 30);
        return Math.min(cap.toMillis(), firstMillis << doublings);
    }

    private static long remaining(int count, int free, long firstMillis, Duration cap, long last, long now) {
        return Math.max(0, last + delayMillis(count, free, firstMillis, cap) - now);
    }

    private static int forgiven(int count, long last, long now) {
        long forgiven = Math.max(0, now - last) / FORGIVE_EVERY.toMillis();
        return (int) Math.max(0, count - forgiven);
    }

    private int slotOf(String username) {
        byte[] h = Crypto.hmacSha256(slotKey, username.getBytes(StandardCharsets.UTF_8));
        int v = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        return Math.floorMod(v, SLOTS);
    }
}

package dev.postern.store;

import java.time.Clock;

/** Source-side times are kept no finer than the hour, so they cannot be matched to traffic logs. */
public final class Hours {
    private Hours() {
    }

    /** Epoch seconds of the start of the current hour. */
    public static long now(Clock clock) {
        return floor(clock.instant().getEpochSecond());
    }

    /** Epoch seconds of the start of the hour that holds {@code epochSeconds}. */
    public static long floor(long epochSeconds) {
        return epochSeconds - Math.floorMod(epochSeconds, 3600);
    }
}

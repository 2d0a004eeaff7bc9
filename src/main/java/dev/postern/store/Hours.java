package dev.postern.store;

import java.time.Clock;

/** Source-side times are kept no finer than the hour, so they cannot be matched to traffic logs. */
public final class Hours {
    private Hours() {
    }

    /** Epoch seconds of the start of the current hour. */
    public static long now(Clock clock) {
        long s = clock.instant().getEpochSecond();
        return s - Math.floorMod(s, 3600);
    }
}

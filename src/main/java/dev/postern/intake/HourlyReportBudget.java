package dev.postern.intake;

import dev.postern.store.Hours;
import java.time.Clock;

/**
 * A {@link ReportBudget} in this process's memory: a count per clock hour (UTC), reset when the
 * hour turns. A report given back frees a place in the current hour (after the hour turned, in the
 * new one: at most the reports in progress at the turn, a slack that keeps the count this simple).
 */
public final class HourlyReportBudget implements ReportBudget {
    private final Clock clock;
    private final int perHour;
    private long hour = Long.MIN_VALUE;
    private int taken;

    public HourlyReportBudget(Clock clock, int perHour) {
        if (perHour < 1) {
            throw new IllegalArgumentException("perHour must be positive");
        }
        this.clock = clock;
        this.perHour = perHour;
    }

    @Override
    public synchronized boolean tryTake() {
        turnHour();
        if (taken >= perHour) {
            return false;
        }
        taken++;
        return true;
    }

    @Override
    public synchronized void giveBack() {
        turnHour();
        if (taken > 0) {
            taken--;
        }
    }

    private void turnHour() {
        long now = Hours.now(clock);
        if (now != hour) {
            hour = now;
            taken = 0;
        }
    }
}

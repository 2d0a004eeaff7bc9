package dev.postern.intake;

/**
 * How many new reports the instance accepts per hour, whoever sends them (sources have no address
 * Postern could count by). One process's count sits behind this interface so a shared (PostgreSQL)
 * count can follow.
 */
public interface ReportBudget {
    /** Takes one report from this hour's budget; false when it is spent. */
    boolean tryTake();

    /** Returns a report taken by {@link #tryTake} that was not stored after all. */
    void giveBack();
}

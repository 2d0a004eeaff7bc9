package dev.postern.config;

/**
 * Instance-wide budgets. Sources have no addresses Postern could limit by, so everyone shares them.
 *
 * @param receiptAttemptsPerMinute receipt checks that reach Argon2id, per minute (bursts up to this many)
 * @param reportsPerHour           new reports accepted per hour
 */
public record Budgets(int receiptAttemptsPerMinute, int reportsPerHour) {
    public static final Budgets DEFAULTS = new Budgets(30, 1000);

    public Budgets {
        Range.check("receipt.attempts-per-minute", receiptAttemptsPerMinute, 1, 1_000_000);
        Range.check("limits.reports-per-hour", reportsPerHour, 1, 100_000_000);
    }
}

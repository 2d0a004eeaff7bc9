package dev.postern.desk;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The EU Directive 2019/1937 clocks as date arithmetic, in calendar days of the organization's zone:
 * acknowledge within 7 days of receipt (Art. 9(1)(b)); give feedback within 3 months of the
 * acknowledgement, or of the end of the 7-day window when none was sent (Art. 9(1)(f)). Pure
 * functions of a report's row (whole hours) and a clock: the report page and the list use the same.
 */
public final class Deadlines {
    /** Days the directive allows for the acknowledgement. */
    public static final int ACK_DAYS = 7;
    /** Months the directive allows for the feedback. */
    public static final int FEEDBACK_MONTHS = 3;

    private Deadlines() {
    }

    /**
     * A report's due dates.
     *
     * @param ackOverdue      not acknowledged and today is past the due date (the due day itself is in time)
     * @param feedbackOverdue no feedback and today is past its due date
     */
    public record Due(LocalDate ackDue, LocalDate feedbackDue, boolean ackOverdue, boolean feedbackOverdue) {
        /** Whether either clock has run out. */
        public boolean overdue() {
            return ackOverdue || feedbackOverdue;
        }

        /** The next date that matters: the acknowledgement's while none was sent, else the feedback's; null when both are done. */
        public LocalDate nearest(boolean acknowledged, boolean feedbackGiven) {
            if (!acknowledged) {
                return ackDue;
            }
            return feedbackGiven ? null : feedbackDue;
        }
    }

    /**
     * The due dates of a report received in {@code createdHour} (epoch seconds; a report's hour is
     * floored, so receipt counts from that hour's date, never later than the real receipt).
     *
     * @param ackHour      when it was acknowledged, or null
     * @param feedbackHour when feedback was given, or null
     */
    public static Due of(long createdHour, Long ackHour, Long feedbackHour, ZoneId zone, Clock clock) {
        LocalDate received = dateOf(createdHour, zone);
        LocalDate ackDue = received.plusDays(ACK_DAYS);
        // plusMonths clamps to the month's end: 2027-11-30 + 3 months = 2028-02-29.
        LocalDate feedbackDue = (ackHour != null ? dateOf(ackHour, zone) : ackDue).plusMonths(FEEDBACK_MONTHS);
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        return new Due(ackDue, feedbackDue, ackHour == null && today.isAfter(ackDue),
                feedbackHour == null && today.isAfter(feedbackDue));
    }

    /** The calendar date of an instant (epoch seconds) in {@code zone}. */
    public static LocalDate dateOf(long epochSeconds, ZoneId zone) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSeconds), zone);
    }

    /** The organization's zone, UTC when the stored name is not one Java knows. */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}

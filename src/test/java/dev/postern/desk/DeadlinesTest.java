package dev.postern.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.store.Hours;
import dev.postern.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The EU Directive 2019/1937 clocks: 7 days to acknowledge, 3 months to give feedback (from the
 * acknowledgement, or from the end of the 7 days when none was sent), calendar days in the
 * organization's zone, month ends clamped; overdue only the day after a due date.
 */
class DeadlinesTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");

    /** The whole hour holding local noon of {@code date} in {@code zone}, as a report row stores it. */
    private static long hourOf(LocalDate date, ZoneId zone) {
        return Hours.floor(date.atTime(12, 0).atZone(zone).toEpochSecond());
    }

    private static MutableClock clockAt(LocalDateTime local, ZoneId zone) {
        MutableClock clock = new MutableClock();
        clock.advance(Duration.between(clock.instant(), local.atZone(zone).toInstant()));
        return clock;
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Kyiv"})
    void receivedBeforeTheLeapFebruaryIsDueOnItsLastDay(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        MutableClock clock = clockAt(LocalDateTime.parse("2027-11-24T09:00"), zone);
        Deadlines.Due due = Deadlines.of(hourOf(LocalDate.parse("2027-11-23"), zone), null, null, zone, clock);
        assertThat(due.ackDue()).isEqualTo("2027-11-30");
        assertThat(due.feedbackDue()).isEqualTo("2028-02-29");
        assertThat(due.ackOverdue()).isFalse();
        assertThat(due.feedbackOverdue()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Kyiv"})
    void acknowledgedOnTheLastOfJanuaryGivesFeedbackByTheLastOfApril(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        MutableClock clock = clockAt(LocalDateTime.parse("2028-02-01T10:00"), zone);
        Deadlines.Due due = Deadlines.of(hourOf(LocalDate.parse("2028-01-24"), zone),
                hourOf(LocalDate.parse("2028-01-31"), zone), null, zone, clock);
        assertThat(due.ackDue()).isEqualTo("2028-01-31");
        assertThat(due.feedbackDue()).isEqualTo("2028-04-30");
        assertThat(due.ackOverdue()).as("acknowledged: never overdue").isFalse();
    }

    @Test
    void withoutAcknowledgementFeedbackCountsFromTheEndOfTheSevenDays() {
        MutableClock clock = clockAt(LocalDateTime.parse("2027-03-01T08:00"), UTC);
        Deadlines.Due due = Deadlines.of(hourOf(LocalDate.parse("2026-11-22"), UTC), null, null, UTC, clock);
        assertThat(due.ackDue()).isEqualTo("2026-11-29");
        assertThat(due.feedbackDue()).isEqualTo("2027-02-28");
        assertThat(due.ackOverdue()).isTrue();
        assertThat(due.feedbackOverdue()).isTrue();
        assertThat(due.overdue()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Kyiv"})
    void overdueFlipsTheDayAfterTheDueDateNotOnIt(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        long received = hourOf(LocalDate.parse("2027-11-23"), zone);
        MutableClock clock = clockAt(LocalDateTime.parse("2027-11-30T23:59"), zone);
        assertThat(Deadlines.of(received, null, null, zone, clock).ackOverdue()).as("the last minute of the due day")
                .isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(Deadlines.of(received, null, null, zone, clock).ackOverdue()).as("the first minute after it")
                .isTrue();
        assertThat(Deadlines.of(received, received, null, zone, clock).ackOverdue()).as("acknowledged").isFalse();

        MutableClock feedbackDay = clockAt(LocalDateTime.parse("2028-02-29T23:00"), zone);
        assertThat(Deadlines.of(received, null, null, zone, feedbackDay).feedbackOverdue()).isFalse();
        feedbackDay.advance(Duration.ofHours(1));
        assertThat(Deadlines.of(received, null, null, zone, feedbackDay).feedbackOverdue()).isTrue();
        assertThat(Deadlines.of(received, null, received, zone, feedbackDay).feedbackOverdue()).as("feedback given")
                .isFalse();
    }

    @Test
    void theOrganizationsZoneDecidesTheDateOfALateEveningReport() {
        // 22:30 UTC on 23 November is already 00:30 on the 24th in Kyiv (UTC+2 in winter).
        long hour = Hours.floor(Instant.parse("2027-11-23T22:30:00Z").getEpochSecond());
        MutableClock clock = clockAt(LocalDateTime.parse("2027-11-24T12:00"), UTC);
        assertThat(Deadlines.of(hour, null, null, UTC, clock).ackDue()).isEqualTo("2027-11-30");
        assertThat(Deadlines.of(hour, null, null, KYIV, clock).ackDue()).isEqualTo("2027-12-01");
    }

    @Test
    void aWeekAcrossTheSpringClockChangeIsSevenCalendarDays() {
        // Kyiv moves to summer time on 28 March 2027 (03:00 -> 04:00): the week has 167 hours, still 7 days.
        long received = Hours.floor(LocalDateTime.parse("2027-03-25T23:30").atZone(KYIV).toEpochSecond());
        MutableClock clock = clockAt(LocalDateTime.parse("2027-04-01T23:59"), KYIV);
        Deadlines.Due due = Deadlines.of(received, null, null, KYIV, clock);
        assertThat(due.ackDue()).isEqualTo("2027-04-01");
        assertThat(due.ackOverdue()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(Deadlines.of(received, null, null, KYIV, clock).ackOverdue()).isTrue();
        // And the autumn change (31 October 2027, 04:00 -> 03:00): a 169-hour week, still 7 days.
        long autumn = Hours.floor(LocalDateTime.parse("2027-10-28T00:30").atZone(KYIV).toEpochSecond());
        assertThat(Deadlines.of(autumn, null, null, KYIV, clock).ackDue()).isEqualTo("2027-11-04");
    }

    @Test
    void anUnknownZoneNameFallsBackToUtc() {
        assertThat(Deadlines.zone("Mars/Olympus")).isEqualTo(UTC);
        assertThat(Deadlines.zone("Europe/Kyiv")).isEqualTo(KYIV);
    }
}

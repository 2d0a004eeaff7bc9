package dev.postern.intake;

import dev.postern.store.Hours;
import dev.postern.store.Reports;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes reports that were started (receipt first) but never got text or a file, once they are
 * {@code emptyReportHours} old and no resumable upload of theirs is still arriving. They were never
 * shown to recipients; their receipt then opens nothing, the same answer as a wrong receipt.
 *
 * <p>The age is read from the injected {@link Clock}, so tests move time with a MutableClock and
 * call {@link #sweepOnce}; the loop only decides how often to look.
 */
public final class EmptyReportSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(EmptyReportSweeper.class);
    /** How often the loop looks: empty reports live at least their hours, at most 10 minutes more. */
    public static final Duration EVERY = Duration.ofMinutes(10);
    private final Reports reports;
    private final Clock clock;
    private final int emptyReportHours;

    public EmptyReportSweeper(Reports reports, Clock clock, int emptyReportHours) {
        this.reports = reports;
        this.clock = clock;
        this.emptyReportHours = emptyReportHours;
    }

    /** Deletes what is due now; returns how many reports went. */
    public int sweepOnce() {
        // created_hour is the start of the hour the report was made in; strictly before this, it
        // is surely at least emptyReportHours old.
        long before = Hours.now(clock) - emptyReportHours * 3600L;
        int deleted = reports.deleteEmptyBefore(before);
        if (deleted > 0) {
            LOG.info("deleted {} report(s) that never got text or a file", deleted);
        }
        return deleted;
    }

    /** Runs {@link #sweepOnce} every {@link #EVERY} until the returned sweep is closed. */
    public PeriodicSweep start() {
        return PeriodicSweep.start("empty-report-sweeper", EVERY, this::sweepOnce);
    }
}

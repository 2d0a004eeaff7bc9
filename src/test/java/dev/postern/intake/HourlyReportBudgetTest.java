package dev.postern.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HourlyReportBudgetTest {
    @Test
    void theBudgetRefillsWhenTheHourTurnsAndTakesBackUnstoredReports() {
        MutableClock clock = new MutableClock();
        clock.advance(Duration.ofSeconds(3600 - Math.floorMod(clock.instant().getEpochSecond(), 3600)));
        HourlyReportBudget budget = new HourlyReportBudget(clock, 3);
        assertThat(budget.tryTake()).isTrue();
        assertThat(budget.tryTake()).isTrue();
        assertThat(budget.tryTake()).isTrue();
        assertThat(budget.tryTake()).isFalse();
        budget.giveBack();
        assertThat(budget.tryTake()).as("a refused report frees its place").isTrue();
        assertThat(budget.tryTake()).isFalse();
        clock.advance(Duration.ofMinutes(59));
        assertThat(budget.tryTake()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(budget.tryTake()).isTrue();
    }
}

package dev.postern.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The format of designations and their spread (uniqueness per organization is the store's, see ReportsTest). */
class DesignationsTest {
    @Test
    void aDesignationIsTwoWordsAndANumberFromOneTo99() {
        for (int i = 0; i < 2_000; i++) {
            String d = Designations.draw(0);
            assertThat(d).matches("[a-z]+ [a-z]+ [1-9][0-9]?");
            assertThat(Designations.isWellFormed(d)).isTrue();
        }
        assertThat(Designations.narrowCount()).isEqualTo(64 * 64 * 99);
    }

    @Test
    void afterRepeatedClashesTheNumberRangeWidens() {
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String d = Designations.draw(Designations.NARROW_ATTEMPTS);
            numbers.add(Integer.parseInt(d.substring(d.lastIndexOf(' ') + 1)));
        }
        assertThat(numbers.stream().anyMatch(n -> n > 99)).isTrue();
        assertThat(numbers).allMatch(n -> n >= 1 && n <= 9999);
    }

    @Test
    void drawsAreSpreadOverTheWholeSpace() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            seen.add(Designations.draw(0));
        }
        // 5,000 draws from 405,504 names: a few dozen repeats at most, never a small set.
        assertThat(seen.size()).isGreaterThan(4_900);
        assertThat(Designations.isWellFormed("Amber heron 27")).isFalse();
        assertThat(Designations.isWellFormed("amber heron")).isFalse();
    }
}

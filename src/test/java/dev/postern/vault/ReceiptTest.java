package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ReceiptTest {
    @Test
    void hasAtLeastEightyBitsOfEntropy() {
        assertThat(Receipt.entropyBits()).isGreaterThanOrEqualTo(80.0);
    }

    @Test
    void isShownAsFiveGroupsOfFiveDigits() {
        assertThat(Receipt.generate().grouped()).matches("[0-9]{5}( [0-9]{5}){4}");
    }

    @Test
    void generatedReceiptsDifferAndUseEveryDigit() {
        Set<String> seen = new HashSet<>();
        int[] counts = new int[10];
        for (int i = 0; i < 2000; i++) {
            String g = Receipt.generate().grouped();
            seen.add(g);
            for (char c : g.replace(" ", "").toCharArray()) {
                counts[c - '0']++;
            }
        }
        assertThat(seen).hasSize(2000);
        // 50,000 digits: each should appear about 5,000 times; a broken generator would not.
        for (int c : counts) {
            assertThat(c).isBetween(4500, 5500);
        }
    }

    @Test
    void parsesWhatPeopleType() {
        Receipt r = Receipt.generate();
        String digits = r.grouped().replace(" ", "");
        assertThat(Receipt.parse(r.grouped())).contains(r);
        assertThat(Receipt.parse(digits)).contains(r);
        assertThat(Receipt.parse(r.grouped().replace(' ', '-'))).contains(r);
        assertThat(Receipt.parse("  " + r.grouped().replace(" ", " - ") + "\n")).contains(r);
        assertThat(Receipt.parse(r.grouped().replace(' ', '.'))).contains(r);
        // Full-width digits (East Asian keyboards) and Arabic-Indic digits are the same digits.
        StringBuilder fullWidth = new StringBuilder();
        for (char c : digits.toCharArray()) {
            fullWidth.append((char) ('\uFF10' + (c - '0')));
        }
        assertThat(Receipt.parse(fullWidth.toString())).contains(r);
    }

    @Test
    void caseDoesNotMatterBecauseLettersAreNeverPartOfAReceipt() {
        assertThat(Receipt.parse("1234a 67890 12345 67890 12345")).isEmpty();
        assertThat(Receipt.parse("1234A 67890 12345 67890 12345")).isEmpty();
    }

    @Test
    void refusesWrongLengthsAndJunk() {
        assertThat(Receipt.parse("12345 67890 12345 67890 1234")).isEmpty();
        assertThat(Receipt.parse("12345 67890 12345 67890 123456")).isEmpty();
        assertThat(Receipt.parse("")).isEmpty();
        assertThat(Receipt.parse(null)).isEmpty();
        assertThat(Receipt.parse("1".repeat(500))).isEmpty();
        assertThat(Receipt.parse("12345_67890_12345_67890_12345")).isEmpty();
    }

    @Test
    void toStringRevealsNothing() {
        assertThat(Receipt.generate().toString()).isEqualTo("Receipt[REDACTED]");
    }

    @Property(tries = 500)
    void parsingNeverThrows(@ForAll String anything) {
        Receipt.parse(anything);
    }
}

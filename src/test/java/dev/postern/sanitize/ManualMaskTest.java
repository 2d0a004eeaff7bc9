package dev.postern.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManualMaskTest {
    @Test
    void longTimeRangesPrintAsPlainDecimalsThatParseBack() {
        ManualMask mask = new ManualMask(1, 2, 3, 4, 12_345_678.5, 98_765_432.0);
        assertThat(mask.toString()).isEqualTo("1,2,3,4@12345678.5-98765432");
        assertThat(ManualMask.parse(mask.toString())).isEqualTo(mask);
        assertThat(ManualMask.parse("5,6,7,8@0-1.25").toString()).isEqualTo("5,6,7,8@0-1.25");
        assertThat(ManualMask.parse("5,6,7,8").toString()).isEqualTo("5,6,7,8");
    }
}

package dev.postern.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postern.handoff.HandOffRequest.Span;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class HandOffCopiesRedactTest {

    @Test
    void spanIsReplacedByTheFixedMark() {
        assertThat(HandOffCopies.redact("unit 42 retreated at dawn", List.of(new Span(5, 7))))
                .isEqualTo("unit [REDACTED] retreated at dawn");
    }

    @Test
    void overlappingAndTouchingSpansBecomeOneMark() {
        assertThat(HandOffCopies.redact("abcdefghij", List.of(new Span(6, 8), new Span(1, 3), new Span(2, 4), new Span(4, 5))))
                .isEqualTo("a[REDACTED]f[REDACTED]ij");
    }

    @Test
    void spanPastTheEndIsCutAtTheEnd() {
        assertThat(HandOffCopies.redact("abc", List.of(new Span(1, 99)))).isEqualTo("a[REDACTED]");
        assertThat(HandOffCopies.redact("abc", List.of(new Span(5, 9)))).isEqualTo("abc");
    }

    /** Whatever the spans, no character inside one survives, and every character outside all of them does, in order. */
    @Property(tries = 300)
    void noRedactedCharacterSurvives(@ForAll @StringLength(min = 1, max = 40) String raw,
                                     @ForAll @IntRange(min = 0, max = 45) int a, @ForAll @IntRange(min = 1, max = 20) int len) {
        String text = raw.replace('[', '(').replace(']', ')').replace("REDACTED", "redacted");
        // A text of distinct markers: position i holds char 'a'+i, so survivors can be traced back.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            b.append((char) ('\u4e00' + i));
        }
        String marked = b.toString();
        String out = HandOffCopies.redact(marked, List.of(new Span(a, a + len)));
        for (int i = 0; i < marked.length(); i++) {
            boolean inside = i >= a && i < a + len;
            assertThat(out.indexOf(marked.charAt(i)) >= 0).isEqualTo(!inside);
        }
        if (a < marked.length()) {
            assertThat(out).contains(HandOffCopies.MARK);
        }
    }
}

package dev.postern.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CaseStateTest {
    @Property
    void encodingRoundTrips(@ForAll String owner, @ForAll Set<String> collaborators, @ForAll Set<String> labels,
                            @ForAll String status) {
        CaseState state = new CaseState(owner.isEmpty() ? null : owner, collaborators, labels, status, null);
        assertThat(CaseState.decode(state.encode())).isEqualTo(state);
    }

    @Test
    void equalStatesEncodeAlikeWhateverTheOrderOfTheirSets() {
        CaseState a = new CaseState("o", Set.of("b", "a", "c"), Set.of("x", "y"), "s", "t");
        CaseState b = new CaseState("o", Set.of("c", "a", "b"), Set.of("y", "x"), "s", "t");
        assertThat(a.encode()).isEqualTo(b.encode());
    }

    @Test
    void assignedMeansOwnerOrCollaborator() {
        CaseState state = CaseState.EMPTY.withOwner("alice").withCollaborators(Set.of("bob"));
        assertThat(state.assignedTo("alice")).isTrue();
        assertThat(state.assignedTo("bob")).isTrue();
        assertThat(state.assignedTo("carol")).isFalse();
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        byte[] encoded = CaseState.EMPTY.withOwner("alice").encode();
        assertThatThrownBy(() -> CaseState.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> CaseState.decode(longer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CaseState.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
    }
}

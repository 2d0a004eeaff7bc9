package dev.postern.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sealed case objects' plaintext: what is encoded decodes alike; anything else is refused. */
class CaseObjectsTest {
    private static final StatusNames CLOSED = new StatusNames("Closed", "Закрыто", "Закрито");
    private static final StatusNames SUBSTANTIATED = new StatusNames("substantiated", "факты подтвердились",
            "факти підтвердилися");

    @Test
    void aStatusChangeRoundTripsWithAndWithoutSubStatusAndMessage() {
        StatusChange full = new StatusChange("s1", "s2", CLOSED, SUBSTANTIATED, "x".repeat(70_000), "r1", "m1");
        assertThat(StatusChange.decode(full.encode())).isEqualTo(full);
        assertThat(full.nameIn("uk")).isEqualTo("Закрито — факти підтвердилися");
        StatusChange bare = new StatusChange("s1", null, CLOSED, null, "why", "r1", null);
        assertThat(StatusChange.decode(bare.encode())).isEqualTo(bare);
        assertThat(bare.nameIn("fr")).as("an unknown language reads English").isEqualTo("Closed");
    }

    @Test
    void notesAndNamesRoundTrip() {
        Note note = new Note("r1", "a note\nwith lines — and Кириллица");
        assertThat(Note.decode(note.encode())).isEqualTo(note);
        assertThat(StatusNames.decode(CLOSED.encode())).isEqualTo(CLOSED);
        assertThat(new StatusNames("a", " ", "c").complete()).isFalse();
        assertThat(new StatusNames("a", "b", "c".repeat(101)).complete()).isFalse();
    }

    @Test
    void truncatedTrailingOrForeignBytesAreRefused() {
        byte[] encoded = new Note("r1", "text").encode();
        assertThatThrownBy(() -> Note.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Note.decode(Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] otherVersion = encoded.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> Note.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusChange.decode(new Note("r1", "text").encode()))
                .as("a note is not a status change").isInstanceOf(IllegalArgumentException.class);
        byte[] nullAuthor = new byte[] {1, -1, -1, -1, -1, 0, 0, 0, 0};
        assertThatThrownBy(() -> Note.decode(nullAuthor)).as("a required field missing")
                .isInstanceOf(IllegalArgumentException.class);
    }
}

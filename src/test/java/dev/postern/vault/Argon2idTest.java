package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2idTest {
    /**
     * Known answers from the reference implementation's CLI (Debian package argon2, 20190702):
     * {@code echo -n PASSWORD | argon2 SALT -id -t 3 -k 65536 -p 1 -l 32 -r}.
     */
    @Test
    void matchesReferenceImplementation() {
        assertThat(HexFormat.of().formatHex(Argon2id.derive("correct horse battery staple".getBytes(StandardCharsets.UTF_8),
                "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Argon2Params.DEFAULT)))
                .isEqualTo("94c86f541abdb3d9aabfea59aa03963549483e9c0b1a79336e76b54cee6c917e");
        assertThat(HexFormat.of().formatHex(Argon2id.derive("12345678901234567890123".getBytes(StandardCharsets.UTF_8),
                "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII), Argon2Params.DEFAULT)))
                .isEqualTo("b21fcc9387f52bdd687698674a9f11d2da4da91036388931747bd99a77caae5f");
    }

    @Test
    void refusesShortSalts() {
        assertThatThrownBy(() -> Argon2id.derive(new byte[1], new byte[8], Argon2Params.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CryptoTest {
    @Test
    void hmacSha256MatchesRfc4231TestCaseTwoWhateverTheSplitOfItsParts() {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assertThat(HexFormat.of().formatHex(Crypto.hmacSha256(key,
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(Crypto.hmacSha256(key, "what do ya ".getBytes(StandardCharsets.US_ASCII),
                "want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(Crypto.hmacSha256("Jeff".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isNotEqualTo(expected);
    }

    @Test
    void randomTokensAreUrlSafeAndDistinct() {
        String a = Crypto.randomToken();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Crypto.randomToken()).isNotEqualTo(a);
    }
}

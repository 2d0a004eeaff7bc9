package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientKeyPinsTest {
    private static final byte[] PUBLIC = "a public keyset".getBytes();

    @TempDir
    Path dir;

    @Test
    void aPinVerifiesOnlyForTheSameRecipientOrganizationKeyAndPinningKey() {
        RecipientKeyPins pins = new RecipientKeyPins(RecipientKeyPins.newPinningKey());
        byte[] pin = pins.pin("ab", "c", PUBLIC);
        assertThat(pins.verifies("ab", "c", PUBLIC, pin)).isTrue();
        assertThat(pins.verifies("a", "bc", PUBLIC, pin)).as("fields are length-prefixed").isFalse();
        assertThat(pins.verifies("ab", "d", PUBLIC, pin)).isFalse();
        assertThat(pins.verifies("ab", "c", "another keyset".getBytes(), pin)).isFalse();
        assertThat(pins.verifies("ab", "c", PUBLIC, null)).isFalse();
        assertThat(pins.verifies("ab", "c", PUBLIC, new byte[pin.length])).isFalse();
        assertThat(new RecipientKeyPins(RecipientKeyPins.newPinningKey()).verifies("ab", "c", PUBLIC, pin)).isFalse();
    }

    @Test
    void theKeyFileIsOwnerOnlyNeverOverwrittenAndReadsBackTheSameKey() throws Exception {
        Path file = dir.resolve("etc").resolve("postern-pinning.key");
        RecipientKeyPins created = new RecipientKeyPins(CleartextPinningKeyFile.create(file));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] pin = created.pin("r", "o", PUBLIC);
        assertThat(new RecipientKeyPins(CleartextPinningKeyFile.read(file)).verifies("r", "o", PUBLIC, pin)).isTrue();
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> CleartextPinningKeyFile.create(file)).isInstanceOf(VaultException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> CleartextPinningKeyFile.read(file)).isInstanceOf(VaultException.class)
                .hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path link = dir.resolve("link.key");
        Files.createSymbolicLink(link, file);
        assertThatThrownBy(() -> CleartextPinningKeyFile.read(link)).isInstanceOf(VaultException.class);
        Path garbage = dir.resolve("garbage.key");
        Files.write(garbage, new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> CleartextPinningKeyFile.read(garbage)).isInstanceOf(VaultException.class);
    }

    @Test
    void unlockRefusesAPublicKeyThatIsNotThePrivateKeys() {
        byte[] totp = Totp.newSecret();
        RecipientCredentials genuine = RecipientCredentials.create("r1", "password one", totp, Argon2Params.DEFAULT);
        RecipientCredentials other = RecipientCredentials.create("r2", "password two", totp, Argon2Params.DEFAULT);
        assertThat(genuine.unlock("r1", "password one").privateKey().recipientId()).isEqualTo("r1");
        RecipientCredentials swapped = new RecipientCredentials(genuine.salt(), genuine.params(), genuine.verifier(),
                other.publicKeyset(), genuine.wrappedPrivateKeyset(), genuine.wrappedTotpSecret());
        assertThatThrownBy(() -> swapped.unlock("r1", "password one")).isInstanceOf(PublicKeyMismatchException.class);
        assertThatThrownBy(() -> swapped.unlock("r1", "wrong password")).isInstanceOf(VaultException.class);
    }
}

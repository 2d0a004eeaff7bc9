package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecipientCredentialsTest {
    private static final String ID = "11111111111111111111111111111111";

    @Test
    void correctPasswordUnlocksPrivateKeyAndTotpSecret() {
        byte[] totp = Totp.newSecret();
        RecipientCredentials c = RecipientCredentials.create(ID, "a long password!", totp, Argon2Params.DEFAULT);
        RecipientCredentials.Unlocked u = c.unlock(ID, "a long password!");
        assertThat(u.totpSecret()).isEqualTo(totp);
        assertThat(u.privateKey().recipientId()).isEqualTo(ID);
    }

    @Test
    void wrongPasswordIsRefused() {
        RecipientCredentials c = RecipientCredentials.create(ID, "a long password!", Totp.newSecret(), Argon2Params.DEFAULT);
        assertThatThrownBy(() -> c.unlock(ID, "a long password?")).isInstanceOf(VaultException.class);
    }

    @Test
    void unlockFailsWhenWrappedKeyMovedToOtherRecipient() {
        RecipientCredentials c = RecipientCredentials.create(ID, "a long password!", Totp.newSecret(), Argon2Params.DEFAULT);
        assertThatThrownBy(() -> c.unlock("22222222222222222222222222222222", "a long password!"))
                .isInstanceOf(VaultException.class);
    }

    @Test
    void flippingAByteOfTheWrappedPrivateKeyMakesUnlockFail() {
        RecipientCredentials c = RecipientCredentials.create(ID, "a long password!", Totp.newSecret(), Argon2Params.DEFAULT);
        byte[] tampered = c.wrappedPrivateKeyset().clone();
        tampered[tampered.length / 2] ^= 1;
        RecipientCredentials bad = new RecipientCredentials(c.salt(), c.params(), c.verifier(), c.publicKeyset(),
                tampered, c.wrappedTotpSecret());
        assertThatThrownBy(() -> bad.unlock(ID, "a long password!")).isInstanceOf(VaultException.class);
    }

    @Test
    void passwordChangeKeepsTheRecipientsCostAndChecksTheSecondFactor() {
        Argon2Params raised = new Argon2Params(80 * 1024, 3, 1);
        byte[] totp = Totp.newSecret();
        RecipientCredentials c = RecipientCredentials.create(ID, "old password 123", totp, raised);
        assertThatThrownBy(() -> c.rewrap(ID, "old password 123", "new password 456", secret -> {
            assertThat(secret).isEqualTo(totp);
            throw new IllegalStateException("code refused");
        }, Argon2id.Caller.LOCAL)).hasMessage("code refused");
        RecipientCredentials changed = c.rewrap(ID, "old password 123", "new password 456",
                secret -> assertThat(secret).isEqualTo(totp), Argon2id.Caller.LOCAL);
        assertThat(changed.params()).as("not reset to the default").isEqualTo(raised);
        assertThat(changed.unlock(ID, "new password 456").totpSecret()).isEqualTo(totp);
    }

    @Test
    void passwordChangeRewrapsTheSameKeyPair() {
        RecipientCredentials c = RecipientCredentials.create(ID, "old password 123", Totp.newSecret(), Argon2Params.DEFAULT);
        ReportKey key = ReportKey.generate();
        String report = "0123456789abcdef0123456789abcdef";
        byte[] wrapped = key.wrapTo(RecipientPublicKey.parse(ID, c.publicKeyset()), report);
        RecipientCredentials changed = c.rewrap(ID, "old password 123", "new password 456");
        assertThat(changed.publicKeyset()).isEqualTo(c.publicKeyset());
        assertThat(changed.salt()).isNotEqualTo(c.salt());
        assertThatThrownBy(() -> changed.unlock(ID, "old password 123")).isInstanceOf(VaultException.class);
        RecipientPrivateKey pk = changed.unlock(ID, "new password 456").privateKey();
        byte[] sealed = key.seal("still readable", ObjectRef.answers(report));
        assertThat(ReportKey.unwrap(pk, wrapped, report).openString(sealed, ObjectRef.answers(report)))
                .isEqualTo("still readable");
        assertThatThrownBy(() -> c.rewrap(ID, "wrong", "x".repeat(20))).isInstanceOf(VaultException.class);
    }

    @Test
    void argon2ParametersHaveAFloor() {
        assertThat(Argon2Params.DEFAULT.memoryKib()).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(Argon2Params.DEFAULT.iterations()).isGreaterThanOrEqualTo(3);
        assertThatThrownBy(() -> new Argon2Params(32 * 1024, 3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(64 * 1024, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receiptSecretsUnwrapOnlyWithTheSameReceiptAndReport() {
        byte[] salt = Crypto.randomBytes(16);
        Receipt receipt = Receipt.generate();
        ReceiptSecrets s = ReceiptSecrets.derive(receipt, salt);
        String report = "0123456789abcdef0123456789abcdef";
        ReportKey key = ReportKey.generate();
        byte[] wrapped = s.wrap(key, report);
        ReceiptSecrets again = ReceiptSecrets.derive(Receipt.parse(receipt.grouped().replace(' ', '-')).orElseThrow(), salt);
        assertThat(again.lookupId()).isEqualTo(s.lookupId()).hasSize(64);
        byte[] sealed = key.seal("x", ObjectRef.answers(report));
        assertThat(again.unwrap(wrapped, report).openString(sealed, ObjectRef.answers(report))).isEqualTo("x");
        assertThatThrownBy(() -> again.unwrap(wrapped, "fedcba9876543210fedcba9876543210")).isInstanceOf(VaultException.class);
        ReceiptSecrets other = ReceiptSecrets.derive(Receipt.generate(), salt);
        assertThat(other.lookupId()).isNotEqualTo(s.lookupId());
        assertThatThrownBy(() -> other.unwrap(wrapped, report)).isInstanceOf(VaultException.class);
        // The same receipt on another instance (other salt) finds nothing there.
        assertThat(ReceiptSecrets.derive(receipt, Crypto.randomBytes(16)).lookupId()).isNotEqualTo(s.lookupId());
    }
}

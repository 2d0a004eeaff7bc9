package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Wraps bound to their generation; the source's key pair and its wraps. */
class ReportKeyGenerationTest {
    private static final String REPORT = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_REPORT = "fedcba9876543210fedcba9876543210";
    private static final ObjectRef NOTE = ObjectRef.message(REPORT, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

    private static RecipientCredentials.Unlocked person(String id) {
        return RecipientCredentials.create(id, "a password 12", Totp.newSecret(), Argon2Params.DEFAULT)
                .unlock(id, "a password 12");
    }

    private static RecipientPublicKey publicOf(String id, RecipientCredentials c) {
        return RecipientPublicKey.parse(id, c.publicKeyset());
    }

    @Test
    void generationZeroKeepsTheContextOfWrapsMadeBeforeGenerations() {
        RecipientCredentials c = RecipientCredentials.create("alice", "a password 12", Totp.newSecret(), Argon2Params.DEFAULT);
        RecipientPrivateKey alice = c.unlock("alice", "a password 12").privateKey();
        ReportKey key = ReportKey.generate();
        byte[] sealed = key.seal("text", NOTE);

        byte[] oldStyle = key.wrapTo(publicOf("alice", c), REPORT);
        assertThat(ReportKey.unwrap(alice, oldStyle, REPORT, 0).openString(sealed, NOTE)).isEqualTo("text");
        assertThat(new String(ReportKey.contextInfo(REPORT, "alice", 0), StandardCharsets.UTF_8))
                .isEqualTo("postern/v1/report-key/" + REPORT + "/recipient/alice");
    }

    @Test
    void aWrapOfGenerationOneOpensForNoOtherGenerationRecipientOrReport() {
        RecipientCredentials c = RecipientCredentials.create("alice", "a password 12", Totp.newSecret(), Argon2Params.DEFAULT);
        RecipientPrivateKey alice = c.unlock("alice", "a password 12").privateKey();
        RecipientPrivateKey bob = person("bob").privateKey();
        ReportKey key = ReportKey.generate();
        byte[] wrapped = key.wrapTo(publicOf("alice", c), REPORT, 1);

        assertThat(ReportKey.unwrap(alice, wrapped, REPORT, 1).openString(key.seal("x", NOTE), NOTE)).isEqualTo("x");
        assertThatThrownBy(() -> ReportKey.unwrap(alice, wrapped, REPORT, 0)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> ReportKey.unwrap(alice, wrapped, REPORT, 2)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> ReportKey.unwrap(alice, wrapped, OTHER_REPORT, 1)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> ReportKey.unwrap(bob, wrapped, REPORT, 1)).isInstanceOf(VaultException.class);
    }

    @Test
    void aSourceWrapOpensOnlyWithTheSourcePairForItsReportAndGeneration() {
        SourceKeyPair pair = SourceKeyPair.generate(REPORT);
        ReportKey key = ReportKey.generate();
        byte[] wrapped = key.wrapToSource(SourceKeyPair.publicKey(REPORT, pair.publicKeyset()), REPORT, 1);

        assertThat(ReportKey.unwrapAsSource(pair.privateKey(), wrapped, REPORT, 1).openString(key.seal("y", NOTE), NOTE))
                .isEqualTo("y");
        assertThatThrownBy(() -> ReportKey.unwrapAsSource(pair.privateKey(), wrapped, REPORT, 2))
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> ReportKey.unwrapAsSource(pair.privateKey(), wrapped, OTHER_REPORT, 1))
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> ReportKey.unwrapAsSource(SourceKeyPair.generate(REPORT).privateKey(), wrapped, REPORT, 1))
                .isInstanceOf(VaultException.class);
        // A source wrap is no recipient wrap, even for a recipient named like the source.
        assertThatThrownBy(() -> ReportKey.unwrap(pair.privateKey(), wrapped, REPORT, 1)).isInstanceOf(VaultException.class);
    }

    @Test
    void theSourcePrivateKeyOpensOnlyWithItsReceiptForItsReportAndItsOwnPublicKey() {
        byte[] salt = Crypto.randomBytes(16);
        Receipt receipt = Receipt.generate();
        ReceiptSecrets secrets = ReceiptSecrets.derive(receipt, salt, Argon2Params.DEFAULT, Argon2id.Caller.LOCAL);
        SourceKeyPair pair = SourceKeyPair.generate(REPORT);
        byte[] wrapped = secrets.wrapSourcePrivate(pair);
        byte[] publicKeyset = pair.publicKeyset();

        ReportKey key = ReportKey.generate();
        byte[] toSource = key.wrapToSource(SourceKeyPair.publicKey(REPORT, publicKeyset), REPORT, 3);
        SourceKeyPair opened = ReceiptSecrets.derive(receipt, salt, Argon2Params.DEFAULT, Argon2id.Caller.LOCAL)
                .unwrapSourcePrivate(wrapped, REPORT, publicKeyset);
        assertThat(ReportKey.unwrapAsSource(opened.privateKey(), toSource, REPORT, 3).openString(key.seal("z", NOTE), NOTE))
                .isEqualTo("z");

        ReceiptSecrets other = ReceiptSecrets.derive(Receipt.generate(), salt, Argon2Params.DEFAULT, Argon2id.Caller.LOCAL);
        assertThatThrownBy(() -> other.unwrapSourcePrivate(wrapped, REPORT, publicKeyset)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> secrets.unwrapSourcePrivate(wrapped, OTHER_REPORT, publicKeyset))
                .isInstanceOf(VaultException.class);
        // A public key swapped in the database (to receive the next generations) is noticed.
        assertThatThrownBy(() -> secrets.unwrapSourcePrivate(wrapped, REPORT, SourceKeyPair.generate(REPORT).publicKeyset()))
                .isInstanceOf(VaultException.class);
        // The receipt's two wrapping keys are independent: the report-key wrap does not open as the source key.
        assertThatThrownBy(() -> secrets.unwrap(wrapped, REPORT)).isInstanceOf(VaultException.class);
    }
}

package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrgDataKeyTest {
    private static final String ORG = "org1";

    @Test
    void sealedObjectsOpenOnlyAsWhatTheyWereSealedAs() {
        OrgDataKey key = OrgDataKey.generate();
        byte[] sealed = key.seal("implicated: the battalion commander", ORG, "label", "l1");
        assertThat(key.openString(sealed, ORG, "label", "l1")).isEqualTo("implicated: the battalion commander");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("commander");
        assertThatThrownBy(() -> key.open(sealed, ORG, "label", "l2")).as("moved to another label")
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> key.open(sealed, ORG, "status", "l1")).as("read as another kind")
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> key.open(sealed, "org2", "label", "l1")).as("moved to another organization")
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> OrgDataKey.generate().open(sealed, ORG, "label", "l1")).as("another organization's key")
                .isInstanceOf(VaultException.class);
    }

    @Test
    void decryptFailsWhenTheWrapIsMovedToAnotherColleagueOrOrganization() throws Exception {
        TestKeyPair alice = TestKeyPair.create("alice");
        TestKeyPair bob = TestKeyPair.create("bob");
        OrgDataKey key = OrgDataKey.generate();
        byte[] toAlice = key.wrapTo(alice.publicKey(), ORG);
        OrgDataKey opened = OrgDataKey.unwrap(alice.privateKey(), toAlice, ORG);
        assertThat(opened.openString(key.seal("x", ORG, "template", "ACK.en"), ORG, "template", "ACK.en"))
                .isEqualTo("x");
        assertThatThrownBy(() -> OrgDataKey.unwrap(alice.privateKey(), toAlice, "org2")).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> OrgDataKey.unwrap(bob.privateKey(), toAlice, ORG)).isInstanceOf(VaultException.class);
        assertThat(key.toString()).isEqualTo("OrgDataKey[REDACTED]");
    }

    /** A recipient key pair made the way credentials make one. */
    record TestKeyPair(RecipientPublicKey publicKey, RecipientPrivateKey privateKey) {
        static TestKeyPair create(String recipientId) throws Exception {
            RecipientCredentials c = RecipientCredentials.create(recipientId, "a long enough password",
                    Totp.newSecret(), Argon2Params.DEFAULT);
            RecipientPrivateKey privateKey = c.unlock(recipientId, "a long enough password").privateKey();
            return new TestKeyPair(RecipientPublicKey.parse(recipientId, c.publicKeyset()), privateKey);
        }
    }
}

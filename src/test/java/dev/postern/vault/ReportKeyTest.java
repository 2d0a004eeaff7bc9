package dev.postern.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportKeyTest {
    private static final String REPORT = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_REPORT = "fedcba9876543210fedcba9876543210";
    private static final String FILE = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @TempDir
    Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] encrypt(ReportKey key, byte[] plaintext, ObjectRef ref) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = key.encrypting(out, ref)) {
            enc.write(plaintext);
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(ReportKey key, byte[] ciphertext, ObjectRef ref) throws IOException {
        try (InputStream in = key.decrypting(new ByteArrayInputStream(ciphertext), ref)) {
            return in.readAllBytes();
        }
    }

    @Test
    void streamRoundTripsAcrossManySegments() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] plain = random(1_000_000, 1);
        byte[] cipher = encrypt(key, plain, ObjectRef.fileContent(REPORT, FILE));
        assertThat(cipher.length).isGreaterThan(plain.length);
        assertThat(decrypt(key, cipher, ObjectRef.fileContent(REPORT, FILE))).isEqualTo(plain);
    }

    @Test
    void emptyObjectRoundTrips() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] cipher = encrypt(key, new byte[0], ObjectRef.fileContent(REPORT, FILE));
        assertThat(decrypt(key, cipher, ObjectRef.fileContent(REPORT, FILE))).isEmpty();
    }

    @Test
    void ciphertextDoesNotContainPlaintext() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] plain = "MARKER-MARKER-MARKER".repeat(1000).getBytes();
        byte[] cipher = encrypt(key, plain, ObjectRef.fileContent(REPORT, FILE));
        assertThat(new String(cipher, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("MARKER");
    }

    @Test
    void flippingAnyByteOfAStoredBlobMakesDecryptionFail() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] plain = random(200_000, 2);
        ObjectRef ref = ObjectRef.fileContent(REPORT, FILE);
        byte[] cipher = encrypt(key, plain, ref);
        // Header, first segment, segment boundaries, last segment, last byte.
        int[] positions = {0, 1, 20, 40, 100, 65_535, 65_536, 65_600, 131_072, cipher.length / 2, cipher.length - 17,
                cipher.length - 1};
        for (int pos : positions) {
            byte[] tampered = cipher.clone();
            tampered[pos] ^= 0x01;
            assertThatThrownBy(() -> decrypt(key, tampered, ref)).as("byte %d", pos).isInstanceOf(IOException.class);
        }
    }

    @Test
    void flippingAnyByteOfASealedObjectMakesOpeningFail() {
        ReportKey key = ReportKey.generate();
        ObjectRef ref = ObjectRef.answers(REPORT);
        byte[] sealed = key.seal("what happened", ref);
        for (int pos = 0; pos < sealed.length; pos++) {
            byte[] tampered = sealed.clone();
            tampered[pos] ^= (byte) 0x80;
            int p = pos;
            assertThatThrownBy(() -> key.open(tampered, ref)).as("byte %d", p).isInstanceOf(VaultException.class);
        }
        assertThat(key.openString(sealed, ref)).isEqualTo("what happened");
    }

    @Test
    void truncatedBlobFailsToDecrypt() throws IOException {
        ReportKey key = ReportKey.generate();
        ObjectRef ref = ObjectRef.fileContent(REPORT, FILE);
        byte[] cipher = encrypt(key, random(150_000, 3), ref);
        byte[] truncated = java.util.Arrays.copyOf(cipher, 65_536 + 40);
        assertThatThrownBy(() -> decrypt(key, truncated, ref)).isInstanceOf(IOException.class);
    }

    @Test
    void decryptFailsWhenBlobMovedToOtherReport() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] cipher = encrypt(key, random(1000, 4), ObjectRef.fileContent(REPORT, FILE));
        assertThatThrownBy(() -> decrypt(key, cipher, ObjectRef.fileContent(OTHER_REPORT, FILE)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void decryptFailsWhenBlobMovedToOtherObjectOrKind() throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] sealed = key.seal("name.jpg", ObjectRef.fileName(REPORT, FILE));
        assertThatThrownBy(() -> key.open(sealed, ObjectRef.fileName(REPORT, "b".repeat(32))))
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> key.open(sealed, ObjectRef.message(REPORT, FILE)))
                .isInstanceOf(VaultException.class);
    }

    @Test
    void decryptFailsUnderAnotherReportsKey() {
        byte[] sealed = ReportKey.generate().seal("x", ObjectRef.answers(REPORT));
        assertThatThrownBy(() -> ReportKey.generate().open(sealed, ObjectRef.answers(REPORT)))
                .isInstanceOf(VaultException.class);
    }

    @Test
    void seekableChannelReadsAnyRange(@TempDir Path tmp) throws IOException {
        ReportKey key = ReportKey.generate();
        byte[] plain = random(300_000, 5);
        ObjectRef ref = ObjectRef.fileContent(REPORT, FILE);
        Path blob = tmp.resolve("blob");
        Files.write(blob, encrypt(key, plain, ref));
        try (SeekableByteChannel ch = key.decryptingChannel(FileChannel.open(blob, StandardOpenOption.READ), ref)) {
            for (int start : new int[] {0, 65_000, 65_536, 200_001, 299_990}) {
                ch.position(start);
                ByteBuffer buf = ByteBuffer.allocate(Math.min(5000, plain.length - start));
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                assertThat(buf.array()).isEqualTo(java.util.Arrays.copyOfRange(plain, start, start + buf.capacity()));
            }
        }
    }

    @Test
    void reportKeyWrappedToRecipientOpensOnlyForThatRecipientAndReport() {
        RecipientCredentials alice = RecipientCredentials.create("alice", "alice password 1", Totp.newSecret(), Argon2Params.DEFAULT);
        RecipientCredentials bob = RecipientCredentials.create("bob", "bob password 12", Totp.newSecret(), Argon2Params.DEFAULT);
        ReportKey key = ReportKey.generate();
        byte[] wrapped = key.wrapTo(RecipientPublicKey.parse("alice", alice.publicKeyset()), REPORT);
        byte[] sealed = key.seal("hello", ObjectRef.answers(REPORT));

        RecipientPrivateKey alicePrivate = alice.unlock("alice", "alice password 1").privateKey();
        assertThat(ReportKey.unwrap(alicePrivate, wrapped, REPORT).openString(sealed, ObjectRef.answers(REPORT)))
                .isEqualTo("hello");
        assertThatThrownBy(() -> ReportKey.unwrap(alicePrivate, wrapped, OTHER_REPORT)).isInstanceOf(VaultException.class);
        RecipientPrivateKey bobPrivate = bob.unlock("bob", "bob password 12").privateKey();
        assertThatThrownBy(() -> ReportKey.unwrap(bobPrivate, wrapped, REPORT)).isInstanceOf(VaultException.class);
        byte[] tampered = wrapped.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> ReportKey.unwrap(alicePrivate, tampered, REPORT)).isInstanceOf(VaultException.class);
    }

    @Test
    void toStringRevealsNothing() {
        assertThat(ReportKey.generate().toString()).isEqualTo("ReportKey[REDACTED]");
    }
}

package dev.postern.vault;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pins recipient public keys: a Tink MAC (HMAC-SHA256, 256-bit tag) under the pinning key, which
 * lives on the application host beside the config ({@link CleartextPinningKeyFile}), never in the
 * database. The tag covers the recipient id, the organization id and the public keyset, with
 * length prefixes under a fixed domain label ({@value #DOMAIN}), so no field can be moved into
 * another and a tag made for one purpose never verifies for another.
 *
 * <p>Security guarantees: without the pinning key, nobody who can only write to the database (its
 * host, its administrator, a restored backup) can make a recipient row whose key verifies: a new
 * row, a swapped public key, or a row moved to another organization all fail {@link #verifies}.
 * Tink compares tags in constant time.
 *
 * <p>WARNING: the pin authenticates a key, it does not prove that the key is the person's: an
 * administrator who pins a row (see {@code postern user pin}) vouches for it. Whoever holds the
 * pinning key file can pin anything; keep it on the application host only, with its backups apart
 * from the database's. A live, compromised application host is out of reach of this (it holds the
 * key and runs the code).
 */
public final class RecipientKeyPins {
    static final String DOMAIN = "postern/v1/recipient-public-key-pin";

    static {
        Crypto.init();
        try {
            MacConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Mac mac;

    /** @param pinningKey a MAC keyset, as {@link #newPinningKey} makes and the key file holds */
    public RecipientKeyPins(KeysetHandle pinningKey) {
        try {
            this.mac = pinningKey.getPrimitive(RegistryConfiguration.get(), Mac.class);
        } catch (GeneralSecurityException e) {
            throw new VaultException("the pinning key is not a MAC keyset", e);
        }
    }

    /** A fresh pinning key: HMAC-SHA256 with a 256-bit tag. */
    public static KeysetHandle newPinningKey() {
        try {
            return KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a pinning key", e);
        }
    }

    /** The pin of a recipient's public keyset. */
    public byte[] pin(String recipientId, String organizationId, byte[] publicKeyset) {
        try {
            return mac.computeMac(message(recipientId, organizationId, publicKeyset));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a pin", e);
        }
    }

    /** True when {@code pin} was made by this pinning key for exactly these values; false for null. */
    public boolean verifies(String recipientId, String organizationId, byte[] publicKeyset, byte[] pin) {
        if (pin == null) {
            return false;
        }
        try {
            mac.verifyMac(pin, message(recipientId, organizationId, publicKeyset));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * What an administrator compares: SHA-256 of the public keyset, as 16 groups of 4 hex digits.
     * Not a secret, and not a pin.
     */
    public static String fingerprint(byte[] publicKeyset) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKeyset));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 4) {
                if (i > 0) {
                    b.append(i % 32 == 0 ? "  " : " ");
                }
                b.append(hex, i, i + 4);
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    private static byte[] message(String recipientId, String organizationId, byte[] publicKeyset) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {DOMAIN.getBytes(StandardCharsets.UTF_8),
                recipientId.getBytes(StandardCharsets.UTF_8), organizationId.getBytes(StandardCharsets.UTF_8),
                publicKeyset}) {
            m.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            m.writeBytes(field);
        }
        return m.toByteArray();
    }
}

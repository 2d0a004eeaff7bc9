package dev.postern.vault;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;
import javax.crypto.Mac;
import java.util.Base64;

/** Registers the Tink primitives Postern uses, once, and holds the one random source. */
public final class Crypto {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile boolean ready;

    private Crypto() {
    }

    /** Idempotent; every class of this package calls it before touching Tink. */
    public static void init() {
        if (ready) {
            return;
        }
        synchronized (Crypto.class) {
            if (ready) {
                return;
            }
            try {
                AeadConfig.register();
                StreamingAeadConfig.register();
                HybridConfig.register();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink could not register its primitives", e);
            }
            ready = true;
        }
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * HMAC-SHA256 under {@code key} over the concatenation of {@code parts}. Callers put a
     * domain-separating label first ("postern/v1/...").
     */
    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** 32 random bytes as URL-safe base64 (43 characters): session ids, slot ids, form secrets. */
    public static String randomToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    public static SecureRandom random() {
        return RANDOM;
    }
}

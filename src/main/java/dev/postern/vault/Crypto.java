package dev.postern.vault;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

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

    public static SecureRandom random() {
        return RANDOM;
    }
}

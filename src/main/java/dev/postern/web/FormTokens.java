package dev.postern.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for forms shown before any session exists (the report form, the receipt form, the
 * desk login): HMAC-SHA256 over an expiry time under a per-instance key, so no cookie is needed.
 * Forms inside a session use the session's own random token instead.
 */
public final class FormTokens {
    private static final Duration LIFETIME = Duration.ofHours(12);
    private final byte[] key;
    private final Clock clock;

    public FormTokens(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    public String issue() {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        byte[] mac = mac(expiry);
        ByteBuffer b = ByteBuffer.allocate(8 + mac.length).putLong(expiry).put(mac);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    public boolean isValid(String token) {
        if (token == null || token.length() > 100) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != 8 + 32) {
            return false;
        }
        long expiry = ByteBuffer.wrap(raw, 0, 8).getLong();
        boolean macOk = MessageDigest.isEqual(mac(expiry), Arrays.copyOfRange(raw, 8, raw.length));
        return macOk && clock.instant().getEpochSecond() <= expiry;
    }

    /** Constant-time comparison of a session token with what a form sent. */
    public static boolean same(String expected, String sent) {
        return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(long expiry) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(("postern/v1/form/" + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

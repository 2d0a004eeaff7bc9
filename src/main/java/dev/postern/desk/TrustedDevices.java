package dev.postern.desk;

import dev.postern.vault.Crypto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/**
 * OWASP "device cookies" for the desk: after a successful login the browser gets a token, signed by
 * the server, that names the username and an expiry. A later login for that username from that
 * browser skips the login delays, so an outsider's guessing never keeps a recipient's own browser
 * out. The token opens nothing by itself: the password and the code are still required.
 *
 * <p>Security guarantees: the token is HMAC-SHA256 over (expiry, username) under a key kept in the
 * instance's secrets; it cannot be made or moved to another username without that key; compared in
 * constant time. WARNING: desk only. Source browsers never get one (no cookie may outlive a
 * source's visit).
 */
public final class TrustedDevices {
    /** A staff browser stays known for a month; logging in again renews it. */
    public static final Duration LIFETIME = Duration.ofDays(30);
    private static final int MAC_BYTES = 32;
    private final byte[] key;
    private final Clock clock;

    public TrustedDevices(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("device token key must be at least 32 bytes");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    /** A new token for a browser that just logged in as {@code username}. */
    public String issue(String username) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        byte[] token = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(expires).put(mac(expires, username)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** Whether {@code token} was issued by this server to a browser that logged in as {@code username}. */
    public boolean vouchesFor(String token, String username) {
        if (token == null || token.isEmpty() || token.length() > 64 || username == null) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        long expires = ByteBuffer.wrap(raw).getLong();
        boolean genuine = MessageDigest.isEqual(Arrays.copyOfRange(raw, Long.BYTES, raw.length), mac(expires, username));
        return genuine && clock.instant().getEpochSecond() < expires;
    }

    private byte[] mac(long expires, String username) {
        return Crypto.hmacSha256(key, ("postern/v1/desk-device/" + expires + "/" + username).getBytes(StandardCharsets.UTF_8));
    }
}

package dev.postern.web;

import dev.postern.vault.Crypto;
import dev.postern.web.UsedTokens.TokenId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Single-use CSRF tokens for forms shown before any session exists (the report form, the receipt
 * form, the desk login) and for the source's follow-up form: HMAC-SHA256 over a purpose, an expiry
 * time and a random nonce under a per-instance key, so no cookie is needed. A token is accepted once:
 * its nonce is then kept in a {@link UsedTokens} store until the token expires, so sending the same
 * form twice (back button and resend, a double click, a replayed login) is recognised. Forms inside a
 * session use the session's own random token for CSRF instead.
 */
public final class FormTokens {
    /** What a token is for: each has its own lifetime and its own store of spent tokens. */
    public enum Purpose {
        /** The report form: a source may take hours to write. */
        REPORT(Duration.ofHours(6)),
        /** The desk login: someone types a password and a code. */
        SIGN_IN(Duration.ofMinutes(20)),
        /** A follow-up message in the conversation: one nonce per rendered form. */
        MESSAGE(Duration.ofHours(2)),
        /**
         * The receipt form, with its own store of spent tokens: a flood of receipt attempts on the
         * source listener must not age out desk login forms (appended: tokens carry the ordinal).
         */
        RECEIPT(Duration.ofMinutes(20)),
        /**
         * A desk form whose answer shows new credentials once (adding or resetting a colleague):
         * a reload re-posts a spent token and gets "already done" without secrets.
         */
        CREDENTIALS(Duration.ofHours(2));

        private final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }

        public Duration lifetime() {
            return lifetime;
        }
    }

    /** What checking a token found. */
    public enum Verdict {
        /** Genuine, unexpired, not sent before: now spent. */
        FRESH,
        /** Genuine and sent before. */
        SPENT,
        /** Genuine but too old. */
        EXPIRED,
        /** Not one of ours, or for another purpose. */
        FORGED
    }

    /** The verdict on one token and, for a fresh one, what {@link #giveBack} needs. */
    public record Check(Verdict verdict, Purpose purpose, TokenId id) {
        public boolean fresh() {
            return verdict == Verdict.FRESH;
        }
    }

    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int RAW_BYTES = 1 + 8 + NONCE_BYTES + MAC_BYTES;
    private final byte[] key;
    private final Clock clock;
    private final Map<Purpose, UsedTokens> used = new EnumMap<>(Purpose.class);

    /** Tokens whose spent nonces are kept in this process's memory. */
    public FormTokens(byte[] key, Clock clock) {
        this(key, clock, purpose -> new InMemoryUsedTokens(clock, InMemoryUsedTokens.DEFAULT_CAP));
    }

    public FormTokens(byte[] key, Clock clock, Function<Purpose, UsedTokens> stores) {
        this.key = key.clone();
        this.clock = clock;
        for (Purpose p : Purpose.values()) {
            used.put(p, stores.apply(p));
        }
    }

    /** A token for the desk login or the receipt form. */
    public String issue() {
        return issue(Purpose.SIGN_IN);
    }

    public String issue(Purpose purpose) {
        long expiry = clock.instant().plus(purpose.lifetime()).getEpochSecond();
        ByteBuffer b = ByteBuffer.allocate(RAW_BYTES);
        b.put((byte) purpose.ordinal()).putLong(expiry).put(Crypto.randomBytes(NONCE_BYTES));
        b.put(mac(b.array(), RAW_BYTES - MAC_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** Checks a token for {@code purpose} and, when it is fresh, spends it. */
    public Check check(Purpose purpose, String token) {
        if (token == null || token.length() > 100) {
            return new Check(Verdict.FORGED, purpose, null);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return new Check(Verdict.FORGED, purpose, null);
        }
        if (raw.length != RAW_BYTES || raw[0] != (byte) purpose.ordinal()) {
            return new Check(Verdict.FORGED, purpose, null);
        }
        byte[] expected = mac(raw, RAW_BYTES - MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, RAW_BYTES - MAC_BYTES, RAW_BYTES))) {
            return new Check(Verdict.FORGED, purpose, null);
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, 8 + NONCE_BYTES);
        long expiry = b.getLong();
        TokenId id = new TokenId(b.getLong(), b.getLong());
        if (clock.instant().getEpochSecond() > expiry) {
            return new Check(Verdict.EXPIRED, purpose, id);
        }
        return switch (used.get(purpose).spend(id, expiry)) {
            case SPENT_NOW -> new Check(Verdict.FRESH, purpose, id);
            case ALREADY_SPENT -> new Check(Verdict.SPENT, purpose, id);
            case TOO_OLD -> new Check(Verdict.EXPIRED, purpose, id);
        };
    }

    /**
     * Makes a fresh token usable again because the request that spent it created nothing (the form
     * is shown again, or the source may go back and resend).
     */
    public void giveBack(Check check) {
        if (check != null && check.fresh()) {
            used.get(check.purpose()).forget(check.id());
        }
    }

    /** Constant-time comparison of a session token with what a form sent. */
    public static boolean same(String expected, String sent) {
        return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(byte[] data, int length) {
        return Crypto.hmacSha256(key, "postern/v2/form/".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(data, length));
    }
}

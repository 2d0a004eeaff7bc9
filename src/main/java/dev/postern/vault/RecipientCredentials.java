package dev.postern.vault;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A recipient's stored credentials: the HPKE key pair with the private half and the TOTP secret
 * wrapped under a key derived from the password with Argon2id.
 *
 * <p>Security guarantees: without the password, the stored row reveals the public key only; each
 * password guess costs one Argon2id evaluation. The verifier is compared in constant time. Wrapped
 * values are bound to the recipient id, so rows cannot be swapped between recipients.
 *
 * @param salt                  Argon2id salt (16 random bytes)
 * @param params                Argon2id cost
 * @param verifier              HKDF of the Argon2id output; proves the password without being a key
 * @param publicKeyset          HPKE public keyset (Tink binary format, no secrets)
 * @param wrappedPrivateKeyset  HPKE private keyset, encrypted under the password key
 * @param wrappedTotpSecret     TOTP secret, encrypted under the password key
 */
public record RecipientCredentials(byte[] salt, Argon2Params params, byte[] verifier, byte[] publicKeyset,
                                   byte[] wrappedPrivateKeyset, byte[] wrappedTotpSecret) {

    /** What a correct password opens. */
    public record Unlocked(RecipientPrivateKey privateKey, byte[] totpSecret) {
        @Override
        public String toString() {
            return "Unlocked[REDACTED]";
        }
    }

    /** New key pair, wrapped under {@code password}, with {@code totpSecret} wrapped beside it. */
    public static RecipientCredentials create(String recipientId, String password, byte[] totpSecret, Argon2Params params) {
        KeysetHandle privateKeyset = Hpke.newPrivateKeyset();
        return seal(recipientId, password, privateKeyset, Hpke.publicKeyset(privateKeyset), totpSecret, params,
                Argon2id.Caller.LOCAL);
    }

    /**
     * Checks {@code password} and opens the private key and TOTP secret, then checks that the
     * stored public key is the public half of that private key (compared in constant time): a
     * public key swapped in the database, to have reports wrapped to someone else, stops the login.
     *
     * @throws VaultException             when the password is wrong or the row was tampered with
     * @throws PublicKeyMismatchException when the password is right but the stored public key is
     *                                    not this private key's
     */
    public Unlocked unlock(String recipientId, String password) {
        return unlock(recipientId, password, Argon2id.Caller.LOCAL);
    }

    /**
     * Checks {@code password} and opens the private key and TOTP secret, with the Argon2id work
     * queued in {@code caller}'s lane.
     *
     * @throws VaultException             when the password is wrong or the row was tampered with
     * @throws PublicKeyMismatchException when the password is right but the stored public key is
     *                                    not this private key's
     * @throws Argon2Refused              when the lane is full or the caller has gone
     */
    public Unlocked unlock(String recipientId, String password, Argon2id.Caller caller) {
        Opened opened = open(recipientId, password, caller);
        byte[] ownPublicKeyset = Hpke.publicKeyset(opened.privateKeyset());
        if (!MessageDigest.isEqual(ownPublicKeyset, publicKeyset)) {
            Arrays.fill(opened.totpSecret(), (byte) 0);
            throw new PublicKeyMismatchException(recipientId);
        }
        return new Unlocked(new RecipientPrivateKey(recipientId, Hpke.decrypter(opened.privateKeyset())),
                opened.totpSecret());
    }

    /** Re-wraps the same key pair and TOTP secret under a new password, with no second factor (tools). */
    public RecipientCredentials rewrap(String recipientId, String oldPassword, String newPassword) {
        return rewrap(recipientId, oldPassword, newPassword, totpSecret -> { }, Argon2id.Caller.LOCAL);
    }

    /** Checks the second factor with the TOTP secret a correct password opened. */
    @FunctionalInterface
    public interface SecondFactor<E extends Exception> {
        void check(byte[] totpSecret) throws E;
    }

    /**
     * Re-wraps the same key pair and TOTP secret under a new password (password change), once the
     * old password is right and {@code secondFactor} accepts. The Argon2id cost stays this
     * recipient's (an administrator may have raised it); it is not reset to the default.
     *
     * @throws VaultException when the old password is wrong
     * @throws E              when the second factor refuses
     * @throws Argon2Refused  when the caller's lane is full or the caller has gone
     */
    public <E extends Exception> RecipientCredentials rewrap(String recipientId, String oldPassword,
                                                             String newPassword, SecondFactor<E> secondFactor,
                                                             Argon2id.Caller caller) throws E {
        Opened opened = open(recipientId, oldPassword, caller);
        try {
            secondFactor.check(opened.totpSecret());
            return seal(recipientId, newPassword, opened.privateKeyset(), publicKeyset, opened.totpSecret(),
                    params, caller);
        } finally {
            Arrays.fill(opened.totpSecret(), (byte) 0);
        }
    }

    private record Opened(KeysetHandle privateKeyset, byte[] totpSecret) {
    }

    /** The one place a password is checked (in constant time) and the wrapped values opened. */
    private Opened open(String recipientId, String password, Argon2id.Caller caller) {
        byte[] stretched = stretch(password, salt, params, caller);
        try {
            byte[] candidate = WrappingKey.hkdf(stretched, "postern/v1/password-verifier");
            if (!MessageDigest.isEqual(candidate, verifier)) {
                throw new VaultException("wrong password");
            }
            WrappingKey key = WrappingKey.derive(stretched, "postern/v1/password-wrap");
            KeysetHandle privateKeyset = TinkProtoKeysetFormat.parseEncryptedKeyset(
                    wrappedPrivateKeyset, key.aead(), binding(recipientId, "private-keyset"));
            return new Opened(privateKeyset, key.unwrap(wrappedTotpSecret, binding(recipientId, "totp-secret")));
        } catch (GeneralSecurityException e) {
            throw new VaultException("private key does not open", e);
        } finally {
            Arrays.fill(stretched, (byte) 0);
        }
    }

    private static RecipientCredentials seal(String recipientId, String password, KeysetHandle privateKeyset,
                                             byte[] publicKeyset, byte[] totpSecret, Argon2Params params,
                                             Argon2id.Caller caller) {
        byte[] salt = Crypto.randomBytes(16);
        byte[] stretched = stretch(password, salt, params, caller);
        try {
            byte[] verifier = WrappingKey.hkdf(stretched, "postern/v1/password-verifier");
            WrappingKey key = WrappingKey.derive(stretched, "postern/v1/password-wrap");
            byte[] wrappedPrivate = TinkProtoKeysetFormat.serializeEncryptedKeyset(
                    privateKeyset, key.aead(), binding(recipientId, "private-keyset"));
            byte[] wrappedTotp = key.wrap(totpSecret, binding(recipientId, "totp-secret"));
            return new RecipientCredentials(salt, params, verifier, publicKeyset, wrappedPrivate, wrappedTotp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap private keyset", e);
        } finally {
            Arrays.fill(stretched, (byte) 0);
        }
    }

    private static byte[] stretch(String password, byte[] salt, Argon2Params params, Argon2id.Caller caller) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        try {
            return Argon2id.derive(secret, salt, params, caller);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] binding(String recipientId, String what) {
        return ("postern/v1/recipient/" + recipientId + "/" + what).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RecipientCredentials[REDACTED]";
    }
}

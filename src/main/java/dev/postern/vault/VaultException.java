package dev.postern.vault;

/**
 * Decryption or key unwrapping failed: wrong key, tampered or moved ciphertext. Carries no secret
 * and no plaintext.
 */
public final class VaultException extends RuntimeException {
    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }

    public VaultException(String message) {
        super(message);
    }
}

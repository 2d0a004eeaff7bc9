package dev.postern.vault;

/**
 * A recipient's stored public key is not the public half of the private key their password opens:
 * someone replaced the public key in the database (so that reports would be wrapped to a key of
 * theirs). Carries the recipient id only.
 */
public final class PublicKeyMismatchException extends RuntimeException {
    private final String recipientId;

    public PublicKeyMismatchException(String recipientId) {
        super("the stored public key of recipient " + recipientId + " does not match their private key");
        this.recipientId = recipientId;
    }

    public String recipientId() {
        return recipientId;
    }
}

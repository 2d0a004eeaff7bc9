package dev.postern.vault;

/**
 * A recipient's stored public key is not the public half of the private key their password opens:
 * someone replaced the public key in the database (so that reports would be wrapped to a key of
 * theirs). Its message names the recipient id only.
 */
public final class PublicKeyMismatchException extends RuntimeException {
    public PublicKeyMismatchException(String recipientId) {
        super("the stored public key of recipient " + recipientId + " does not match their private key");
    }
}

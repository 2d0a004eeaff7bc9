package dev.postern.admin;

/**
 * A recipient just created: the credentials to hand over, once.
 *
 * @param totpSecret base32, for an authenticator app
 */
public record NewRecipient(String id, String username, String password, String totpSecret, String totpUri) {
    @Override
    public String toString() {
        return "NewRecipient[" + username + ", REDACTED]";
    }
}

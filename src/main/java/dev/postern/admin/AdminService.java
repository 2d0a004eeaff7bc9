package dev.postern.admin;

import dev.postern.desk.CaseLogKeys;
import dev.postern.desk.DeskService;
import dev.postern.store.Ids;
import dev.postern.store.Organization;
import dev.postern.store.Organizations;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.vault.Argon2Params;
import dev.postern.vault.Crypto;
import dev.postern.vault.RecipientCredentials;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.Totp;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Organizations and recipient accounts, for the CLI (and any later admin pages). */
public final class AdminService {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,64}");
    public static final int NOTICE_MAX_CHARS = 2_000;
    private final Organizations organizations;
    private final Recipients recipients;
    private final CaseLogKeys caseLogKeys;

    public AdminService(Organizations organizations, Recipients recipients, CaseLogKeys caseLogKeys) {
        this.organizations = organizations;
        this.recipients = recipients;
        this.caseLogKeys = caseLogKeys;
    }

    public Organization addOrganization(String slug, String name, String notice) throws AdminException {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new AdminException("slug must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new AdminException("name must be 1-200 characters");
        }
        checkNotice(notice);
        if (organizations.bySlug(slug).isPresent()) {
            throw new AdminException("an organization with slug '" + slug + "' already exists");
        }
        return organizations.insert(slug, name.strip(), notice == null ? "" : notice.strip());
    }

    public void setNotice(String slug, String notice) throws AdminException {
        checkNotice(notice);
        Organization org = organization(slug);
        organizations.updateNotice(org.id(), notice == null ? "" : notice.strip());
    }

    public List<Organization> organizations() {
        return organizations.all();
    }

    /** A recipient's public key as an administrator checks it. */
    public record PinnedKey(String username, String organizationId, String fingerprint, boolean wasPinned) {
    }

    /**
     * Pins the public key a recipient's row holds now (rows from before pinning, a restored
     * backup, or a new pinning key), so that reports are wrapped to it and its owner can log in.
     * The administrator vouches for the key by doing this: the returned fingerprint is what they
     * compare; the owner's next successful login proves that the key is the public half of their
     * own private key.
     *
     * @param expectedFingerprint when not null, pin only if the key has this fingerprint (spaces
     *                            and case ignored)
     */
    public PinnedKey pinRecipientKey(String username, String expectedFingerprint) throws AdminException {
        RecipientAccount a = recipients.byUsername(username == null ? "" : username)
                .orElseThrow(() -> new AdminException("no recipient with username '" + username + "'"));
        String fingerprint = RecipientKeyPins.fingerprint(a.credentials().publicKeyset());
        if (expectedFingerprint != null && !compact(expectedFingerprint).equals(compact(fingerprint))) {
            throw new AdminException("the public key of '" + username + "' has fingerprint " + fingerprint
                    + ", not the one given; nothing pinned");
        }
        if (!recipients.pin(a)) {
            throw new AdminException("the row of '" + username + "' changed while it was being pinned; nothing"
                    + " pinned, check it and run the command again");
        }
        return new PinnedKey(a.username(), a.organizationId(), fingerprint, a.keyPinned());
    }

    private static String compact(String fingerprint) {
        return fingerprint.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Creates a recipient with a fresh key pair and TOTP secret; its public key is pinned.
     *
     * @param password the password to set, or null to generate a strong one
     */
    public NewRecipient addRecipient(String organizationSlug, String username, String password) throws AdminException {
        Organization org = organization(organizationSlug);
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AdminException("username must be 2-64 letters, digits, dots, dashes or underscores");
        }
        if (recipients.byUsername(username).isPresent()) {
            throw new AdminException("username '" + username + "' is taken");
        }
        String pw = password == null ? generatePassword() : password;
        if (pw.length() < DeskService.MIN_PASSWORD_CHARS) {
            throw new AdminException("password must be at least " + DeskService.MIN_PASSWORD_CHARS + " characters");
        }
        String id = Ids.newId();
        byte[] totp = Totp.newSecret();
        recipients.insert(id, org.id(), username, RecipientCredentials.create(id, pw, totp, Argon2Params.DEFAULT));
        // The first administrator of an organization gets its case-log key here (public keys suffice).
        caseLogKeys.ensure(org.id());
        return new NewRecipient(id, username, pw, Totp.base32(totp), Totp.uri("Postern " + org.name(), username, totp));
    }

    private Organization organization(String slug) throws AdminException {
        return organizations.bySlug(slug == null ? "" : slug)
                .orElseThrow(() -> new AdminException("no organization with slug '" + slug + "'"));
    }

    private static void checkNotice(String notice) throws AdminException {
        if (notice != null && notice.length() > NOTICE_MAX_CHARS) {
            throw new AdminException("notice must be at most " + NOTICE_MAX_CHARS + " characters");
        }
    }

    /** 24 characters from a 31-character alphabet without look-alikes: about 119 bits. */
    static String generatePassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 6 == 0) {
                b.append('-');
            }
            b.append(alphabet.charAt(Crypto.random().nextInt(alphabet.length())));
        }
        return b.toString();
    }
}

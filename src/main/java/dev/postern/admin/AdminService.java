package dev.postern.admin;

import dev.postern.admin.AdminException.Reason;
import dev.postern.domain.CaseLog;
import dev.postern.desk.CaseLogKeys;
import dev.postern.desk.DeskService;
import dev.postern.desk.DeskSession;
import dev.postern.desk.OrgKeys;
import dev.postern.domain.Role;
import dev.postern.store.Hours;
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
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Organizations and colleagues' accounts: the command line and the desk's administrators call the
 * same methods (one path for both). Rules it owns: only an active administrator manages colleagues
 * and settings (checked against the account as it is now, not as it was at login); nobody disables
 * or resets their own account; the last active administrator cannot be disabled or demoted; every
 * change is appended to the organization's case log.
 */
public final class AdminService {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,64}");
    public static final int NOTICE_MAX_CHARS = 2_000;
    private final Organizations organizations;
    private final Recipients recipients;
    private final CaseLogKeys caseLogKeys;
    private final OrgKeys orgKeys;
    private final CaseLog caseLog;
    private final Clock clock;

    /**
     * For tools and tests: no case log, and the organization's keys reach newcomers only at the
     * next login of a holder.
     */
    public AdminService(Organizations organizations, Recipients recipients, CaseLogKeys caseLogKeys) {
        this(organizations, recipients, caseLogKeys, null, (organizationId, entry) -> { }, Clock.systemUTC());
    }

    /** @param orgKeys null: keys are handed on only at logins (see {@link OrgKeys}) */
    public AdminService(Organizations organizations, Recipients recipients, CaseLogKeys caseLogKeys, OrgKeys orgKeys,
                        CaseLog caseLog, Clock clock) {
        this.organizations = organizations;
        this.recipients = recipients;
        this.caseLogKeys = caseLogKeys;
        this.orgKeys = orgKeys;
        this.caseLog = caseLog;
        this.clock = clock;
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
     * Creates a plain recipient (never an administrator: tools and tests) with a fresh key pair and
     * TOTP secret; its public key is pinned.
     *
     * @param password the password to set, or null to generate a strong one
     */
    public NewRecipient addRecipient(String organizationSlug, String username, String password) throws AdminException {
        return addRecipient(organizationSlug, username, "", Role.RECIPIENT, password);
    }

    /**
     * {@code postern user add}: a colleague added from the command line.
     *
     * @param role     null: an administrator when the organization has nobody yet, else a recipient
     * @param password the password to set, or null to generate a strong one
     */
    public NewRecipient addRecipient(String organizationSlug, String username, String displayName, Role role,
                                     String password) throws AdminException {
        Organization org = organization(organizationSlug);
        Role r = role != null ? role : recipients.anyIn(org.id()) ? Role.RECIPIENT : Role.ADMIN;
        return add(org, CLI, username, displayName, r, password);
    }

    /**
     * An administrator adds a colleague in the desk: the same credentials as {@code postern user
     * add}, and the organization's keys reach the newcomer at once from the administrator's session.
     */
    public NewRecipient addColleague(DeskSession admin, String username, String displayName, String role)
            throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        NewRecipient added = add(organizationOf(actor), actor.id(), username, displayName, parseRole(role), null);
        handOnKeys(admin, actor);
        return added;
    }

    private NewRecipient add(Organization org, String actor, String username, String displayName, Role role,
                             String password) throws AdminException {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AdminException(Reason.BAD_USERNAME,
                    "username must be 2-64 letters, digits, dots, dashes or underscores");
        }
        String name = checkDisplayName(displayName);
        if (recipients.byUsername(username).isPresent()) {
            throw new AdminException(Reason.USERNAME_TAKEN, "username '" + username + "' is taken");
        }
        String pw = password == null ? generatePassword() : password;
        if (pw.length() < DeskService.MIN_PASSWORD_CHARS) {
            throw new AdminException("password must be at least " + DeskService.MIN_PASSWORD_CHARS + " characters");
        }
        String id = Ids.newId();
        byte[] totp = Totp.newSecret();
        recipients.insert(id, org.id(), username, name, role, RecipientCredentials.create(id, pw, totp, Argon2Params.DEFAULT));
        // The first administrator of an organization gets its case-log key here (public keys suffice).
        caseLogKeys.ensure(org.id());
        caseLog.append(org.id(), new CaseLog.Entry(CaseLog.Action.COLLEAGUE_ADDED, actor, id, null, null));
        return credentials(org, id, username, pw, totp);
    }

    // --- Colleagues in the desk and on the command line (issue 8): one path for both ---

    /** Who acts from the command line in the case log. */
    private static final String CLI = "cli";

    /** Every colleague of the signed-in recipient's organization (any colleague may see the list). */
    public List<RecipientAccount> colleagues(DeskSession session) throws AdminException {
        return recipients.inOrganization(activeAccount(session).organizationId());
    }

    /** A colleague by username (the command line). */
    public RecipientAccount recipient(String username) throws AdminException {
        return byUsername(username);
    }

    /** {@code postern user list}. */
    public List<RecipientAccount> recipients(String organizationSlug) throws AdminException {
        return recipients.inOrganization(organization(organizationSlug).id());
    }

    /** One colleague of the administrator's organization (for a confirmation page). */
    public RecipientAccount colleague(DeskSession admin, String recipientId) throws AdminException {
        return colleagueOf(actingAdmin(admin), recipientId);
    }

    /**
     * Disables a colleague: their login fails like a wrong password, their organization-key wraps
     * go, and they are marked {@code revoke_pending} so that their reports are rotated to a new
     * key generation (by the caller's access job, or the next administrator login). The caller
     * ends their sessions.
     */
    public RecipientAccount disable(DeskSession admin, String recipientId) throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        return disable(colleagueOf(actor, recipientId), actor.id());
    }

    /** {@code postern user disable}. */
    public RecipientAccount disable(String username) throws AdminException {
        return disable(byUsername(username), CLI);
    }

    private RecipientAccount disable(RecipientAccount target, String actor) throws AdminException {
        if (target.id().equals(actor)) {
            throw new AdminException(Reason.NOT_YOURSELF, "an administrator cannot disable their own account");
        }
        if (!target.active()) {
            return target;
        }
        if (!recipients.disable(target.id(), target.organizationId(), Hours.now(clock))) {
            throw new AdminException(Reason.LAST_ADMIN, "'" + target.username()
                    + "' is the organization's last active administrator; make another administrator first");
        }
        caseLog.append(target.organizationId(),
                new CaseLog.Entry(CaseLog.Action.COLLEAGUE_DISABLED, actor, target.id(), null, null));
        return target;
    }

    /**
     * The disabled colleagues whose reports still wait for rotation (disabled from the command
     * line, or while a job could not run), claimed for this administrator's session to start the
     * revoke-all jobs: each is handed to one caller only. Empty for anyone but an active administrator.
     */
    public List<String> claimPendingRevocations(DeskSession admin) {
        Optional<RecipientAccount> actor = deskAccount(admin).filter(a -> a.role().isAdmin());
        if (actor.isEmpty()) {
            return List.of();
        }
        return recipients.revokePending(actor.get().organizationId()).stream()
                .filter(recipients::claimRevokePending).toList();
    }

    /** A revoke-all job could not start: the next administrator login tries again. */
    public void markRevokePending(String recipientId) {
        recipients.markRevokePending(recipientId);
    }

    /** Re-enables a colleague; the organization's data key reaches them at once from the administrator's session. */
    public RecipientAccount enable(DeskSession admin, String recipientId) throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        RecipientAccount target = enable(colleagueOf(actor, recipientId), actor.id());
        handOnKeys(admin, actor);
        return target;
    }

    /** {@code postern user enable}: the organization's keys reach them at the next login of a holder. */
    public RecipientAccount enable(String username) throws AdminException {
        return enable(byUsername(username), CLI);
    }

    private RecipientAccount enable(RecipientAccount target, String actor) {
        if (target.active()) {
            return target;
        }
        recipients.enable(target.id(), target.organizationId());
        caseLog.append(target.organizationId(),
                new CaseLog.Entry(CaseLog.Action.COLLEAGUE_ENABLED, actor, target.id(), null, null));
        return target;
    }

    /**
     * A colleague who lost their phone or password: new password, TOTP secret and key pair (the
     * old private key is gone, so every wrap to it is deleted: colleagues grant the reports again).
     * The caller ends their sessions.
     */
    public NewRecipient reset(DeskSession admin, String recipientId) throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        NewRecipient fresh = reset(colleagueOf(actor, recipientId), actor.id());
        handOnKeys(admin, actor);
        return fresh;
    }

    /** {@code postern user reset}. */
    public NewRecipient reset(String username) throws AdminException {
        return reset(byUsername(username), CLI);
    }

    private NewRecipient reset(RecipientAccount target, String actor) throws AdminException {
        if (target.id().equals(actor)) {
            throw new AdminException(Reason.NOT_YOURSELF,
                    "an administrator does not reset their own account; change your password instead");
        }
        String pw = generatePassword();
        byte[] totp = Totp.newSecret();
        recipients.reset(target.id(), target.organizationId(),
                RecipientCredentials.create(target.id(), pw, totp, Argon2Params.DEFAULT));
        caseLog.append(target.organizationId(),
                new CaseLog.Entry(CaseLog.Action.COLLEAGUE_RESET, actor, target.id(), null, null));
        return credentials(organizationOf(target), target.id(), target.username(), pw, totp);
    }

    /** Makes a colleague an administrator or a plain recipient. */
    public RecipientAccount setRole(DeskSession admin, String recipientId, String role) throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        RecipientAccount target = setRole(colleagueOf(actor, recipientId), parseRole(role), actor.id());
        handOnKeys(admin, actor);
        return target;
    }

    /** {@code postern user role}. */
    public RecipientAccount setRole(String username, String role) throws AdminException {
        return setRole(byUsername(username), parseRole(role), CLI);
    }

    private RecipientAccount setRole(RecipientAccount target, Role role, String actor) throws AdminException {
        if (target.role() == role) {
            return target;
        }
        if (!recipients.setRole(target.id(), target.organizationId(), role)) {
            throw new AdminException(Reason.LAST_ADMIN, "'" + target.username()
                    + "' is the organization's last active administrator; make another administrator first");
        }
        caseLog.append(target.organizationId(),
                new CaseLog.Entry(CaseLog.Action.ROLE_CHANGED, actor, target.id(), null, null));
        return target;
    }

    /**
     * The settings page: EU clocks, the organization's time zone, whether sources may leave
     * recipients out, and who receives new reports (at least one active administrator must).
     */
    public void updateSettings(DeskSession admin, boolean euClocks, String timeZone, boolean sourceMayExclude,
                               Set<String> receivingNew) throws AdminException {
        RecipientAccount actor = actingAdmin(admin);
        String zone = checkTimeZone(timeZone);
        List<RecipientAccount> all = recipients.inOrganization(actor.organizationId());
        boolean adminReceives = all.stream()
                .anyMatch(a -> a.active() && a.role().isAdmin() && receivingNew.contains(a.id()));
        if (!adminReceives) {
            throw new AdminException(Reason.NOBODY_RECEIVES,
                    "at least one active administrator must receive new reports");
        }
        organizations.updateSettings(actor.organizationId(), euClocks, zone, sourceMayExclude);
        for (RecipientAccount a : all) {
            boolean receives = receivingNew.contains(a.id());
            if (a.receivesNew() != receives) {
                recipients.setReceivesNew(a.id(), a.organizationId(), receives);
            }
        }
    }

    /** Refuses (ADMIN_ONLY) unless the session's account is an active administrator now (pages of administrators). */
    public void requireAdmin(DeskSession session) throws AdminException {
        actingAdmin(session);
    }

    /**
     * {@code postern org settings}: changes only the settings given (null: keep). Who receives new
     * reports is chosen in the desk.
     */
    public Organization updateSettings(String slug, Boolean euClocks, String timeZone, Boolean sourceMayExclude)
            throws AdminException {
        Organization org = organization(slug);
        organizations.updateSettings(org.id(), euClocks != null ? euClocks : org.euClocks(),
                timeZone != null ? checkTimeZone(timeZone) : org.timeZone(),
                sourceMayExclude != null ? sourceMayExclude : org.sourceMayExclude());
        return organization(slug);
    }

    /** The signed-in recipient's organization. */
    public Organization organization(DeskSession session) throws AdminException {
        return organizationOf(activeAccount(session));
    }

    /**
     * The account behind a desk session while it may still be used: empty once it was disabled
     * (from the desk or the command line), moved or deleted, so the session ends.
     */
    public Optional<RecipientAccount> deskAccount(DeskSession session) {
        return recipients.byId(session.recipientId())
                .filter(a -> a.active() && a.organizationId().equals(session.organizationId()));
    }

    /** The signed-in recipient's own display name, desk language and time zone ({@code /desk/me}). */
    public void updatePreferences(DeskSession session, String displayName, String language, String timeZone)
            throws AdminException {
        RecipientAccount me = activeAccount(session);
        String name = checkDisplayName(displayName);
        if (language == null || !LANGUAGES.contains(language)) {
            throw new AdminException(Reason.BAD_LANGUAGE, "language must be one of " + LANGUAGES);
        }
        recipients.setPreferences(me.id(), name, language, checkTimeZone(timeZone));
    }

    /** The languages the desk speaks. */
    public static final List<String> LANGUAGES = List.of("en", "ru", "uk");

    /** Time zones a colleague or an organization may choose: IANA region ids, and UTC. */
    public static SortedSet<String> timeZones() {
        SortedSet<String> zones = new TreeSet<>();
        for (String z : ZoneId.getAvailableZoneIds()) {
            if (z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")) {
                zones.add(z);
            }
        }
        zones.add("UTC");
        return zones;
    }

    private static String checkTimeZone(String zone) throws AdminException {
        if (zone == null || !timeZones().contains(zone.strip())) {
            throw new AdminException(Reason.BAD_TIME_ZONE, "time zone must be an IANA zone such as Europe/Kyiv, or UTC");
        }
        return zone.strip();
    }

    private static String checkDisplayName(String displayName) throws AdminException {
        String name = displayName == null ? "" : displayName.strip();
        if (name.length() > DISPLAY_NAME_MAX_CHARS || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new AdminException(Reason.BAD_DISPLAY_NAME,
                    "display name must be at most " + DISPLAY_NAME_MAX_CHARS + " characters on one line");
        }
        return name;
    }

    /** The column holds 100 characters. */
    public static final int DISPLAY_NAME_MAX_CHARS = 100;

    private static Role parseRole(String role) throws AdminException {
        for (Role r : Role.values()) {
            if (r.name().equalsIgnoreCase(role == null ? "" : role.strip())) {
                return r;
            }
        }
        throw new AdminException(Reason.BAD_ROLE, "role must be admin or recipient");
    }

    /**
     * The session's account as it is now, and only while it is an active administrator: a
     * colleague demoted or disabled since their login loses the administrator's forms at once.
     */
    private RecipientAccount actingAdmin(DeskSession session) throws AdminException {
        RecipientAccount a = activeAccount(session);
        if (!a.role().isAdmin()) {
            throw new AdminException(Reason.ADMIN_ONLY, "only an administrator of the organization may do this");
        }
        return a;
    }

    private RecipientAccount activeAccount(DeskSession session) throws AdminException {
        return deskAccount(session)
                .orElseThrow(() -> new AdminException(Reason.ADMIN_ONLY, "this account is no longer active"));
    }

    private RecipientAccount colleagueOf(RecipientAccount actor, String recipientId) throws AdminException {
        return recipients.byId(recipientId == null ? "" : recipientId)
                .filter(a -> a.organizationId().equals(actor.organizationId()))
                .orElseThrow(() -> new AdminException(Reason.NOT_FOUND, "no such colleague"));
    }

    private RecipientAccount byUsername(String username) throws AdminException {
        return recipients.byUsername(username == null ? "" : username)
                .orElseThrow(() -> new AdminException(Reason.NOT_FOUND, "no recipient with username '" + username + "'"));
    }

    private Organization organizationOf(RecipientAccount account) {
        return organizations.byId(account.organizationId()).orElseThrow();
    }

    /**
     * From an administrator's session the organization's keys reach a colleague added, enabled,
     * reset or promoted at once (the command line has no private key: the next login of a holder
     * does it, see {@link OrgKeys}).
     */
    private void handOnKeys(DeskSession admin, RecipientAccount actor) {
        if (admin.dataKey() != null && orgKeys != null) {
            orgKeys.completePending(actor.organizationId(), admin.dataKey());
        }
        caseLogKeys.handOnAtLogin(actor, admin.privateKey());
    }

    private static NewRecipient credentials(Organization org, String id, String username, String password, byte[] totp) {
        return new NewRecipient(id, username, password, Totp.base32(totp), Totp.uri("Postern " + org.name(), username, totp));
    }

    private Organization organization(String slug) throws AdminException {
        return organizations.bySlug(slug == null ? "" : slug)
                .orElseThrow(() -> new AdminException(Reason.NOT_FOUND, "no organization with slug '" + slug + "'"));
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

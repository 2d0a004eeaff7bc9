package dev.postern.desk;

import dev.postern.store.CaseLogStore;
import dev.postern.store.OrgKeyWraps;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.vault.CaseLogKey;
import dev.postern.vault.RecipientKeyPins;
import dev.postern.vault.RecipientPrivateKey;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.VaultException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case-log key pair of each organization: its public half stored and pinned beside the
 * organization, its private half wrapped to every administrator.
 *
 * <p>Making the pair needs nobody's private key, only the administrators' public keys, so whoever
 * first needs it makes it: the first administrator's login, {@code user add} of an administrator,
 * or the first append (intake). Handing the private half to an administrator who lacks it needs a
 * holder, so every administrator's login wraps it to the active, pinned administrators still
 * waiting for it.
 */
public final class CaseLogKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CaseLogKeys.class);
    private final CaseLogStore store;
    private final OrgKeyWraps wraps;
    private final Recipients recipients;
    private final RecipientKeyPins pins;

    public CaseLogKeys(CaseLogStore store, OrgKeyWraps wraps, Recipients recipients, RecipientKeyPins pins) {
        this.store = store;
        this.wraps = wraps;
        this.recipients = recipients;
        this.pins = pins;
    }

    /**
     * The organization's case-log public keyset, once its pin verifies; made (and wrapped to every
     * active administrator with a pinned key) when the organization has none yet.
     *
     * @return empty when the stored key's pin does not verify (logged as an ALARM: someone swapped
     *         the key to read later entries), or when there is no administrator to make it for
     */
    public Optional<byte[]> publicKeyset(String organizationId) {
        Optional<CaseLogStore.PublicKey> stored = store.publicKey(organizationId);
        if (stored.isEmpty()) {
            ensure(organizationId);
            stored = store.publicKey(organizationId);
            if (stored.isEmpty()) {
                LOG.error("organization {} has no administrator with a pinned key: its case-log entry cannot be"
                        + " written for anyone to read, so it is not written", organizationId);
                return Optional.empty();
            }
        }
        CaseLogStore.PublicKey key = stored.get();
        if (!pins.verifies(CaseLogKey.pinId(organizationId), organizationId, key.keyset(), key.pin())) {
            LOG.error("ALARM: the case-log public key stored for organization {} does not verify under the pinning"
                    + " key: someone replaced it in the database to read the case log. Entry not written.",
                    organizationId);
            return Optional.empty();
        }
        return Optional.of(key.keyset());
    }

    /**
     * Makes the organization's case-log key when it has none, wrapped to every active administrator
     * with a pinned key (the CLI calls this after adding an administrator). Does nothing when the
     * key exists or there is no such administrator.
     */
    public void ensure(String organizationId) {
        if (store.publicKey(organizationId).isPresent()) {
            return;
        }
        Map<String, RecipientPublicKey> admins = new LinkedHashMap<>();
        for (RecipientAccount a : recipients.inOrganization(organizationId)) {
            if (a.role().isAdmin() && a.active() && a.keyPinned()) {
                admins.put(a.id(), RecipientPublicKey.parse(a.id(), a.credentials().publicKeyset()));
            }
        }
        if (admins.isEmpty()) {
            return;
        }
        CaseLogKey key = CaseLogKey.generate();
        Map<String, byte[]> wrapped = new LinkedHashMap<>();
        admins.forEach((id, pk) -> wrapped.put(id, key.wrapTo(pk, organizationId)));
        byte[] publicKeyset = key.publicKeyset();
        // Two first logins at once may both make one: the one stored first stays.
        store.establish(organizationId, publicKeyset,
                pins.pin(CaseLogKey.pinId(organizationId), organizationId, publicKeyset), wrapped);
    }

    /**
     * At an administrator's login: makes the key if the organization has none, and wraps it to every
     * other active, pinned administrator who lacks it. Nothing for a non-administrator.
     */
    public void handOnAtLogin(RecipientAccount account, RecipientPrivateKey privateKey) {
        if (!account.role().isAdmin()) {
            return;
        }
        String org = account.organizationId();
        ensure(org);
        Optional<CaseLogKey> key = open(org, privateKey);
        if (key.isEmpty()) {
            return;
        }
        Set<String> holding = new HashSet<>(wraps.holders(org, OrgKeyWraps.Purpose.CASE_LOG));
        for (RecipientAccount colleague : recipients.inOrganization(org)) {
            if (holding.contains(colleague.id()) || !colleague.role().isAdmin() || !colleague.active()
                    || !colleague.keyPinned()) {
                continue;
            }
            wraps.put(org, OrgKeyWraps.Purpose.CASE_LOG, colleague.id(), key.get().wrapTo(
                    RecipientPublicKey.parse(colleague.id(), colleague.credentials().publicKeyset()), org));
        }
    }

    /** The private half as wrapped to this colleague; empty when they hold none (or it was altered). */
    public Optional<CaseLogKey> open(String organizationId, RecipientPrivateKey privateKey) {
        return wraps.of(organizationId, OrgKeyWraps.Purpose.CASE_LOG, privateKey.recipientId()).flatMap(w -> {
            try {
                return Optional.of(CaseLogKey.unwrap(privateKey, w, organizationId));
            } catch (VaultException e) {
                LOG.error("ALARM: the case-log key wrapped to recipient {} does not open: the row was altered",
                        privateKey.recipientId());
                return Optional.empty();
            }
        });
    }
}

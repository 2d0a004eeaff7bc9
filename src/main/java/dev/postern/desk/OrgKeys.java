package dev.postern.desk;

import dev.postern.store.OrgKeyWraps;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.vault.OrgDataKey;
import dev.postern.vault.RecipientPrivateKey;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.VaultException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the organization's data key. Nobody but a colleague can wrap it (the CLI holds no
 * private key), so it is made by the first colleague of the organization who logs in, and every
 * login of a holder wraps it to the active colleagues with a pinned key who lack it: someone added
 * by the CLI or the desk gets it once any colleague has logged in after them.
 */
public final class OrgKeys {
    private static final Logger LOG = LoggerFactory.getLogger(OrgKeys.class);
    private final OrgKeyWraps wraps;
    private final Recipients recipients;
    private final CaseLogKeys caseLogKeys;

    public OrgKeys(OrgKeyWraps wraps, Recipients recipients, CaseLogKeys caseLogKeys) {
        this.wraps = wraps;
        this.recipients = recipients;
        this.caseLogKeys = caseLogKeys;
    }

    /**
     * The data key for a colleague who has just logged in (made if the organization has none yet),
     * after wrapping it to every colleague still waiting for it; null when it exists but nobody has
     * handed it to this colleague yet.
     */
    public OrgDataKey openAtLogin(RecipientAccount account, RecipientPrivateKey privateKey) {
        String org = account.organizationId();
        OrgDataKey key = wraps.of(org, OrgKeyWraps.Purpose.DATA, account.id())
                .map(w -> unwrap(privateKey, w, org)).orElse(null);
        if (key == null && !wraps.exists(org, OrgKeyWraps.Purpose.DATA)) {
            key = OrgDataKey.generate();
            wraps.put(org, OrgKeyWraps.Purpose.DATA, account.id(),
                    key.wrapTo(RecipientPublicKey.parse(account.id(), account.credentials().publicKeyset()), org));
            // Two first logins at once may both make one: keep the one stored first.
            key = wraps.of(org, OrgKeyWraps.Purpose.DATA, account.id()).map(w -> unwrap(privateKey, w, org))
                    .orElse(null);
        }
        if (key != null) {
            completePending(org, key);
        }
        // An administrator's login also makes or hands on the case-log key (administrators only).
        caseLogKeys.handOnAtLogin(account, privateKey);
        return key;
    }

    /** Wraps the data key to every active colleague with a pinned key who has no wrap yet. */
    public void completePending(String organizationId, OrgDataKey key) {
        Set<String> holding = new HashSet<>(wraps.holders(organizationId, OrgKeyWraps.Purpose.DATA));
        for (RecipientAccount colleague : recipients.inOrganization(organizationId)) {
            if (holding.contains(colleague.id()) || !colleague.active() || !colleague.keyPinned()) {
                continue;
            }
            wraps.put(organizationId, OrgKeyWraps.Purpose.DATA, colleague.id(), key.wrapTo(
                    RecipientPublicKey.parse(colleague.id(), colleague.credentials().publicKeyset()), organizationId));
        }
    }

    private static OrgDataKey unwrap(RecipientPrivateKey privateKey, byte[] wrapped, String org) {
        try {
            return OrgDataKey.unwrap(privateKey, wrapped, org);
        } catch (VaultException e) {
            LOG.error("ALARM: the organization data key wrapped to recipient {} does not open: the row was altered",
                    privateKey.recipientId());
            return null;
        }
    }
}

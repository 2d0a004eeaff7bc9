package dev.postern.desk;

import dev.postern.domain.CaseLog;
import dev.postern.domain.Role;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.store.ReportAccess;
import dev.postern.store.Reports;
import dev.postern.vault.RecipientPublicKey;
import dev.postern.vault.ReportKey;
import dev.postern.vault.ReportKeys;
import dev.postern.vault.SourceKeyPair;
import dev.postern.vault.VaultException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read a report, with real keys (decision 0005, sections 2.3 and 2.4).
 *
 * <p>Rules it owns: only a holder grants, revokes or restricts; a grant wraps every generation the
 * granter holds to the grantee's pinned public key (an active colleague of the same organization
 * whom the source did not leave out); a revocation deletes every wrap of the revoked colleague and
 * makes a new generation, wrapped to every remaining holder whose key is pinned and to the
 * source's pinned public key, so nothing written afterwards is readable with what the revoked
 * colleague held; the last holder is never revoked. Every change bumps the change sequences and
 * appends a case-log entry.
 */
public final class AccessService {
    private static final Logger LOG = LoggerFactory.getLogger(AccessService.class);
    /** Concurrent rotations of one report: each retry reads the generation again. */
    private static final int ROTATION_ATTEMPTS = 3;
    private final Reports reports;
    private final ReportAccess store;
    private final Recipients recipients;
    private final DeskService desk;
    private final CaseLog caseLog;
    private final AccessJobs jobs;

    public AccessService(Reports reports, Recipients recipients, DeskService desk, CaseLog caseLog, AccessJobs jobs) {
        this.reports = reports;
        this.store = reports.access();
        this.recipients = recipients;
        this.desk = desk;
        this.caseLog = caseLog;
        this.jobs = jobs;
    }

    /**
     * Wraps every generation the granter holds to {@code granteeId}'s pinned public key. Granting
     * to someone who holds them already changes nothing.
     *
     * @throws DeskException NOT_FOUND (report, or a grantee who is not an active colleague),
     *                       NO_ACCESS (the granter holds no key), GRANTEE_KEY_NOT_PINNED,
     *                       EXCLUDED_BY_SOURCE
     */
    public void grant(DeskSession session, String reportId, String granteeId) throws DeskException {
        ReportKeys keys = desk.keysOf(session, reportId);
        RecipientPublicKey grantee = pinnedColleague(session, granteeId);
        if (store.excluded(reportId).contains(granteeId)) {
            throw new DeskException(DeskException.Reason.EXCLUDED_BY_SOURCE);
        }
        if (store.grant(session.organizationId(), reportId, granteeId, wrapAll(keys, grantee, reportId)) > 0) {
            caseLog.append(session.organizationId(), new CaseLog.Entry(CaseLog.Action.GRANTED, session.recipientId(),
                    granteeId, reportId, keys.currentGeneration()));
        }
    }

    /**
     * Takes the report away from {@code revokedId}: their wraps go, and a new generation is made
     * for everyone else (and the source). Returns the new generation.
     *
     * @throws DeskException NOT_FOUND (report, or not a holder), NO_ACCESS, LAST_HOLDER
     */
    public int revoke(DeskSession session, String reportId, String revokedId) throws DeskException {
        desk.keysOf(session, reportId);
        if (store.holders(reportId).stream().noneMatch(h -> h.recipientId().equals(revokedId))) {
            throw new DeskException(DeskException.Reason.NOT_FOUND);
        }
        int generation = rotate(session.organizationId(), reportId, Set.of(revokedId));
        caseLog.append(session.organizationId(), new CaseLog.Entry(CaseLog.Action.REVOKED, session.recipientId(),
                revokedId, reportId, generation));
        return generation;
    }

    /**
     * Keeps only {@code keepIds} among the holders, in one rotation. Returns the report's
     * generation afterwards (unchanged when nobody was left out).
     *
     * @throws DeskException NOT_FOUND, NO_ACCESS, LAST_HOLDER (nobody kept)
     */
    public int restrict(DeskSession session, String reportId, Set<String> keepIds) throws DeskException {
        desk.keysOf(session, reportId);
        Set<String> removed = new HashSet<>();
        store.holders(reportId).forEach(h -> removed.add(h.recipientId()));
        if (keepIds.stream().noneMatch(removed::contains)) {
            throw new DeskException(DeskException.Reason.LAST_HOLDER);
        }
        removed.removeAll(keepIds);
        if (removed.isEmpty()) {
            return store.currentGeneration(reportId);
        }
        int generation = rotate(session.organizationId(), reportId, removed);
        for (String id : removed) {
            caseLog.append(session.organizationId(), new CaseLog.Entry(CaseLog.Action.RESTRICTED,
                    session.recipientId(), id, reportId, generation));
        }
        return generation;
    }

    /**
     * Grants {@code granteeId} every report the administrator can read and the grantee cannot,
     * except those whose source left the grantee out, and those whose newest generation the
     * administrator lacks (counted as skipped).
     *
     * @throws DeskException ADMIN_ONLY, NOT_FOUND (not an active colleague), GRANTEE_KEY_NOT_PINNED
     */
    public AccessJobs.Job grantBacklog(DeskSession admin, String granteeId) throws DeskException {
        requireAdmin(admin);
        RecipientPublicKey grantee = pinnedColleague(admin, granteeId);
        List<String> todo = store.grantable(admin.organizationId(), admin.recipientId(), granteeId);
        return jobs.start(AccessJobs.Kind.BACKLOG_GRANT, admin.recipientId(), granteeId, todo,
                batch -> grantBatch(admin, grantee, batch));
    }

    /**
     * One backlog batch: every wrap made first (on every core: HPKE is the cost), then inserted in
     * one transaction. Returns the skipped count.
     */
    private int grantBatch(DeskSession admin, RecipientPublicKey grantee, List<String> batch) {
        Map<String, Map<Integer, byte[]>> held = store.wrapsOf(batch, admin.recipientId());
        Map<String, Integer> current = store.currentGenerations(batch);
        List<Map.Entry<String, Map<Integer, byte[]>>> made = batch.parallelStream()
                .map(reportId -> rewrap(admin, grantee, reportId, held.getOrDefault(reportId, Map.of()),
                        current.get(reportId)))
                .flatMap(Optional::stream).toList();
        Map<String, Map<Integer, byte[]>> granted = new LinkedHashMap<>();
        made.forEach(e -> granted.put(e.getKey(), e.getValue()));
        store.grantAll(admin.organizationId(), grantee.recipientId(), granted);
        for (String reportId : granted.keySet()) {
            caseLog.append(admin.organizationId(), new CaseLog.Entry(CaseLog.Action.BACKLOG_GRANTED,
                    admin.recipientId(), grantee.recipientId(), reportId, current.get(reportId)));
        }
        return batch.size() - granted.size();
    }

    /** The administrator's generations of one report wrapped to the grantee; empty when they lack the newest. */
    private static Optional<Map.Entry<String, Map<Integer, byte[]>>> rewrap(DeskSession admin, RecipientPublicKey grantee,
                                                                         String reportId, Map<Integer, byte[]> wraps,
                                                                         Integer current) {
        if (current == null || !wraps.containsKey(current)) {
            return Optional.empty();
        }
        try {
            Map<Integer, ReportKey> keys = new TreeMap<>();
            for (Map.Entry<Integer, byte[]> w : wraps.entrySet()) {
                keys.put(w.getKey(), ReportKey.unwrap(admin.privateKey(), w.getValue(), reportId, w.getKey()));
            }
            return Optional.of(Map.entry(reportId, wrapAll(ReportKeys.of(keys), grantee, reportId)));
        } catch (VaultException e) {
            LOG.error("ALARM: a wrap of report {} held by recipient {} does not open", reportId, admin.recipientId());
            return Optional.empty();
        }
    }

    /**
     * Revokes {@code recipientId} from every report they hold (a colleague being disabled): each
     * report rotates to a new generation for its other holders. A report they alone hold is
     * skipped (and counted): nobody else could read it again.
     *
     * @throws DeskException ADMIN_ONLY, NOT_FOUND (not a colleague)
     */
    public AccessJobs.Job revokeAllOf(DeskSession admin, String recipientId) throws DeskException {
        requireAdmin(admin);
        recipients.byId(recipientId).filter(r -> r.organizationId().equals(admin.organizationId()))
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        List<String> todo = store.heldBy(admin.organizationId(), recipientId);
        return jobs.start(AccessJobs.Kind.REVOKE_ALL, admin.recipientId(), recipientId, todo, batch -> {
            int skipped = 0;
            for (String reportId : batch) {
                try {
                    int generation = rotate(admin.organizationId(), reportId, Set.of(recipientId));
                    caseLog.append(admin.organizationId(), new CaseLog.Entry(CaseLog.Action.REVOKED,
                            admin.recipientId(), recipientId, reportId, generation));
                } catch (DeskException e) {
                    skipped++;
                }
            }
            return skipped;
        // Cut short (a storage failure): the colleague is marked again, and the next administrator
        // login starts the rest (a rerun skips nothing it needs: rotating twice is harmless).
        }, () -> recipients.markRevokePending(recipientId));
    }

    /** Colleagues an administrator may share their reports with (the backlog form): active, pinned, not themselves. */
    public List<KeyHolders.Colleague> backlogGrantees(DeskSession admin) throws DeskException {
        requireAdmin(admin);
        return recipients.inOrganization(admin.organizationId()).stream()
                .filter(r -> r.active() && r.keyPinned() && !r.id().equals(admin.recipientId()))
                .map(r -> new KeyHolders.Colleague(r.id(), r.shownName())).toList();
    }

    /** The name colleagues see for a colleague of the session's organization (empty for anyone else). */
    public String nameOf(DeskSession session, String recipientId) {
        return recipients.byId(recipientId).filter(r -> r.organizationId().equals(session.organizationId()))
                .map(RecipientAccount::shownName).orElse("");
    }

    /** Waits at most {@code max} for every access job started so far to end (tools, tests); true when all have. */
    public boolean awaitJobs(Duration max) throws InterruptedException {
        return jobs.awaitAll(max);
    }

    /** The job, for the administrator who started it. */
    public Optional<AccessJobs.Job> job(DeskSession session, String jobId) {
        return jobs.of(session.recipientId(), jobId);
    }

    /**
     * One rotation (decision 0005, 2.4): a fresh key as generation g+1, wrapped to every holder not
     * in {@code removed} whose key is pinned and who is active, and to the source's pinned key (or
     * the report is marked {@code source_key_pending}); the removed lose every wrap. Retried when
     * another rotation of the report committed first.
     */
    private int rotate(String organizationId, String reportId, Set<String> removed) throws DeskException {
        for (int attempt = 0; attempt < ROTATION_ATTEMPTS; attempt++) {
            int from = store.currentGeneration(reportId);
            int to = from + 1;
            ReportKey next = ReportKey.generate();
            Map<String, byte[]> wraps = new LinkedHashMap<>();
            for (ReportAccess.Holder h : store.holders(reportId)) {
                if (removed.contains(h.recipientId())) {
                    continue;
                }
                if (!h.generations().contains(from)) {
                    // Someone who lacks the current generation (left behind by an earlier rotation)
                    // is not handed the next one either.
                    LOG.error("ALARM: recipient {} holds report {} but not its current key generation: they get no"
                            + " new one", h.recipientId(), reportId);
                    continue;
                }
                Optional<RecipientAccount> r = recipients.byId(h.recipientId());
                if (r.isPresent() && r.get().active() && r.get().keyPinned()) {
                    RecipientPublicKey pk = RecipientPublicKey.parse(h.recipientId(), r.get().credentials().publicKeyset());
                    wraps.put(h.recipientId(), next.wrapTo(pk, reportId, to));
                } else {
                    LOG.error("ALARM: recipient {} keeps report {} but gets no new key generation: their key is not"
                            + " pinned or their account is disabled", h.recipientId(), reportId);
                }
            }
            if (wraps.isEmpty()) {
                throw new DeskException(DeskException.Reason.LAST_HOLDER);
            }
            if (store.rotate(organizationId, reportId, from, removed, wraps, sourceWrap(organizationId, reportId,
                    next, to))) {
                return to;
            }
        }
        throw new DeskException(DeskException.Reason.BUSY);
    }

    /** Generation {@code g} wrapped to the source's pinned public key; null when it has none (yet) or it is not pinned. */
    private byte[] sourceWrap(String organizationId, String reportId, ReportKey key, int g) {
        ReportAccess.SourceKey source = store.sourceKey(reportId);
        if (!source.exists()) {
            return null;
        }
        if (!recipients.pinVerifies(SourceKeyPair.pinId(reportId), organizationId, source.publicKeyset(),
                source.pin())) {
            LOG.error("ALARM: the source public key of report {} does not verify under the pinning key;"
                    + " the new key generation is not wrapped to it.", reportId);
            return null;
        }
        return key.wrapToSource(SourceKeyPair.publicKey(reportId, source.publicKeyset()), reportId, g);
    }

    private static Map<Integer, byte[]> wrapAll(ReportKeys keys, RecipientPublicKey grantee, String reportId) {
        Map<Integer, byte[]> wraps = new TreeMap<>();
        for (int g : keys.generations()) {
            wraps.put(g, keys.require(g).wrapTo(grantee, reportId, g));
        }
        return wraps;
    }

    /** An active colleague of the session's organization, whose public key verifies under the pinning key. */
    private RecipientPublicKey pinnedColleague(DeskSession session, String recipientId) throws DeskException {
        RecipientAccount r = (recipientId == null ? Optional.<RecipientAccount>empty() : recipients.byId(recipientId))
                .filter(a -> a.organizationId().equals(session.organizationId()) && a.active())
                .orElseThrow(() -> new DeskException(DeskException.Reason.NOT_FOUND));
        if (!r.keyPinned()) {
            LOG.error("ALARM: a grant to recipient {} was refused: their public key does not verify under the"
                    + " pinning key", r.id());
            throw new DeskException(DeskException.Reason.GRANTEE_KEY_NOT_PINNED);
        }
        return RecipientPublicKey.parse(r.id(), r.credentials().publicKeyset());
    }

    private static void requireAdmin(DeskSession session) throws DeskException {
        if (!session.isAdmin()) {
            throw new DeskException(DeskException.Reason.ADMIN_ONLY);
        }
    }
}

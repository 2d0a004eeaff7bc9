package dev.postern.desk;

import dev.postern.domain.CaseLog;
import dev.postern.store.CaseLogStore;
import dev.postern.store.Hours;
import dev.postern.store.RecipientAccount;
import dev.postern.store.Recipients;
import dev.postern.vault.CaseLogKey;
import dev.postern.vault.VaultException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case log, encrypted: each entry is a small versioned binary record (action, actor, subject,
 * report, generation, hour) HPKE-encrypted to the organization's case-log public key for its own
 * position ({@code postern/v1/case-log/{org}/{seq}}). Anyone with the public key appends (intake
 * included); administrators read it in the desk with the private half wrapped to them.
 *
 * <p>The public key's pin is checked before every append: a key swapped in the database stops the
 * append (an ALARM in the log) rather than encrypting the entry to whoever swapped it.
 */
public final class EncryptedCaseLog implements CaseLog {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedCaseLog.class);
    /** Entries on one page of the desk's log. */
    public static final int PAGE_SIZE = 50;
    private static final int VERSION = 1;
    private final CaseLogStore store;
    private final CaseLogKeys keys;
    private final Recipients recipients;
    private final Clock clock;

    public EncryptedCaseLog(CaseLogStore store, CaseLogKeys keys, Recipients recipients, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.recipients = recipients;
        this.clock = clock;
    }

    /**
     * An entry as read back.
     *
     * @param entry null when the stored entry does not open as this position of this organization's
     *              log (altered or moved)
     */
    public record Recorded(long seq, long hour, Entry entry) {
    }

    /**
     * One page of the log, newest first.
     *
     * @param keyHeld false when this administrator holds no case-log key yet (another administrator's
     *                login hands it on); entries is then empty
     * @param names   display names of the organization's colleagues, by recipient id
     */
    public record Page(List<Recorded> entries, int page, long total, boolean keyHeld, Map<String, String> names) {
        public int pages() {
            return (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        }
    }

    @Override
    public void append(String organizationId, Entry entry) {
        Optional<byte[]> publicKeyset = keys.publicKeyset(organizationId);
        if (publicKeyset.isEmpty()) {
            return;
        }
        long hour = Hours.now(clock);
        byte[] plaintext = encode(entry, hour);
        store.append(organizationId, hour, seq -> CaseLogKey.seal(publicKeyset.get(), plaintext, organizationId, seq));
    }

    /**
     * A page of the organization's log for an administrator (page 0 is the newest).
     *
     * @throws DeskException ADMIN_ONLY for anyone else
     */
    public Page read(DeskSession session, int page) throws DeskException {
        if (!session.isAdmin()) {
            throw new DeskException(DeskException.Reason.ADMIN_ONLY);
        }
        String org = session.organizationId();
        long total = store.count(org);
        int shown = (int) Math.max(0, Math.min(page, (total - 1) / PAGE_SIZE));
        Map<String, String> names = new HashMap<>();
        for (RecipientAccount a : recipients.inOrganization(org)) {
            names.put(a.id(), a.shownName());
        }
        Optional<CaseLogKey> key = keys.open(org, session.privateKey());
        if (key.isEmpty()) {
            return new Page(List.of(), shown, total, false, names);
        }
        List<Recorded> entries = new ArrayList<>();
        for (CaseLogStore.Row row : store.newestFirst(org, shown * PAGE_SIZE, PAGE_SIZE)) {
            entries.add(open(key.get(), row, org));
        }
        return new Page(entries, shown, total, true, names);
    }

    private static Recorded open(CaseLogKey key, CaseLogStore.Row row, String org) {
        try {
            return decode(row.seq(), key.open(row.entry(), org, row.seq()));
        } catch (VaultException | IllegalArgumentException e) {
            LOG.error("ALARM: case-log entry {} of organization {} does not open: the row was altered or moved",
                    row.seq(), org);
            return new Recorded(row.seq(), row.createdHour(), null);
        }
    }

    /** The plaintext that is encrypted: a versioned binary form, the hour inside so it is authenticated. */
    static byte[] encode(Entry entry, long hour) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeUTF(entry.action().name());
            out.writeUTF(entry.actor());
            // Ids are never empty, so the empty string stands for "none".
            out.writeUTF(entry.subject() == null ? "" : entry.subject());
            out.writeUTF(entry.reportId() == null ? "" : entry.reportId());
            out.writeBoolean(entry.generation() != null);
            if (entry.generation() != null) {
                out.writeInt(entry.generation());
            }
            out.writeLong(hour);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Reads what {@link #encode} wrote; the hour shown is the encrypted one, not the row's plaintext copy. */
    static Recorded decode(long seq, byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown case-log entry version");
            }
            Action action = Action.valueOf(in.readUTF());
            String actor = in.readUTF();
            String subject = noneIfEmpty(in.readUTF());
            String report = noneIfEmpty(in.readUTF());
            Integer generation = in.readBoolean() ? in.readInt() : null;
            long hour = in.readLong();
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the case-log entry");
            }
            return new Recorded(seq, hour, new Entry(action, actor, subject, report, generation));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a case-log entry", e);
        }
    }

    private static String noneIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}

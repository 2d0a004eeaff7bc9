package dev.postern.domain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a report is being handled, as colleagues see it: its owner and collaborators, its labels and
 * its organization-defined status and sub-status. Stored as one object sealed under the report key
 * ({@code report_case.state}), so a database reader learns none of it.
 *
 * @param owner         recipient id of the colleague in charge, or null
 * @param collaborators recipient ids of the others working on it
 * @param labels        ids of organization labels
 * @param statusId      id of the organization status, or null for the default of the report's phase
 * @param subStatusId   id of the sub-status, or null
 */
public record CaseState(String owner, Set<String> collaborators, Set<String> labels, String statusId,
                        String subStatusId) {
    private static final int VERSION = 1;
    public static final CaseState EMPTY = new CaseState(null, Set.of(), Set.of(), null, null);

    public CaseState {
        collaborators = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(collaborators)));
        labels = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(labels)));
    }

    /** Whether a colleague is the owner or a collaborator ("assigned to me"). */
    public boolean assignedTo(String recipientId) {
        return recipientId.equals(owner) || collaborators.contains(recipientId);
    }

    public CaseState withOwner(String newOwner) {
        return new CaseState(newOwner, collaborators, labels, statusId, subStatusId);
    }

    public CaseState withCollaborators(Set<String> newCollaborators) {
        return new CaseState(owner, newCollaborators, labels, statusId, subStatusId);
    }

    public CaseState withLabels(Set<String> newLabels) {
        return new CaseState(owner, collaborators, newLabels, statusId, subStatusId);
    }

    public CaseState withStatus(String newStatusId, String newSubStatusId) {
        return new CaseState(owner, collaborators, labels, newStatusId, newSubStatusId);
    }

    /** The plaintext that is sealed: a versioned binary form (sorted sets, so equal states encode alike). */
    public byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            writeNullable(out, owner);
            writeSet(out, collaborators);
            writeSet(out, labels);
            writeNullable(out, statusId);
            writeNullable(out, subStatusId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Reads what {@link #encode} wrote; IllegalArgumentException for anything else. */
    public static CaseState decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown case state version");
            }
            CaseState state = new CaseState(readNullable(in), readSet(in), readSet(in), readNullable(in),
                    readNullable(in));
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the case state");
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a case state", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeSet(DataOutputStream out, Set<String> values) throws IOException {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        out.writeInt(sorted.size());
        for (String v : sorted) {
            out.writeUTF(v);
        }
    }

    private static Set<String> readSet(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("bad set size");
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }
}

package dev.postern.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Storage of resumable uploads ({@code upload}) and their recorded pieces ({@code upload_piece}).
 * The offset a client resumes from is {@code committed}: it only moves in the transaction that
 * records a piece, guarded by the value the writer started from, so two writers can never both
 * record a piece at the same offset.
 */
public final class Uploads {
    private static final String COLUMNS = "id, report_id, file_id, context, name, length, committed, pieces, state,"
            + " created_hour, expires_hour, final_file_id, key_generation";
    private final Jdbi jdbi;
    /** Runs after a commit that a client was or will be told about (see {@link Database#makeDurable}). */
    private final Runnable durable;

    public Uploads(Jdbi jdbi) {
        this(jdbi, () -> { });
    }

    public Uploads(Jdbi jdbi, Runnable durable) {
        this.jdbi = jdbi;
        this.durable = durable;
    }

    public void insert(UploadRow u) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO upload (" + COLUMNS + ") VALUES (:id, :r, :f, :c, :n, :l,"
                        + " :committed, :pieces, :s, :created, :expires, :final, :g)")
                .bind("id", u.id()).bind("r", u.reportId()).bind("f", u.fileId()).bind("c", u.context())
                .bind("n", u.name()).bind("l", u.length()).bind("committed", u.committed())
                .bind("pieces", u.pieces()).bind("s", u.state().name()).bind("created", u.createdHour())
                .bind("expires", u.expiresHour()).bind("final", u.finalFileId())
                .bind("g", u.keyGeneration()).execute());
        // The client is told the upload's URL next; it must still be there after a crash.
        durable.run();
    }

    public Optional<UploadRow> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM upload WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> read(rs)).findOne());
    }

    /** The report's uploads in one state, oldest first. */
    public List<UploadRow> ofReport(String reportId, UploadRow.State state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM upload WHERE report_id = :r AND state = :s ORDER BY created_hour, id")
                .bind("r", reportId).bind("s", state.name()).map((rs, ctx) -> read(rs)).list());
    }

    /** How many uploads of the report are still receiving. */
    public int receiving(String reportId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM upload WHERE report_id = :r AND state = 'RECEIVING'")
                .bind("r", reportId).mapTo(Integer.class).one());
    }

    /**
     * Records piece {@code seq} of {@code plainBytes}: the offset moves from {@code expected} and the
     * expiry is renewed, in one transaction. False (nothing recorded) when the offset is no longer
     * {@code expected} or the upload stopped receiving: the caller discards the piece.
     */
    public boolean recordPiece(String uploadId, long expected, int seq, long plainBytes, long expiresHour) {
        boolean recorded = jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE upload SET committed = committed + :n, pieces = pieces + 1, expires_hour = :e
                            WHERE id = :id AND committed = :expected AND pieces = :seq AND state = 'RECEIVING'""")
                    .bind("n", plainBytes).bind("e", expiresHour).bind("id", uploadId).bind("expected", expected)
                    .bind("seq", seq).execute();
            if (updated != 1) {
                return false;
            }
            h.createUpdate("INSERT INTO upload_piece (upload_id, seq, plain_bytes) VALUES (:id, :seq, :n)")
                    .bind("id", uploadId).bind("seq", seq).bind("n", plainBytes).execute();
            return true;
        });
        if (recorded) {
            // The client is told this offset next (or will read it with HEAD after a cut).
            durable.run();
        }
        return recorded;
    }

    /** The recorded pieces' sizes, by seq (index = seq). */
    public List<Long> pieceSizes(String uploadId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT plain_bytes FROM upload_piece WHERE upload_id = :id ORDER BY seq")
                .bind("id", uploadId).mapTo(Long.class).list());
    }

    /** The recorded pieces' seq numbers, in order. */
    public List<Integer> pieceSeqs(String uploadId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM upload_piece WHERE upload_id = :id ORDER BY seq")
                .bind("id", uploadId).mapTo(Integer.class).list());
    }

    /** Moves an upload from one state to another; false if it was not in {@code from}. */
    public boolean transition(String uploadId, UploadRow.State from, UploadRow.State to) {
        boolean moved = jdbi.withHandle(h -> h.createUpdate("UPDATE upload SET state = :to WHERE id = :id AND state = :from")
                .bind("to", to.name()).bind("id", uploadId).bind("from", from.name()).execute()) == 1;
        if (moved) {
            durable.run();
        }
        return moved;
    }

    /** Records the fresh file id a multi-piece upload is re-encrypted into (once; false if already set). */
    public boolean setFinalFileId(String uploadId, String fileId) {
        boolean set = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE upload SET final_file_id = :f
                        WHERE id = :id AND state = 'FINISHING' AND final_file_id IS NULL""")
                .bind("f", fileId).bind("id", uploadId).execute()) == 1;
        if (set) {
            durable.run();
        }
        return set;
    }

    /**
     * Turns an upload into a tombstone: its piece rows are deleted, its name erased, its state set
     * to {@code to} (GONE or FINISHED) from {@code from}, and its expiry set to {@code hour} (the
     * tombstone is deleted a day later). False if it was not in {@code from}.
     */
    public boolean tombstone(String uploadId, UploadRow.State from, UploadRow.State to, long hour) {
        boolean done = jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE upload SET state = :to, name = :empty, expires_hour = :h
                            WHERE id = :id AND state = :from""")
                    .bind("to", to.name()).bind("empty", new byte[0]).bind("h", hour).bind("id", uploadId)
                    .bind("from", from.name()).execute();
            if (updated != 1) {
                return false;
            }
            h.createUpdate("DELETE FROM upload_piece WHERE upload_id = :id").bind("id", uploadId).execute();
            return true;
        });
        if (done) {
            durable.run();
        }
        return done;
    }

    /** Receiving uploads whose expiry hour has passed ({@code expires_hour <= hour}). */
    public List<UploadRow> expired(long hour) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM upload WHERE state = 'RECEIVING' AND expires_hour <= :h")
                .bind("h", hour).map((rs, ctx) -> read(rs)).list());
    }

    /** Deletes tombstones (GONE, FINISHED) whose expiry hour is before {@code hour}; returns how many. */
    public int deleteTombstonesBefore(long hour) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                    DELETE FROM upload_piece WHERE upload_id IN
                    (SELECT id FROM upload WHERE state IN ('GONE', 'FINISHED') AND expires_hour < :h)""")
                    .bind("h", hour).execute();
            return h.createUpdate("DELETE FROM upload WHERE state IN ('GONE', 'FINISHED') AND expires_hour < :h")
                    .bind("h", hour).execute();
        });
    }

    /** Every (upload id, seq) recorded, for the start-up sweep of pieces no row names. */
    public List<String[]> allPieceKeys() {
        return jdbi.withHandle(h -> h.createQuery("SELECT upload_id, seq FROM upload_piece")
                .map((rs, ctx) -> new String[] {rs.getString(1), Integer.toString(rs.getInt(2))}).list());
    }

    /**
     * (report id, file id) of every blob a finishing upload may already have moved into the blob
     * store before a crash, so the start-up sweep of orphaned blobs keeps them for the finishing to
     * pick up.
     */
    public List<String[]> finishingFileKeys() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT report_id, file_id, final_file_id FROM upload WHERE state = 'FINISHING'")
                .map((rs, ctx) -> new String[] {rs.getString(1),
                        rs.getString(3) != null ? rs.getString(3) : rs.getString(2)}).list());
    }

    /** Every upload still waiting to finish (crash during finishing), for the next request of its report. */
    public List<UploadRow> finishing(String reportId) {
        return ofReport(reportId, UploadRow.State.FINISHING);
    }

    private static UploadRow read(ResultSet rs) throws SQLException {
        return new UploadRow(rs.getString("id"), rs.getString("report_id"), rs.getString("file_id"),
                rs.getString("context"), rs.getBytes("name"), rs.getLong("length"), rs.getLong("committed"),
                rs.getInt("pieces"), UploadRow.State.valueOf(rs.getString("state")), rs.getLong("created_hour"),
                rs.getLong("expires_hour"), rs.getString("final_file_id"),
                rs.getInt("key_generation"));
    }
}

package dev.postern.domain;

import java.util.Objects;

/**
 * One change of a report's status, sealed under the report key ({@code status_change.body}). The
 * names are a copy taken at the time of the change, so a later rename or retirement does not rewrite
 * history, and the source can read them with the report key alone. The reason and the author are for
 * colleagues: the source's pages show only {@link #nameIn}.
 *
 * @param statusId       the organization status
 * @param subStatusId    its sub-status, or null
 * @param status         the status's names then
 * @param subStatus      the sub-status's names then, or null
 * @param reason         why (required; colleagues only)
 * @param by             recipient id of the colleague who changed it
 * @param messageId      the reply sent to the source with the change, or null
 */
public record StatusChange(String statusId, String subStatusId, StatusNames status, StatusNames subStatus,
                           String reason, String by, String messageId) {
    private static final int VERSION = 1;

    public StatusChange {
        Objects.requireNonNull(statusId, "statusId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
    }

    /** The status as shown: "Closed — substantiated", in {@code lang}. */
    public String nameIn(String lang) {
        return subStatus == null ? status.in(lang) : status.in(lang) + " — " + subStatus.in(lang);
    }

    public byte[] encode() {
        return Fields.encode(VERSION, out -> {
            Fields.write(out, statusId);
            Fields.write(out, subStatusId);
            status.write(out);
            out.writeBoolean(subStatus != null);
            if (subStatus != null) {
                subStatus.write(out);
            }
            Fields.write(out, reason);
            Fields.write(out, by);
            Fields.write(out, messageId);
        });
    }

    /** Reads what {@link #encode} wrote; IllegalArgumentException for anything else. */
    public static StatusChange decode(byte[] encoded) {
        return Fields.decode(encoded, VERSION, "status change", in -> {
            String statusId = Fields.read(in);
            String subStatusId = Fields.read(in);
            StatusNames status = StatusNames.read(in);
            StatusNames subStatus = in.readBoolean() ? StatusNames.read(in) : null;
            return new StatusChange(statusId, subStatusId, status, subStatus, Fields.read(in), Fields.read(in),
                    Fields.read(in));
        });
    }
}

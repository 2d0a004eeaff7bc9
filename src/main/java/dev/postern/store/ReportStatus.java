package dev.postern.store;

import java.util.Optional;

/** Where a report stands in the recipients' work. */
public enum ReportStatus {
    NEW, ACKNOWLEDGED, IN_PROGRESS, CLOSED;

    /** The bundle key of the phase's default status name (the desk's defaults, the source's name before any change). */
    public String defaultNameKey() {
        return "status.default." + name();
    }

    public static Optional<ReportStatus> parse(String s) {
        for (ReportStatus v : values()) {
            if (v.name().equalsIgnoreCase(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}

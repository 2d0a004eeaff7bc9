package dev.postern.sanitize;

/**
 * What {@link FormatSniffer} concluded about a file.
 *
 * @param format the format, {@link EvidenceFormat#UNKNOWN} or {@link EvidenceFormat#REFUSED} when not handled
 * @param note   for refused or unknown files, why; otherwise a short human description
 */
public record DetectedFormat(EvidenceFormat format, String note) {
    public static DetectedFormat of(EvidenceFormat format) {
        return new DetectedFormat(format, format.name());
    }

    public static DetectedFormat refused(String why) {
        return new DetectedFormat(EvidenceFormat.REFUSED, why);
    }
}

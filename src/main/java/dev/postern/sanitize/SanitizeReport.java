package dev.postern.sanitize;

import java.util.List;

/**
 * What the sanitizer did to one file: shown to the journalist before anything is published.
 *
 * @param file           the name the caller gave (never a full path of the caller's machine)
 * @param format         the detected format
 * @param status         whether a clean copy exists
 * @param reason         for {@link Status#NOT_SANITIZED}, why; otherwise null
 * @param removed        metadata fields, parts and streams found in the original and absent from the copy
 * @param masks          opaque boxes painted (faces, manual)
 * @param warnings       what may still identify the source and cannot be removed by a tool
 * @param sha256Original SHA-256 (hex) of the original bytes
 * @param sha256Copy     SHA-256 (hex) of the clean copy, or null when there is none
 * @param members        for archives, one report per member
 */
public record SanitizeReport(String file, String format, Status status, String reason, List<String> removed,
                             List<String> masks, List<String> warnings, String sha256Original, String sha256Copy,
                             List<SanitizeReport> members) {

    /** Outcome for one file. */
    public enum Status {
        /** A clean copy was written (or, in a dry run, could be written). */
        SANITIZED,
        /** No clean copy: the file must not be published as it is. */
        NOT_SANITIZED
    }

    public SanitizeReport {
        removed = List.copyOf(removed);
        masks = List.copyOf(masks);
        warnings = List.copyOf(warnings);
        members = List.copyOf(members);
    }

    static SanitizeReport refused(String file, String format, String reason, String sha256Original,
                                  Findings findings) {
        return new SanitizeReport(file, format, Status.NOT_SANITIZED, reason, findings.removed(), findings.masks(),
                findings.warnings(), sha256Original, null, findings.members());
    }

    public boolean sanitized() {
        return status == Status.SANITIZED;
    }

    /** The same report under another display name (a worker process never learns the file's name). */
    public SanitizeReport named(String newFile) {
        return new SanitizeReport(newFile, format, status, reason, removed, masks, warnings, sha256Original,
                sha256Copy, members);
    }

    /** A report read back from {@link #toJson()}. @throws IllegalArgumentException for anything else */
    public static SanitizeReport fromJson(String json) {
        return ReportJson.parse(json);
    }

    /** The report as a JSON object (stable field names; the web desk shows the same data). */
    public String toJson() {
        StringBuilder b = new StringBuilder();
        appendJson(b, "");
        return b.toString();
    }

    private void appendJson(StringBuilder b, String indent) {
        String in = indent + "  ";
        b.append("{\n");
        field(b, in, "file", file).append(",\n");
        field(b, in, "format", format).append(",\n");
        field(b, in, "status", status.name()).append(",\n");
        field(b, in, "reason", reason).append(",\n");
        list(b, in, "removed", removed).append(",\n");
        list(b, in, "masks", masks).append(",\n");
        list(b, in, "warnings", warnings).append(",\n");
        field(b, in, "sha256Original", sha256Original).append(",\n");
        field(b, in, "sha256Copy", sha256Copy).append(",\n");
        b.append(in).append("\"members\": [");
        for (int i = 0; i < members.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n").append(in).append("  ");
            members.get(i).appendJson(b, in + "  ");
        }
        b.append(members.isEmpty() ? "]" : "\n" + in + "]").append("\n").append(indent).append("}");
    }

    private static StringBuilder field(StringBuilder b, String indent, String name, String value) {
        b.append(indent).append('"').append(name).append("\": ");
        return value == null ? b.append("null") : quote(b, value);
    }

    private static StringBuilder list(StringBuilder b, String indent, String name, List<String> values) {
        b.append(indent).append('"').append(name).append("\": [");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(", ");
            quote(b, values.get(i));
        }
        return b.append(']');
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** The report as plain text for a terminal. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        appendText(b, "");
        return b.toString();
    }

    private void appendText(StringBuilder b, String indent) {
        b.append(indent).append(file).append(" (").append(format).append("): ");
        if (sanitized()) {
            b.append("SANITIZED\n");
        } else {
            b.append("NOT sanitized: ").append(reason).append('\n');
        }
        section(b, indent, "removed", removed);
        section(b, indent, "masks applied", masks);
        section(b, indent, "WARNING, not removed", warnings);
        b.append(indent).append("  sha256 original: ").append(sha256Original).append('\n');
        b.append(indent).append("  sha256 copy:     ").append(sha256Copy == null ? "(none)" : sha256Copy).append('\n');
        for (SanitizeReport m : members) {
            m.appendText(b, indent + "    ");
        }
    }

    private static void section(StringBuilder b, String indent, String title, List<String> items) {
        if (items.isEmpty()) return;
        b.append(indent).append("  ").append(title).append(":\n");
        for (String s : items) {
            b.append(indent).append("    - ").append(s.replaceAll("\\p{Cntrl}", "?")).append('\n');
        }
    }
}

package dev.postern.web;

/** Parses a single HTTP byte range (RFC 9110 section 14.1.2). */
final class ByteRange {
    /** Returned for a range that cannot be served (416). */
    static final long[] UNSATISFIABLE = new long[0];

    private ByteRange() {
    }

    /**
     * {@code [first, last]} inclusive, {@code null} for no (or an ignorable) Range header — then
     * the whole file is sent — or {@link #UNSATISFIABLE}.
     */
    static long[] parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=")) {
            return null;
        }
        String spec = header.substring(6).trim();
        if (spec.contains(",")) {
            return null; // several ranges: serving the whole file is allowed
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long requestedLast = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || requestedLast < first) {
                return null; // not a valid range (RFC 9110 14.1.1): ignore it and send the whole file
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            long last = Math.min(requestedLast, size - 1);
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

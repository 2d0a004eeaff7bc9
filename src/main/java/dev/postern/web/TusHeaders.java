package dev.postern.web;

import dev.postern.intake.ResumableUploads;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parsing and formatting of tus 1.0.0 header values; every malformed value is a 400. */
final class TusHeaders {
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,termination,checksum,expiration";
    static final String CHECKSUM_ALGORITHMS = "sha1,sha256";
    static final String OFFSET_CONTENT_TYPE = "application/offset+octet-stream";
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern KEY = Pattern.compile("[^\\s,]+");
    /** IMF-fixdate (RFC 9110): always two-digit days, always GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private TusHeaders() {
    }

    /** A non-negative integer header (Upload-Length, Upload-Offset); 400 when missing or malformed. */
    static long nonNegative(String value, String header) {
        if (value == null || !DIGITS.matcher(value.trim()).matches()) {
            throw new TusError(400, header + " missing or not a non-negative integer");
        }
        String digits = value.trim();
        if (digits.length() > 18) {
            // Well-formed but beyond any size we take (a long holds 18 digits safely): a length is
            // the protocol's "too large", an offset cannot be where the upload stands.
            throw "Upload-Length".equals(header)
                    ? new TusError(413, header + " is larger than this server accepts")
                    : new TusError(409, header + " is not the upload's offset");
        }
        return Long.parseLong(digits);
    }

    /**
     * {@code Upload-Metadata}: comma-separated "key base64value" pairs (the value may be absent).
     * Keys must be unique; values must be valid base64 of UTF-8 text.
     */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new HashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",", -1)) {
            String[] kv = pair.trim().split(" ", -1);
            if (kv.length > 2 || !KEY.matcher(kv[0]).matches()) {
                throw new TusError(400, "malformed Upload-Metadata");
            }
            String value = kv.length == 2 ? utf8(base64(kv[1])) : "";
            if (out.put(kv[0], value) != null) {
                throw new TusError(400, "a key repeated in Upload-Metadata");
            }
        }
        return out;
    }

    /** {@code Upload-Checksum: <algorithm> <base64 digest>}; empty when absent. */
    static Optional<ResumableUploads.Checksum> checksum(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split(" ", -1);
        if (parts.length != 2) {
            throw new TusError(400, "malformed Upload-Checksum");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        try {
            return Optional.of(new ResumableUploads.Checksum(algorithm, base64(parts[1])));
        } catch (IllegalArgumentException e) {
            throw new TusError(400, "unsupported checksum algorithm or a digest of the wrong length");
        }
    }

    /** An hour (epoch seconds) as an HTTP date. */
    static String date(long epochSeconds) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new TusError(400, "malformed base64 in a tus header");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TusError(400, "Upload-Metadata value is not UTF-8");
        }
    }
}

package dev.postern.sanitize.office;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads zip members with a hard cap on the bytes actually inflated, whatever the headers claim:
 * the declared size of a zip entry is attacker-controlled, so only counted bytes are trusted.
 */
public final class ZipReading {
    private ZipReading() {
    }

    /** Reads one member fully, charging the archive budget; fails past {@code maxBytes}. */
    public static byte[] readBounded(ZipFile zip, ZipEntry e, long maxBytes, CleaningJob job)
            throws IOException, CannotSanitizeException {
        try (InputStream in = zip.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new CannotSanitizeException("member " + safeName(e.getName())
                            + " expands beyond the limit: possible zip bomb");
                }
                job.budget().takeBytes(n);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** A member name fit for a report line (control characters and excessive length removed). */
    public static String safeName(String name) {
        String s = name.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}

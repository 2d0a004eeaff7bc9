package dev.postern.sanitize;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a clean copy of one file of a family of formats. Implementations must build the copy
 * fresh from the content they understand (an allow-list), never by deleting known-bad parts from
 * the original, so that a field nobody anticipated is dropped rather than kept.
 */
public interface FormatCleaner {

    /**
     * @param in     the original, never modified
     * @param out    where to write the copy (a file in the caller's work directory; does not exist yet)
     * @param format the detected format of {@code in}
     * @param job    options, findings, work directory and limits for this file
     * @throws CannotSanitizeException when no safe copy can be made; the message is the reason shown
     */
    void clean(Path in, Path out, EvidenceFormat format, CleaningJob job) throws IOException, CannotSanitizeException;
}

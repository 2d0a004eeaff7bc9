package dev.postern.handoff;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the copies that leave are written, one item after the other: an OpenPGP archive for an
 * export, a new report for a forward. Pushed, so that a file streams from the blob store through
 * the sanitizer and any redaction into the sink without being held whole anywhere.
 */
public interface HandOffSink {
    /**
     * One text item, already redacted.
     *
     * @param key  {@link HandOffRequest#ANSWERS_WHAT}..., or the message id
     * @param item what it is and its text
     */
    void text(String key, TextItem item) throws IOException;

    /**
     * Opens the stream a file's copy is written to; the caller writes the whole copy, then closes
     * it. Not called for a file that could not be prepared (it is listed in the result instead).
     *
     * @param fileId the evidence file's id
     * @param name   its file name (the source's, as decrypted)
     */
    OutputStream file(String fileId, String name) throws IOException;

    /**
     * A text that goes.
     *
     * @param kind        answer or message
     * @param fromSource  for a message: whether the source wrote it
     * @param createdHour for a message: its hour (epoch hours)
     * @param text        the text, redactions already applied
     */
    record TextItem(Kind kind, boolean fromSource, long createdHour, String text) {
        public enum Kind { ANSWER, MESSAGE }
    }
}

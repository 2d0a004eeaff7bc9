package dev.postern.web;

import dev.postern.intake.IntakeException;
import dev.postern.intake.IntakeService.IncomingFile;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Streams a multipart/form-data request part by part with Jetty's push parser (its boundary search
 * skips ahead instead of testing every byte, which keeps intake near disk speed): text fields are
 * collected in memory with a ceiling, and each chunk of a file part is handed to the caller as it
 * arrives from the socket. Nothing is buffered to disk (the container's own multipart support
 * spools to plaintext temp files and is never used for uploads).
 *
 * <p>The form token must be the first field; a file that arrives before a valid token is refused
 * unread.
 */
final class MultipartForm {
    /** Opens where the bytes of a named file part go. */
    @FunctionalInterface
    interface FileSink {
        IncomingFile begin(String fileName) throws Exception;
    }

    private static final int FIELD_MAX_BYTES = 512 * 1024;
    /** The form token field, the only part read before the token verified: tokens are ~60 bytes. */
    private static final int TOKEN_MAX_BYTES = 1024;
    /** All text of one request together: the longest form (report) is well below this. */
    private static final int TEXT_MAX_BYTES = 1024 * 1024;
    /**
     * The first read buffer: a connection that sends a token and a few hundred bytes and then
     * stalls holds no more than this (Jetty's input buffers are pooled and shared).
     */
    static final int FIRST_READ_BUFFER = 2 * 1024;
    /**
     * The largest read buffer: big reads keep intake near disk speed. The buffer doubles towards it
     * only after the token verified and while reads fill it, i.e. for a client that really streams.
     */
    static final int READ_BUFFER = 256 * 1024;
    private final Map<String, String> fields = new HashMap<>();
    /** Every value of each text field, in order (checkboxes of one name). */
    private final Map<String, List<String>> values = new HashMap<>();

    /**
     * Reads the whole request. {@code tokenCheck} validates the form token field named "csrf";
     * {@code sink} receives files that have a name (an empty file input sends none). When this
     * throws, the text fields read so far stay available, so a form can be shown again filled in.
     */
    void stream(Context ctx, Predicate<String> tokenCheck, Set<String> textFields, FileSink sink)
            throws Exception {
        String type = ctx.req().getContentType();
        String boundary = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                ? MultiPart.extractBoundary(type) : null;
        if (boundary == null || boundary.isEmpty()) {
            throw WebError.badForm();
        }
        stream(ctx.req().getInputStream(), boundary, tokenCheck, textFields, sink);
    }

    /** Reads a multipart body with the given boundary from {@code in}; see the method above. */
    void stream(InputStream in, String boundary, Predicate<String> tokenCheck, Set<String> textFields,
                FileSink sink) throws Exception {
        Parts parts = new Parts(tokenCheck, textFields, sink);
        MultiPart.Parser parser = new MultiPart.Parser(boundary, parts);
        parser.setPartHeadersMaxLength(64 * 1024);
        byte[] buffer = new byte[FIRST_READ_BUFFER];
        int lastRead = 0;
        while (!parts.complete) {
            if (parts.tokenSeen && lastRead == buffer.length && buffer.length < READ_BUFFER) {
                buffer = new byte[buffer.length * 2];
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | BadMessageException e) {
                // Gone, idle past the timeout, or slower than http.min-bytes-per-second (Jetty
                // refuses the read with a BadMessageException): an interrupted upload.
                throw new IntakeException(IntakeException.Reason.MALFORMED_UPLOAD);
            }
            if (n < 0) {
                parser.parse(Content.Chunk.EOF);
                if (!parts.complete) {
                    // The body ended before the closing boundary: a cut-off upload.
                    throw new IntakeException(IntakeException.Reason.MALFORMED_UPLOAD);
                }
                parts.rethrow();
                break;
            }
            lastRead = n;
            parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
            parts.rethrow();
        }
        if (!parts.tokenSeen) {
            throw WebError.badToken();
        }
    }

    /** The parser's listener: keeps the first failure and ignores everything after it. */
    private final class Parts implements MultiPart.Parser.Listener {
        private final Predicate<String> tokenCheck;
        private final Set<String> textFields;
        private final FileSink sink;
        private long textBytes;
        private boolean discard;
        private Exception failure;
        private boolean complete;
        private boolean tokenSeen;
        private String fieldName;
        private String fileName;
        private IncomingFile file;
        private ByteArrayOutputStream field;
        private boolean inHeaders;

        Parts(Predicate<String> tokenCheck, Set<String> textFields, FileSink sink) {
            this.tokenCheck = tokenCheck;
            this.textFields = textFields;
            this.sink = sink;
        }

        void rethrow() throws Exception {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void onPartBegin() {
            inHeaders = true;
            fieldName = null;
            fileName = null;
            file = null;
            field = null;
            discard = false;
        }

        @Override
        public void onPartHeader(String name, String value) {
            if (failure == null && "content-disposition".equalsIgnoreCase(name)) {
                Map<String, String> params = ContentDisposition.parameters(value);
                fieldName = params.get("name");
                fileName = params.get("filename");
            }
        }

        @Override
        public void onPartHeaders() {
            inHeaders = false;
            if (failure != null) {
                return;
            }
            try {
                if (fieldName == null) {
                    throw WebError.badForm();
                }
                if (!tokenSeen && (fileName != null || !"csrf".equals(fieldName))) {
                    throw WebError.badToken();
                }
                if (fileName == null) {
                    if (!tokenSeen || textFields.contains(fieldName)) {
                        field = new ByteArrayOutputStream();
                    } else {
                        discard = true; // a field no form of ours has: read past it, keep nothing
                    }
                } else if (!fileName.isEmpty()) {
                    file = sink.begin(fileName);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            try {
                ByteBuffer b = chunk.getByteBuffer();
                int len = b.remaining();
                if (failure != null || len == 0 || discard) {
                    return;
                }
                if (field != null) {
                    if (!tokenSeen && field.size() + len > TOKEN_MAX_BYTES) {
                        throw WebError.badToken();
                    }
                    textBytes += len;
                    if (field.size() + len > FIELD_MAX_BYTES || textBytes > TEXT_MAX_BYTES) {
                        throw new WebError(413, "error.FIELD_TOO_LONG");
                    }
                    write(field, b);
                } else if (file != null) {
                    if (b.hasArray()) {
                        file.write(b.array(), b.arrayOffset() + b.position(), len);
                    } else {
                        byte[] copy = new byte[len];
                        b.get(copy);
                        file.write(copy, 0, len);
                    }
                } else {
                    // An empty <input type=file> sends a nameless part, which must be empty.
                    throw new IntakeException(IntakeException.Reason.BAD_FILE_NAME);
                }
            } catch (Exception e) {
                failure = e;
            }
            // The chunk is the parser's to release: it is consumed here, before parse() returns.
        }

        @Override
        public void onPartEnd() {
            if (failure != null) {
                return;
            }
            try {
                if (field != null) {
                    String value = StrictText.utf8(field.toByteArray());
                    if (!tokenSeen) {
                        if (!tokenCheck.test(value)) {
                            throw WebError.badToken();
                        }
                        tokenSeen = true;
                    } else {
                        fields.putIfAbsent(fieldName, value);
                        values.computeIfAbsent(fieldName, k -> new ArrayList<>()).add(value);
                    }
                } else if (file != null) {
                    file.finish();
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable cause) {
            if (failure == null) {
                // After the token, the only part headers a person controls carry a file name: a
                // header the parser refuses (a control character, say) is a file name we refuse.
                failure = inHeaders && tokenSeen ? new IntakeException(IntakeException.Reason.BAD_FILE_NAME)
                        : WebError.badForm();
            }
        }

        private void write(ByteArrayOutputStream to, ByteBuffer b) {
            if (b.hasArray()) {
                to.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            } else {
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                to.writeBytes(copy);
            }
        }
    }

    String get(String name) {
        return fields.getOrDefault(name, "");
    }

    /** Every value sent for a text field (checkboxes of one name), in order; empty when none. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}

package dev.postern.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * Streams a multipart/form-data request part by part: text fields are read into memory with a
 * ceiling, each file part is handed to the caller as a stream, straight from the socket. Nothing is
 * buffered to disk (the container's own multipart support spools to plaintext temp files and is
 * never used for uploads).
 *
 * <p>The form token must be the first field; a file that arrives before a valid token is refused
 * unread.
 */
final class MultipartForm {
    /** Receives each file part as it streams in. */
    @FunctionalInterface
    interface FileSink {
        void accept(String fileName, InputStream content) throws Exception;
    }

    private static final int FIELD_MAX_BYTES = 512 * 1024;
    private final Map<String, String> fields = new HashMap<>();

    /**
     * Reads the whole request. {@code tokenCheck} validates the form token field named "csrf";
     * {@code sink} receives files that have a name (an empty file input sends none). When this
     * throws, the text fields read so far stay available, so a form can be shown again filled in.
     */
    void stream(Context ctx, Predicate<String> tokenCheck, FileSink sink) throws Exception {
        if (!JakartaServletFileUpload.isMultipartContent(ctx.req())) {
            throw WebError.badForm();
        }
        MultipartForm form = this;
        JakartaServletFileUpload<?, ?> upload = new JakartaServletFileUpload<>();
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        upload.setMaxPartHeaderSize(16 * 1024);
        boolean tokenSeen = false;
        try {
            FileItemInputIterator items = upload.getItemIterator(ctx.req());
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (!tokenSeen) {
                    if (!item.isFormField() || !"csrf".equals(item.getFieldName())
                            || !tokenCheck.test(readField(item))) {
                        throw WebError.badToken();
                    }
                    tokenSeen = true;
                    continue;
                }
                if (item.isFormField()) {
                    form.fields.putIfAbsent(item.getFieldName(), readField(item));
                } else {
                    String name = item.getName();
                    try (InputStream in = item.getInputStream()) {
                        if (name == null || name.isEmpty()) {
                            // An empty <input type=file> sends a nameless, empty part: not a file.
                            if (in.read() != -1) {
                                throw new dev.postern.intake.IntakeException(
                                        dev.postern.intake.IntakeException.Reason.BAD_FILE_NAME);
                            }
                            continue;
                        }
                        sink.accept(name, in);
                    }
                }
            }
        } catch (IOException e) {
            // FileUploadException and MalformedStreamException are IOExceptions: a broken or
            // truncated request. Failures on our side surface as unchecked exceptions instead.
            throw WebError.badForm();
        }
        if (!tokenSeen) {
            throw WebError.badToken();
        }
    }

    private static String readField(FileItemInput item) throws IOException {
        try (InputStream in = item.getInputStream()) {
            byte[] b = in.readNBytes(FIELD_MAX_BYTES + 1);
            if (b.length > FIELD_MAX_BYTES) {
                throw new WebError(413, "error.FIELD_TOO_LONG");
            }
            return StrictText.utf8(b);
        }
    }

    String get(String name) {
        return fields.getOrDefault(name, "");
    }
}

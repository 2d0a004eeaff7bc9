package dev.postern.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postern.intake.IntakeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a multipart upload costs the server before its form token verified. */
class MultipartFormTest {
    private static final String B = "b0undary";

    /** A stream that delivers {@code head} and then fails, as a stalled client cut by the timeout. */
    private static InputStream stalled(String head) {
        InputStream cut = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("idle timeout");
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), cut);
    }

    private static long allocatedBy(ThrowingRunnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            r.run();
        } catch (Exception e) {
            // expected: the stream is cut
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The old code allocated a 256 KiB buffer per request before reading anything; what a stalled
     * request allocates now, garbage and exceptions included, stays far below that.
     */
    @Test
    void aStalledUploadAllocatesLittleBeforeAndAfterItsToken() {
        String beforeToken = "--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + "t".repeat(300);
        String afterToken = "--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nok\r\n--" + B
                + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\n" + "x".repeat(300);
        for (String head : new String[] {beforeToken, afterToken}) {
            // The least of a few runs: the first ones also pay for class loading and linkage.
            long bytes = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                InputStream in = stalled(head);
                bytes = Math.min(bytes, allocatedBy(() -> new MultipartForm().stream(in, B, "ok"::equals,
                        Set.of("what"), name -> null)));
            }
            System.out.println("allocated by a stalled multipart request: " + bytes + " bytes");
            assertThat(bytes).isLessThan(32 * 1024);
        }
    }

    @Test
    void anOverlongTokenFieldIsRefusedBeforeItGrows() {
        String head = "--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + "t".repeat(4096);
        assertThatThrownBy(() -> new MultipartForm().stream(stalled(head), B, t -> true, Set.of(), name -> null))
                .isInstanceOf(WebError.class).hasMessage("error.csrf");
    }

    @Test
    void aStalledUploadIsAnInterruptedUpload() {
        String head = "--" + B + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nok\r\n--" + B
                + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nsome text";
        assertThatThrownBy(() -> new MultipartForm().stream(stalled(head), B, "ok"::equals, Set.of("text"),
                name -> null)).isInstanceOf(IntakeException.class);
    }
}

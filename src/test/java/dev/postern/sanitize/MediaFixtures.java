package dev.postern.sanitize;

import dev.postern.sanitize.media.MediaTool;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Audio and video fixtures made with the bundled ffmpeg, carrying planted tags. */
final class MediaFixtures {
    private MediaFixtures() {
    }

    /** Skips the calling test when the bundled ffmpeg cannot run here (Debian needs libpulse0). */
    static MediaTool tool() {
        Assumptions.assumeTrue(MediaTool.available(),
                "the bundled ffmpeg does not run on this machine (on Debian install libpulse0)");
        try {
            return MediaTool.bundled();
        } catch (CannotSanitizeException e) {
            throw new IllegalStateException(e);
        }
    }

    static void ffmpeg(List<String> args) {
        try {
            MediaTool.Run r = tool().ffmpeg(args, Duration.ofMinutes(1));
            if (!r.ok()) throw new IllegalStateException("fixture ffmpeg failed: " + r.stderrTail());
        } catch (CannotSanitizeException e) {
            throw new IllegalStateException(e);
        }
    }

    static String probe(Path file) {
        try {
            MediaTool.Run r = tool().ffprobe(List.of("-print_format", "flat", "-show_format", "-show_streams",
                    "-show_chapters", file.toString()), Duration.ofMinutes(1));
            if (!r.ok()) throw new IllegalStateException("ffprobe failed on " + file + ": " + r.stderrTail());
            return new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (CannotSanitizeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Planted tags: title, artist, comment, location (the ISO 6709 string ffmpeg writes as ©xyz). */
    static List<String> plantedTags() {
        return List.of("-metadata", "title=" + Fixtures.TITLE, "-metadata", "artist=" + Fixtures.ARTIST,
                "-metadata", "comment=" + Fixtures.COMMENT, "-metadata", "location=+48.8566+002.3522/",
                "-metadata", "copyright=" + Fixtures.OWNER);
    }

    /** One second of a tone, in the given container, with planted tags. */
    static Path audio(Path dir, String name, String muxer, String codec) {
        Path out = dir.resolve(name);
        List<String> a = new ArrayList<>(List.of("-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                "-c:a", codec));
        a.addAll(plantedTags());
        a.addAll(List.of("-f", muxer, out.toString()));
        ffmpeg(a);
        return out;
    }

    /**
     * One second of test picture and tone, with planted tags, a planted stream handler name and,
     * where the container has them, a chapter and a subtitle stream.
     */
    static Path video(Path dir, String name, String muxer, String vcodec, String acodec, boolean extras) throws java.io.IOException {
        Path out = dir.resolve(name);
        Path meta = dir.resolve(name + ".ffmeta");
        java.nio.file.Files.writeString(meta, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle="
                + Fixtures.SERIAL + "\n");
        Path srt = dir.resolve(name + ".srt");
        java.nio.file.Files.writeString(srt, "1\n00:00:00,000 --> 00:00:00,900\n" + Fixtures.DATUM + "\n");
        List<String> a = new ArrayList<>(List.of("-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-i", meta.toString()));
        if (extras) a.addAll(List.of("-i", srt.toString()));
        a.addAll(List.of("-map", "0", "-map", "1", "-map_chapters", "2"));
        if (extras) a.addAll(List.of("-map", "3", "-c:s", muxer.equals("matroska") ? "srt" : "mov_text"));
        a.addAll(List.of("-c:v", vcodec, "-c:a", acodec));
        a.addAll(plantedTags());
        a.addAll(List.of("-metadata:s:a:0", "handler_name=" + Fixtures.OWNER, "-metadata:s:v:0", "title=" + Fixtures.ARTIST));
        a.addAll(List.of("-f", muxer, out.toString()));
        ffmpeg(a);
        try {
            java.nio.file.Files.delete(meta);
            java.nio.file.Files.delete(srt);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}

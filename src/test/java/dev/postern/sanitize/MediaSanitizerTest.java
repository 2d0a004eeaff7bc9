package dev.postern.sanitize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSanitizerTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    static void assertNoTagsButStructural(String probe) {
        for (String line : probe.split("\n")) {
            if (!line.contains(".tags.")) continue;
            String tag = line.substring(line.indexOf(".tags.") + 6, line.indexOf('='));
            assertThat(tag).as(line).isIn("major_brand", "minor_version", "compatible_brands", "language",
                    "vendor_id", "DURATION", "handler_name", "encoder", "ENCODER");
            if (tag.equalsIgnoreCase("encoder")) assertThat(line).matches(".*=\"(Lavf|Lavc [a-z][a-z0-9_]*)\"");
        }
        assertThat(probe).doesNotContain("chapters.chapter.0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tone.mp3, mp3, libmp3lame, MP3",
            "tone.flac, flac, flac, FLAC",
            "tone.ogg, ogg, libopus, OGG",
            "tone.wav, wav, pcm_s16le, WAV",
            "tone.aiff, aiff, pcm_s16be, AIFF",
            "tone.m4a, ipod, aac, M4A",
    })
    void audioLosesEveryTag(String name, String muxer, String codec, String format) throws IOException {
        Path in = MediaFixtures.audio(dir, name, muxer, codec);
        assertThat(Fixtures.plantedIn(Files.readAllBytes(in))).as("fixture").isNotEmpty();
        Path out = dir.resolve("clean-" + name);
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo(format);
        // The title field under its name in each format: tag title, ID3 TIT2, RIFF INAM, AIFF NAME.
        assertThat(r.removed()).anyMatch(s -> s.matches("(?i).*\\b(title|TIT2|INAM|name)\\b.*"));
        assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        // Only the bare tool name may appear (MP3's Info header, Matroska's muxing app), never a version.
        assertThat(new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContainPattern("Lavf\\d");
        String probe = MediaFixtures.probe(out);
        assertThat(probe).contains("codec_type=\"audio\"");
        assertNoTagsButStructural(probe);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "clip.mp4, mp4, mpeg4, aac, true, MP4",
            "clip.mov, mov, mpeg4, aac, true, MOV",
            "clip.mkv, matroska, mpeg4, libopus, true, MKV",
            "clip.webm, webm, libvpx, libopus, false, WEBM",
            "clip.avi, avi, mpeg4, libmp3lame, false, AVI",
            "clip.wmv, asf, wmv2, wmav2, false, ASF",
    })
    void videoLosesTagsChaptersLocationAndSideStreams(String name, String muxer, String v, String a, boolean extras,
                                                       String format) throws IOException {
        Path in = MediaFixtures.video(dir, name, muxer, v, a, extras);
        assertThat(Fixtures.plantedIn(Files.readAllBytes(in))).as("fixture").isNotEmpty();
        Path out = dir.resolve("clean-" + name);
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.format()).isEqualTo(format);
        if (extras) {
            assertThat(r.removed()).anyMatch(s -> s.contains("subtitle"));
        }
        assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        String bytes = new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("48.8566").doesNotContainPattern("Lavf\\d");
        String probe = MediaFixtures.probe(out);
        assertThat(probe).contains("codec_type=\"video\"", "codec_type=\"audio\"");
        assertThat(probe).doesNotContain("codec_type=\"subtitle\"", "codec_type=\"data\"", "codec_type=\"attachment\"");
        assertNoTagsButStructural(probe);
        assertThat(r.warnings()).anyMatch(w -> w.contains("faces"));
    }

    @Test
    void muteDropsAudioFromVideo() throws IOException {
        Path in = MediaFixtures.video(dir, "m.mp4", "mp4", "mpeg4", "aac", false);
        Path out = dir.resolve("muted.mp4");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withVoice(VoiceMode.MUTE), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).contains("all audio streams (--voice mute)");
        assertThat(MediaFixtures.probe(out)).doesNotContain("codec_type=\"audio\"").contains("codec_type=\"video\"");
    }

    @Test
    void muteOnAudioOnlyIsRefused() throws IOException {
        Path in = MediaFixtures.audio(dir, "a.flac", "flac", "flac");
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.flac"), SanitizeOptions.defaults().withVoice(VoiceMode.MUTE), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(r.reason()).contains("nothing");
    }

    @Test
    void truncatedVideoIsNotPassedThrough() throws IOException {
        Path in = MediaFixtures.video(dir, "t.mp4", "mp4", "mpeg4", "aac", false);
        byte[] b = Files.readAllBytes(in);
        Path cut = Fixtures.write(dir, "cut.mp4", java.util.Arrays.copyOf(b, 64));
        SanitizeReport r = sanitizer.sanitize(cut, dir.resolve("o.mp4"), SanitizeOptions.defaults(), dir);
        assertThat(r.sanitized()).isFalse();
        assertThat(Files.exists(dir.resolve("o.mp4"))).isFalse();
    }
}

package dev.postern.sanitize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Face masking in images and video, manual timed masks, and voice disguise. */
class FaceAndVoiceTest {

    @TempDir
    Path dir;

    private final Sanitizer sanitizer = Sanitizer.withDefaultCleaners();

    private static boolean black(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y);
        // Video codecs blur edges a little: "black" means all channels very dark.
        return ((rgb >> 16) & 0xFF) < 24 && ((rgb >> 8) & 0xFF) < 24 && (rgb & 0xFF) < 24;
    }

    @Test
    void drawnFaceInAPhotoIsCoveredByAnOpaqueBoxWithMargin() throws IOException {
        Path in = dir.resolve("face.png");
        ImageIO.write(FaceFixtures.face(480, 360, 240, 180, 120), "png", in.toFile());
        Path out = dir.resolve("masked.png");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withMaskFaces(true), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.masks()).anyMatch(m -> m.startsWith("face "));
        BufferedImage img = ImageIO.read(out.toFile());
        // Eyes, nose, mouth and the edge of the face oval (the margin) are all covered.
        for (int[] p : List.of(new int[]{205, 160}, new int[]{275, 160}, new int[]{240, 190}, new int[]{240, 215},
                new int[]{185, 180}, new int[]{295, 180})) {
            assertThat(black(img, p[0], p[1])).as("covered at " + p[0] + "," + p[1]).isTrue();
        }
        assertThat(black(img, 5, 5)).as("background untouched").isFalse();
    }

    @Test
    void pictureWithoutFaceGetsNoMaskButAWarning() throws IOException {
        Path in = Fixtures.write(dir, "scene.png", Fixtures.png(200, 150));
        SanitizeReport r = sanitizer.sanitize(in, dir.resolve("o.png"), SanitizeOptions.defaults().withMaskFaces(true), dir);
        assertThat(r.sanitized()).isTrue();
        assertThat(r.masks()).isEmpty();
        assertThat(r.warnings()).contains("no face was detected in this image");
    }

    private BufferedImage frameAt(Path video, double seconds) throws IOException {
        Path png = dir.resolve("frame-" + System.nanoTime() + ".png");
        MediaFixtures.ffmpeg(List.of("-y", "-ss", String.valueOf(seconds), "-i", video.toString(), "-frames:v", "1", png.toString()));
        BufferedImage img = ImageIO.read(png.toFile());
        Files.delete(png);
        return img;
    }

    @Test
    void faceInVideoIsMaskedInEveryFrame() throws IOException {
        MediaFixtures.tool();
        Path still = dir.resolve("face.png");
        ImageIO.write(FaceFixtures.face(320, 240, 160, 120, 90), "png", still.toFile());
        Path in = dir.resolve("face.mp4");
        MediaFixtures.ffmpeg(List.of("-y", "-loop", "1", "-framerate", "10", "-i", still.toString(), "-f", "lavfi",
                "-i", "sine=frequency=300:duration=1", "-t", "1", "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-metadata", "title=" + Fixtures.TITLE, in.toString()));
        Path out = dir.resolve("face-masked.mp4");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withMaskFaces(true), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.masks()).anyMatch(m -> m.startsWith("faces in 10 of 10 frames"));
        assertThat(Fixtures.plantedIn(Files.readAllBytes(out))).isEmpty();
        for (double t : new double[]{0.0, 0.45, 0.85}) {
            BufferedImage f = frameAt(out, t);
            assertThat(black(f, 160, 120)).as("face centre at " + t + " s").isTrue();
            assertThat(black(f, 138, 110)).as("left eye at " + t + " s").isTrue();
        }
        String probe = MediaFixtures.probe(out);
        assertThat(probe).contains("codec_name=\"h264\"", "codec_type=\"audio\"");
        MediaSanitizerTest.assertNoTagsButStructural(probe);
    }

    @Test
    void manualMaskWithTimeRangeCoversOnlyThatRange() throws IOException {
        Path in = MediaFixtures.video(dir, "plate.mkv", "matroska", "mpeg4", "libopus", false);
        Path out = dir.resolve("plate-masked.mkv");
        SanitizeOptions o = SanitizeOptions.defaults().withMasks(List.of(ManualMask.parse("20,20,60,40@0-0.45")));
        SanitizeReport r = sanitizer.sanitize(in, out, o, dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.masks()).contains("manual box 20,20,60,40 from 0.00s to 0.45s");
        BufferedImage early = frameAt(out, 0.2);
        BufferedImage late = frameAt(out, 0.8);
        assertThat(black(early, 50, 40)).isTrue();
        assertThat(black(late, 50, 40)).isFalse();
    }

    @Test
    void disguisedVoiceLosesItsPitchButKeepsItsEnergy() throws IOException {
        MediaFixtures.tool();
        // A voiced sound: 150 Hz fundamental with harmonics, as a vowel has.
        Path in = dir.resolve("voice.wav");
        MediaFixtures.ffmpeg(List.of("-y", "-f", "lavfi", "-i",
                "aevalsrc=0.3*sin(2*PI*150*t)+0.2*sin(2*PI*300*t)+0.15*sin(2*PI*450*t)+0.1*sin(2*PI*600*t):s=16000:d=1",
                "-metadata", "artist=" + Fixtures.ARTIST, "-c:a", "pcm_s16le", in.toString()));
        Path out = dir.resolve("disguised.wav");
        SanitizeReport r = sanitizer.sanitize(in, out, SanitizeOptions.defaults().withVoice(VoiceMode.DISGUISE), dir);
        assertThat(r.sanitized()).as(r.toText()).isTrue();
        assertThat(r.removed()).anyMatch(s -> s.startsWith("pitch contour"));
        assertThat(r.warnings()).anyMatch(w -> w.contains("accent"));
        short[] before = pcm(in);
        short[] after = pcm(out);
        int lag = 16000 / 150;
        double pitchBefore = periodicity(before, lag);
        double pitchAfter = periodicity(after, lag);
        assertThat(pitchBefore).isGreaterThan(0.9);
        assertThat(pitchAfter).as("periodicity at the pitch period after disguise").isLessThan(0.4);
        assertThat(rms(after)).isGreaterThan(0.3 * rms(before));
    }

    private static short[] pcm(Path wav) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = 12;
        while (p + 8 <= b.length) {
            String id = new String(b, p, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int len = buf.getInt(p + 4);
            if (id.equals("data")) {
                short[] s = new short[Math.min(len, b.length - p - 8) / 2];
                for (int i = 0; i < s.length; i++) s[i] = buf.getShort(p + 8 + 2 * i);
                return s;
            }
            p += 8 + len + (len & 1);
        }
        throw new IllegalStateException("no data chunk");
    }

    /** Normalised autocorrelation at one lag over the middle half of the signal. */
    private static double periodicity(short[] s, int lag) {
        int from = s.length / 4;
        int to = 3 * s.length / 4;
        double num = 0, e1 = 0, e2 = 0;
        for (int i = from; i < to; i++) {
            num += (double) s[i] * s[i + lag];
            e1 += (double) s[i] * s[i];
            e2 += (double) s[i + lag] * s[i + lag];
        }
        return num / Math.sqrt(e1 * e2 + 1e-9);
    }

    private static double rms(short[] s) {
        double e = 0;
        for (short v : s) e += (double) v * v;
        return Math.sqrt(e / Math.max(1, s.length));
    }
}

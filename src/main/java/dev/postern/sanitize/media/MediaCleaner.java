package dev.postern.sanitize.media;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.FormatCleaner;
import dev.postern.sanitize.VoiceMode;
import dev.postern.sanitize.faces.FaceFinder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Audio and video through the bundled ffmpeg, as a separate process with a time limit. Only audio
 * and real video streams are mapped (no data, subtitle, attachment or cover-art streams), global,
 * stream and chapter metadata are not copied, and bit-exact mode keeps ffmpeg from adding its own
 * encoder tags and creation times. Streams are copied unless voices or pixels must change.
 */
public final class MediaCleaner implements FormatCleaner {

    /**
     * Phase-randomising "whisper" resynthesis (after ffmpeg's afftfilt documentation): each short
     * FFT frame keeps its magnitudes and gets random phases. Both expressions draw the same random
     * sequence (same seed, one call per bin), so magnitudes are preserved exactly. The 128-sample
     * window is too short to resolve voice harmonics, so the pitch contour is destroyed, not shifted:
     * there is nothing left to shift back.
     */
    static final String WHISPER = "afftfilt=real='hypot(re,im)*cos(2*PI*random(0))'"
            + ":imag='hypot(re,im)*sin(2*PI*random(0))':win_size=128:overlap=0.8";

    /** Tags the muxers write themselves in bit-exact mode: structural, not about the source. */
    private static final Set<String> STRUCTURAL_TAGS = Set.of("major_brand", "minor_version", "compatible_brands",
            "language", "vendor_id", "DURATION", "handler_name");
    private static final Set<String> BOOKKEEPING_TAGS = Set.of("major_brand", "minor_version",
            "compatible_brands", "language", "vendor_id", "DURATION");
    private static final Set<String> OWN_HANDLER_NAMES = Set.of("VideoHandler", "SoundHandler");
    private static final java.util.regex.Pattern OWN_ENCODER_NAME =
            java.util.regex.Pattern.compile("Lavf|Lavc [a-z][a-z0-9_]*");

    private final Supplier<FaceFinder> faces;

    public MediaCleaner(Supplier<FaceFinder> faces) {
        this.faces = faces;
    }

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (job.options().voice() == VoiceMode.KEEP && AudioTagStripper.strip(format, in, out, job.findings())) {
            // Simple containers: tags dropped by rebuilding the container in Java, audio bytes untouched.
            job.findings().warn("voices are unchanged: use --voice disguise or --voice mute if a speaker must not be recognised");
            job.findings().warn("background sounds (voices, announcements, engines, mains hum) can identify time and place");
            return;
        }
        java.nio.file.Files.deleteIfExists(out);
        MediaTool tool = MediaTool.bundled();
        Duration timeout = job.limits().timeout();
        Findings f = job.findings();
        Container c = Container.of(format);
        VoiceMode voice = job.options().voice();
        if (voice == VoiceMode.KEEP && !job.options().paintsPixels()) {
            // The common case needs nothing from the probe to build the command: listing what is in
            // the original and rewriting it run side by side (one process per core).
            CompletableFuture<MediaProbe> probing = probeAsync(tool, in);
            MediaTool.Run r = tool.ffmpeg(copyArgs(in, out, c, voice, false), timeout);
            MediaProbe probe = join(probing);
            boolean hasVideo = !probe.videoStreams().isEmpty();
            boolean hasAudio = !probe.audioStreams().isEmpty();
            if (!hasVideo && !hasAudio) throw new CannotSanitizeException("no audio or video stream found");
            if (!r.ok()) {
                throw new CannotSanitizeException("ffmpeg could not rewrite the file: " + MediaTool.firstLine(r.stderrTail()));
            }
            inventory(probe, f);
            finish(tool, out, job, hasVideo, hasAudio, false);
            return;
        }
        MediaProbe probe = MediaProbe.of(tool, in, Duration.ofMinutes(2));
        boolean hasVideo = !probe.videoStreams().isEmpty();
        boolean hasAudio = !probe.audioStreams().isEmpty();
        if (!hasVideo && !hasAudio) {
            throw new CannotSanitizeException("no audio or video stream found");
        }
        if (voice == VoiceMode.MUTE && !hasVideo) {
            throw new CannotSanitizeException("--voice mute on an audio-only file would leave nothing");
        }
        inventory(probe, f);

        boolean paints = job.options().paintsPixels() && hasVideo;
        if (job.options().paintsPixels() && !hasVideo) {
            f.warn("masks apply to pictures only: this file has no video");
        }
        if (paints) {
            new VideoMasker(tool, faces).run(in, out, probe, c, job);
        } else {
            MediaTool.Run r = tool.ffmpeg(copyArgs(in, out, c, voice, hasAudio), timeout);
            if (!r.ok()) {
                throw new CannotSanitizeException("ffmpeg could not rewrite the file: " + MediaTool.firstLine(r.stderrTail()));
            }
        }
        finish(tool, out, job, hasVideo, hasAudio, paints);
    }

    private static CompletableFuture<MediaProbe> probeAsync(MediaTool tool, Path in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return MediaProbe.of(tool, in, Duration.ofMinutes(2));
            } catch (CannotSanitizeException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static MediaProbe join(CompletableFuture<MediaProbe> probing) throws CannotSanitizeException {
        try {
            return probing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CannotSanitizeException c) throw c;
            throw new CannotSanitizeException("probing the file failed: " + e.getCause());
        }
    }

    /** Stream copy of audio and real video only (0:V excludes cover art), audio disguised if asked. */
    private static List<String> copyArgs(Path in, Path out, Container c, VoiceMode voice, boolean hasAudio) {
        List<String> args = new ArrayList<>(List.of("-y", "-i", in.toString(), "-map", "0:V?"));
        if (voice != VoiceMode.MUTE) args.addAll(List.of("-map", "0:a?"));
        args.addAll(List.of("-c", "copy"));
        if (voice == VoiceMode.DISGUISE && hasAudio) {
            args.addAll(List.of("-af", WHISPER, "-c:a", c.audioEncoder()));
        }
        args.addAll(stripOptions(c));
        args.addAll(List.of("-f", c.muxer(), out.toString()));
        return args;
    }

    private void finish(MediaTool tool, Path out, CleaningJob job, boolean hasVideo, boolean hasAudio, boolean paints)
            throws CannotSanitizeException {
        Findings f = job.findings();
        VoiceMode voice = job.options().voice();
        voiceFindings(voice, hasAudio, f);
        verify(tool, out, hasVideo, hasAudio && voice != VoiceMode.MUTE);
        if (hasVideo) {
            f.warn("faces, uniforms, insignia, vehicles, landmarks, screens and reflections in the picture"
                    + " still identify people and places" + (job.options().maskFaces() ? " (face masking misses faces:"
                    + " check the copy by eye)" : ""));
            if (!paints) {
                f.warn("video is stream-copied: codec-internal data (encoder settings, camera SEI) is kept;"
                        + " any --mask or --mask-faces re-encodes the picture");
            }
            f.warn("the camera's sensor noise pattern can link a video to the device that recorded it");
        }
        if (hasAudio && voice != VoiceMode.MUTE) {
            f.warn("background sounds (voices, announcements, engines, mains hum) can identify time and place");
        }
    }

    /** The options that keep ffmpeg from copying or adding metadata. */
    static List<String> stripOptions(Container c) {
        List<String> a = new ArrayList<>(List.of("-map_metadata", "-1", "-map_chapters", "-1",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"));
        a.addAll(c.muxerOptions());
        return a;
    }

    private static void inventory(MediaProbe probe, Findings f) {
        for (String t : probe.tagNames()) {
            // Format bookkeeping the muxer writes anew anyway is not worth a line in the report.
            String key = t.substring(t.lastIndexOf(' ') + 1);
            if (!BOOKKEEPING_TAGS.contains(key)) f.removed(t);
        }
        if (probe.chapterCount() > 0) f.removed("chapters (" + probe.chapterCount() + ")");
        for (MediaProbe.Stream s : probe.streams()) {
            if (s.attachedPicture()) {
                f.removed("stream " + s.index() + ": attached picture (cover art)");
            } else if (!"video".equals(s.type()) && !"audio".equals(s.type())) {
                f.removed("stream " + s.index() + ": " + s.type() + " (" + s.codec().replaceAll("[^\\w-]", "?")
                        + ") — e.g. GPS tracks, subtitles, timecode, attachments");
            }
        }
    }

    private static void voiceFindings(VoiceMode voice, boolean hasAudio, Findings f) {
        if (!hasAudio) return;
        if (voice == VoiceMode.MUTE) {
            f.removed("all audio streams (--voice mute)");
        } else if (voice == VoiceMode.DISGUISE) {
            f.removed("pitch contour of voices (phase-randomising whisper resynthesis, irreversible)");
            f.warn("a disguised voice still carries words, accent, dialect, speech habits and background"
                    + " sounds: any of these can identify the speaker");
        } else {
            f.warn("voices are unchanged: use --voice disguise or --voice mute if a speaker must not be recognised");
        }
    }

    /** The copy must open, hold the expected streams, and carry no tags beyond the muxer's own. */
    private static void verify(MediaTool tool, Path out, boolean video, boolean audio) throws CannotSanitizeException {
        MediaProbe p = MediaProbe.of(tool, out, Duration.ofMinutes(2));
        if (video && p.videoStreams().isEmpty()) throw new CannotSanitizeException("the copy lost its video stream");
        if (audio && p.audioStreams().isEmpty()) throw new CannotSanitizeException("the copy lost its audio stream");
        if (p.chapterCount() > 0) throw new CannotSanitizeException("chapters survived in the copy");
        for (Map.Entry<String, String> e : p.all().entrySet()) {
            String key = e.getKey();
            int t = key.indexOf(".tags.");
            if (t < 0) continue;
            String tag = key.substring(t + 6);
            // In bit-exact mode the muxer and encoders name themselves without versions ("Lavf",
            // "Lavc libopenh264"): the same on every copy Postern writes, so nothing to link.
            boolean ok = (STRUCTURAL_TAGS.contains(tag)
                    && (!tag.equals("handler_name") || OWN_HANDLER_NAMES.contains(e.getValue())))
                    || (tag.equalsIgnoreCase("encoder") && OWN_ENCODER_NAME.matcher(e.getValue()).matches());
            if (!ok) {
                throw new CannotSanitizeException("metadata survived in the copy (" + tag.replaceAll("[^\\w.-]", "?")
                        + "): refusing to call it clean");
            }
        }
    }
}

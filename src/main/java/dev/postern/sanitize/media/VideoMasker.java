package dev.postern.sanitize.media;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.ManualMask;
import dev.postern.sanitize.VoiceMode;
import dev.postern.sanitize.faces.FaceFinder;
import dev.postern.sanitize.faces.FaceTracks;
import dev.postern.sanitize.faces.OpaqueMasks;

import java.awt.Rectangle;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Paints opaque boxes into video: one ffmpeg process decodes frames to raw BGR on a pipe, this
 * class paints manual and face masks into each frame, and a second ffmpeg process encodes them and
 * takes the audio from the original (copied, or disguised). Frames never touch the disk.
 */
final class VideoMasker {

    /** Faces are looked for this many times a second at least (every frame at 8 fps and below). */
    private static final double DETECTIONS_PER_SECOND = 8;
    /** A face stays masked this long after the detector last saw it. */
    private static final double HOLD_SECONDS = 1.0;

    private final MediaTool tool;
    private final Supplier<FaceFinder> faces;

    VideoMasker(MediaTool tool, Supplier<FaceFinder> faces) {
        this.tool = tool;
        this.faces = faces;
    }

    void run(Path in, Path out, MediaProbe probe, Container c, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (c.videoEncoder() == null) throw new CannotSanitizeException("no video encoder for this container");
        MediaProbe.Stream v = probe.videoStreams().get(0);
        if (probe.videoStreams().size() > 1) {
            job.findings().removed("video streams after the first (only the first is masked and kept)");
        }
        boolean turned = Math.abs(v.rotation()) % 180 == 90;
        int w = turned ? v.height() : v.width();
        int h = turned ? v.width() : v.height();
        if (w <= 0 || h <= 0 || (long) w * h > job.limits().maxPixels() || (long) w * h * 3 > Integer.MAX_VALUE) {
            throw new CannotSanitizeException("video frame size " + w + "x" + h + " is missing or too large");
        }
        String rate = validRate(v.frameRate());
        double fps = rateValue(rate);
        int stride = Math.max(1, (int) Math.floor(fps / DETECTIONS_PER_SECOND));
        FaceTracks tracks = new FaceTracks((int) Math.ceil(fps * HOLD_SECONDS));
        FaceFinder finder = null;
        if (job.options().maskFaces()) {
            try {
                finder = faces.get();
            } catch (RuntimeException | LinkageError e) {
                throw new CannotSanitizeException("face detection is not available on this machine: " + e.getMessage());
            }
        }
        List<ManualMask> manual = job.options().masks();
        VoiceMode voice = job.options().voice();

        // ffmpeg turns the picture upright (display matrix) while decoding, so frames arrive w x h as computed.
        List<String> dec = List.of("-nostdin", "-i", in.toString(), "-map", "0:V:0", "-an", "-sn", "-dn",
                "-fps_mode", "cfr", "-r", rate, "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1");
        List<String> enc = new ArrayList<>(List.of("-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
                "-s", w + "x" + h, "-r", rate, "-i", "pipe:0", "-i", in.toString(), "-map", "0:v:0"));
        if (voice != VoiceMode.MUTE) enc.addAll(List.of("-map", "1:a?"));
        enc.addAll(c.videoEncoderOptions());
        if (voice == VoiceMode.DISGUISE) {
            enc.addAll(List.of("-af", MediaCleaner.WHISPER, "-c:a", c.audioEncoder()));
        } else {
            enc.addAll(List.of("-c:a", "copy"));
        }
        enc.addAll(MediaCleaner.stripOptions(c));
        enc.addAll(List.of("-f", c.muxer(), out.toString()));

        long deadline = System.nanoTime() + job.limits().timeout().toNanos();
        Process decoder = tool.start(dec, true);
        Process encoder;
        try {
            encoder = tool.start(enc, false);
        } catch (IOException e) {
            MediaTool.kill(decoder);
            throw e;
        }
        // A decoder that hangs without output would block the frame loop in read(): a watchdog kills
        // both processes at the deadline, which unblocks it.
        Thread watchdog = Thread.ofPlatform().daemon().name("video-mask-watchdog").start(() -> {
            try {
                long wait = (deadline - System.nanoTime()) / 1_000_000;
                if (wait > 0) Thread.sleep(wait);
                MediaTool.kill(decoder);
                MediaTool.kill(encoder);
            } catch (InterruptedException finished) {
                // Masking ended in time.
            }
        });
        ByteArrayOutputStream decErr = new ByteArrayOutputStream();
        ByteArrayOutputStream encErr = new ByteArrayOutputStream();
        MediaTool.pump(decoder.getErrorStream(), decErr, 1 << 16);
        MediaTool.pump(encoder.getErrorStream(), encErr, 1 << 16);
        int frames = 0;
        int framesWithFaces = 0;
        int mostFaces = 0;
        try {
            byte[] frame = new byte[w * h * 3];
            InputStream raw = decoder.getInputStream();
            try (OutputStream sink = new BufferedOutputStream(encoder.getOutputStream(), 1 << 20)) {
                while (readFrame(raw, frame)) {
                    if (System.nanoTime() > deadline) {
                        throw new CannotSanitizeException("masking took longer than the time limit of "
                                + job.limits().timeout());
                    }
                    double t = frames / fps;
                    List<Rectangle> boxes = new ArrayList<>();
                    for (ManualMask m : manual) {
                        if (m.activeAt(t)) boxes.add(new Rectangle(m.x(), m.y(), m.width(), m.height()));
                    }
                    if (finder != null) {
                        if (frames % stride == 0) {
                            // Full passes (frontal and both profiles) alternate with frontal-only passes.
                            boolean full = (frames / stride) % 2 == 0;
                            tracks.update(full ? finder.findInBgr(frame, w, h) : finder.findFrontalInBgr(frame, w, h), frames);
                        }
                        List<Rectangle> faceBoxes = OpaqueMasks.padAll(tracks.active(frames), OpaqueMasks.FACE_MARGIN, w, h);
                        if (!faceBoxes.isEmpty()) framesWithFaces++;
                        mostFaces = Math.max(mostFaces, faceBoxes.size());
                        boxes.addAll(faceBoxes);
                    }
                    OpaqueMasks.paintBgr(frame, w, h, boxes);
                    sink.write(frame);
                    frames++;
                }
            }
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!encoder.waitFor(left, TimeUnit.MILLISECONDS) || !decoder.waitFor(10, TimeUnit.SECONDS)
                    || System.nanoTime() > deadline) {
                throw new CannotSanitizeException("the video encoder did not finish within the time limit");
            }
            if (decoder.exitValue() != 0 || encoder.exitValue() != 0 || frames == 0) {
                throw new CannotSanitizeException("re-encoding the video failed: " + MediaTool.firstLine(
                        decErr.toString(StandardCharsets.UTF_8) + "\n" + encErr.toString(StandardCharsets.UTF_8)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotSanitizeException("interrupted while masking the video");
        } catch (IOException e) {
            throw new CannotSanitizeException("re-encoding the video failed: " + MediaTool.firstLine(
                    encErr.toString(StandardCharsets.UTF_8)) + " (" + e.getMessage() + ")");
        } finally {
            watchdog.interrupt();
            MediaTool.kill(decoder);
            MediaTool.kill(encoder);
        }
        for (ManualMask m : manual) {
            job.findings().masked("manual box " + m.x() + "," + m.y() + "," + m.width() + "," + m.height()
                    + (m.timed() ? String.format(Locale.ROOT, " from %.2fs to %.2fs", m.fromSecs(), m.toSecs()) : " in every frame"));
        }
        if (finder != null) {
            job.findings().masked("faces in " + framesWithFaces + " of " + frames + " frames (at most " + mostFaces
                    + " at once; each kept masked " + HOLD_SECONDS + " s after it was last detected)");
        }
        job.findings().removed("original video bitstream (re-encoded with " + c.videoEncoder() + " after masking)");
    }

    private static boolean readFrame(InputStream in, byte[] frame) throws IOException {
        int off = 0;
        while (off < frame.length) {
            int n = in.read(frame, off, frame.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    /** ffprobe's r_frame_rate ("30000/1001"), or 25 when it is missing or absurd. */
    static String validRate(String r) {
        double v = rateValue(r);
        return v > 0 && v <= 240 ? r : "25";
    }

    static double rateValue(String r) {
        try {
            int slash = r.indexOf('/');
            if (slash < 0) return Double.parseDouble(r);
            double den = Double.parseDouble(r.substring(slash + 1));
            return den == 0 ? 0 : Double.parseDouble(r.substring(0, slash)) / den;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

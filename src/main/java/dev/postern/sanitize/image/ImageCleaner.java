package dev.postern.sanitize.image;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.DecodeLimits;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.FormatCleaner;
import dev.postern.sanitize.ManualMask;
import dev.postern.sanitize.faces.FaceFinder;
import dev.postern.sanitize.faces.OpaqueMasks;
import dev.postern.sanitize.media.MediaTool;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Raster images: decodes the pixels, applies the EXIF orientation, paints masks, and encodes a new
 * file from the pixels alone. Nothing of the original container survives (EXIF, XMP, IPTC, ICC,
 * thumbnails, MakerNotes, comments, text chunks), because nothing is copied but pixels.
 */
public final class ImageCleaner implements FormatCleaner {

    /** Largest file read whole to list its metadata. */
    private static final long MAX_INVENTORY_BYTES = 512L << 20;

    private final Supplier<FaceFinder> faces;

    /** @param faces supplies the face finder on first use (loading OpenCV is slow, and often not needed) */
    public ImageCleaner(Supplier<FaceFinder> faces) {
        this.faces = faces;
    }

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (Files.size(in) > MAX_INVENTORY_BYTES) {
            throw new CannotSanitizeException("image file larger than " + (MAX_INVENTORY_BYTES >> 20) + " MiB");
        }
        byte[] bytes = Files.readAllBytes(in);
        ImageInventory.Result inv = ImageInventory.of(format, bytes);
        if (inv.frames() > 1 && format == EvidenceFormat.GIF) {
            animatedGif(in, out, job);
            for (String f : inv.found()) job.findings().removed(f);
            job.findings().warn("visible content is unchanged: faces, uniforms, insignia, screens, documents,"
                    + " reflections and landmarks in the picture can still identify people and places");
            return;
        }
        if (inv.frames() > 1 && format != EvidenceFormat.TIFF) {
            throw new CannotSanitizeException("animated " + format + " is not supported: its frames cannot all be"
                    + " re-encoded yet; export the frames or convert it to a video");
        }
        List<BufferedImage> pages = decode(in, format, job);
        List<BufferedImage> cleaned = new ArrayList<>();
        for (BufferedImage page : pages) {
            BufferedImage img = normalise(Orientation.apply(page, inv.orientation()), format);
            mask(img, job);
            cleaned.add(img);
        }
        for (String f : inv.found()) {
            job.findings().removed(f);
        }
        if (inv.orientation() != 1) {
            job.findings().removed("EXIF orientation " + inv.orientation() + " (applied to the pixels)");
        }
        encode(cleaned, format, out, job, bytes);
        job.findings().warn("visible content is unchanged: faces, uniforms, insignia, screens, documents,"
                + " reflections and landmarks in the picture can still identify people and places");
        if (format == EvidenceFormat.JPEG || format == EvidenceFormat.TIFF) {
            job.findings().warn("printer or camera sensor traces (noise pattern, tracking dots) survive"
                    + " re-encoding and may link the picture to a device");
        }
    }

    private static List<BufferedImage> decode(Path in, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        try (ImageInputStream iis = new FileImageInputStream(in.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new CannotSanitizeException("no decoder for this " + format + " file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, false, true);
                int count = format == EvidenceFormat.TIFF ? reader.getNumImages(true) : 1;
                if (count > 1000) {
                    throw new CannotSanitizeException("TIFF with more than 1000 pages");
                }
                List<BufferedImage> pages = new ArrayList<>();
                long pixels = 0;
                long encoded = Files.size(in);
                for (int i = 0; i < count; i++) {
                    // Check the declared size before decoding: a 100000x100000 header is a decompression bomb.
                    pixels = DecodeLimits.check(reader.getWidth(i), reader.getHeight(i), encoded, pixels,
                            job.limits().maxPixels());
                }
                for (int i = 0; i < count; i++) {
                    pages.add(reader.read(i));
                }
                return pages;
            } finally {
                reader.dispose();
            }
        }
    }

    /** Brings pixels into a plain RGB/ARGB raster the encoders and the mask painter handle. */
    private static BufferedImage normalise(BufferedImage src, EvidenceFormat format) {
        boolean alpha = src.getColorModel().hasAlpha() && format != EvidenceFormat.JPEG && format != EvidenceFormat.BMP;
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (src.getType() == type) return src;
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), type);
        Graphics2D g = dst.createGraphics();
        try {
            if (!alpha) {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, dst.getWidth(), dst.getHeight());
            }
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private void mask(BufferedImage img, CleaningJob job) throws CannotSanitizeException {
        List<Rectangle> boxes = new ArrayList<>();
        for (ManualMask m : job.options().masks()) {
            if (m.timed()) {
                job.findings().warn("mask " + m + " has a time range, which means nothing in a still image: applied anyway");
            }
            Rectangle r = new Rectangle(m.x(), m.y(), m.width(), m.height())
                    .intersection(new Rectangle(0, 0, img.getWidth(), img.getHeight()));
            if (r.isEmpty()) {
                job.findings().warn("mask " + m + " lies outside the " + img.getWidth() + "x" + img.getHeight() + " image");
            } else {
                boxes.add(r);
                job.findings().masked("manual box " + r.x + "," + r.y + "," + r.width + "," + r.height);
            }
        }
        if (job.options().maskFaces()) {
            FaceFinder finder;
            try {
                finder = faces.get();
            } catch (RuntimeException | LinkageError e) {
                throw new CannotSanitizeException("face detection is not available on this machine: " + e.getMessage());
            }
            List<Rectangle> found = OpaqueMasks.padAll(finder.find(img), OpaqueMasks.FACE_MARGIN,
                    img.getWidth(), img.getHeight());
            for (Rectangle r : found) {
                job.findings().masked("face " + r.x + "," + r.y + "," + r.width + "," + r.height);
            }
            boxes.addAll(found);
            job.findings().warn("face detection misses faces (small, turned away, covered, unusual light):"
                    + " check the copy by eye and add --mask boxes for any it missed");
            if (found.isEmpty()) {
                job.findings().warn("no face was detected in this image");
            }
        }
        OpaqueMasks.paint(img, boxes);
    }

    private static void encode(List<BufferedImage> pages, EvidenceFormat format, Path out, CleaningJob job,
                               byte[] original) throws IOException, CannotSanitizeException {
        switch (format) {
            case JPEG -> writeWith("jpeg", pages.get(0), out, p -> {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.92f);
            });
            case PNG -> writeWith("png", pages.get(0), out, p -> { });
            case BMP -> writeWith("bmp", pages.get(0), out, p -> { });
            case GIF -> writeWith("gif", pages.get(0), out, p -> { });
            case TIFF -> writeTiff(pages, out);
            case WEBP -> writeWebp(pages.get(0), out, job, isLossless(original));
            default -> throw new CannotSanitizeException("no encoder for " + format);
        }
    }

    private interface ParamSetter {
        void set(ImageWriteParam p);
    }

    private static void writeWith(String formatName, BufferedImage img, Path out, ParamSetter params)
            throws IOException, CannotSanitizeException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(formatName);
        if (!it.hasNext()) throw new CannotSanitizeException("no " + formatName + " encoder");
        ImageWriter w = it.next();
        try (FileImageOutputStream o = new FileImageOutputStream(out.toFile())) {
            w.setOutput(o);
            ImageWriteParam p = w.getDefaultWriteParam();
            params.set(p);
            // No stream or image metadata is passed: the writer emits only what it needs to encode pixels.
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }

    private static void writeTiff(List<BufferedImage> pages, Path out) throws IOException, CannotSanitizeException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff");
        if (!it.hasNext()) throw new CannotSanitizeException("no TIFF encoder");
        ImageWriter w = it.next();
        try (FileImageOutputStream o = new FileImageOutputStream(out.toFile())) {
            w.setOutput(o);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("LZW");
            w.prepareWriteSequence(null);
            for (BufferedImage img : pages) {
                w.writeToSequence(new IIOImage(img, null, null), p);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
    }

    /** No Java WebP encoder exists: the pixels go through a PNG in scratch space to ffmpeg's libwebp. */
    private static void writeWebp(BufferedImage img, Path out, CleaningJob job, boolean lossless)
            throws IOException, CannotSanitizeException {
        MediaTool tool = MediaTool.bundled();
        Path png = job.tempFile(".png");
        ImageIO.write(img, "png", png.toFile());
        List<String> args = new ArrayList<>(List.of("-y", "-i", png.toString(), "-map_metadata", "-1",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-c:v", "libwebp"));
        if (lossless) {
            args.addAll(List.of("-lossless", "1"));
        } else {
            args.addAll(List.of("-quality", "90"));
        }
        args.addAll(List.of("-f", "webp", out.toString()));
        MediaTool.Run r = tool.ffmpeg(args, Duration.ofMinutes(2));
        Files.deleteIfExists(png);
        if (!r.ok()) {
            throw new CannotSanitizeException("WebP encoding failed: " + r.stderrTail().strip());
        }
    }

    /**
     * Animated GIF: every frame is decoded and re-encoded by the bundled ffmpeg with a palette built
     * from the frames themselves; only pixels and frame timing survive.
     */
    private static void animatedGif(Path in, Path out, CleaningJob job) throws CannotSanitizeException {
        if (job.options().paintsPixels()) {
            throw new CannotSanitizeException("masks on animated GIFs are not supported: convert it to a video first");
        }
        MediaTool tool = MediaTool.bundled();
        MediaTool.Run r = tool.ffmpeg(List.of("-y", "-i", in.toString(), "-filter_complex",
                "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse", "-map_metadata", "-1",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f", "gif", out.toString()), job.limits().timeout());
        if (!r.ok()) {
            throw new CannotSanitizeException("re-encoding the animated GIF failed: " + r.stderrTail().strip());
        }
        job.findings().removed("GIF frames re-encoded (palette rebuilt from the frames)");
    }

    private static boolean isLossless(byte[] b) {
        for (int p = 12; p + 8 <= b.length && p < 4096; ) {
            String type = new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("VP8L")) return true;
            if (type.equals("VP8 ")) return false;
            long len = (b[p + 4] & 0xFFL) | (b[p + 5] & 0xFFL) << 8 | (b[p + 6] & 0xFFL) << 16 | (b[p + 7] & 0xFFL) << 24;
            if (len < 0 || len > b.length) return false;
            p += 8 + (int) len + (int) (len & 1);
        }
        return false;
    }
}

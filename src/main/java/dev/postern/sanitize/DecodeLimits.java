package dev.postern.sanitize;

/**
 * Checks a picture's declared size before a decoder allocates its pixels. A 420 KB PNG can declare
 * 12000x12000 pixels: decoded, converted and re-encoded it needs about 1.8 GB of heap. Both checks
 * use only the header's width and height and the encoded size, so a refusal costs nothing.
 */
public final class DecodeLimits {
    /**
     * Heap bytes one decoded pixel may need while it is cleaned: the decoder's raster, the
     * normalised ARGB copy (4 bytes), a rotated copy and the encoder's buffers. Measured: a
     * 12000x12000 PNG took 1.8 GB, about 12.5 bytes per pixel; 16 leaves room for the rest.
     */
    public static final long HEAP_BYTES_PER_PIXEL = 16;
    /** Decoded bytes per encoded byte above which a large picture is called a bomb (deflate tops out near 1032). */
    public static final long MAX_EXPANSION = 1000;
    /** Pictures whose decoded size is below this are never refused for their expansion alone. */
    public static final long EXPANSION_FLOOR_BYTES = 64L << 20;

    private DecodeLimits() {
    }

    /** The most pixels a JVM with {@code maxHeapBytes} of heap may decode at once. */
    public static long pixelsFor(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / HEAP_BYTES_PER_PIXEL);
    }

    /**
     * Refuses a picture whose declared size is above {@code maxPixels}, or which would expand more
     * than {@link #MAX_EXPANSION} times from {@code encodedBytes} to more than
     * {@link #EXPANSION_FLOOR_BYTES} of pixels.
     *
     * @param encodedBytes the compressed size, or -1 for a raster that is drawn, not decoded
     * @param pixelsSoFar pixels of earlier pages of the same file (multi-page TIFF), 0 otherwise
     * @return the pixels counted, including {@code pixelsSoFar}
     */
    public static long check(long width, long height, long encodedBytes, long pixelsSoFar, long maxPixels)
            throws CannotSanitizeException {
        if (width <= 0 || height <= 0) {
            throw new CannotSanitizeException("picture declares an empty size (" + width + "x" + height + ")");
        }
        long pixels = pixelsSoFar + width * height;
        if (width * height > maxPixels || pixels > maxPixels) {
            throw new CannotSanitizeException("picture is " + width + "x" + height + " pixels"
                    + (pixelsSoFar > 0 ? " (" + pixels + " pixels with the pages before it)" : "")
                    + ", more than the " + maxPixels + " pixels the sanitizer may decode within its memory limit:"
                    + " possible decompression bomb");
        }
        if (encodedBytes < 0) {
            return pixels;
        }
        long decodedBytes = pixels * 4;
        if (decodedBytes > EXPANSION_FLOOR_BYTES && decodedBytes > MAX_EXPANSION * Math.max(1, encodedBytes)) {
            throw new CannotSanitizeException("picture of " + encodedBytes + " bytes declares " + width + "x" + height
                    + " pixels, an expansion of more than " + MAX_EXPANSION + " times: possible decompression bomb");
        }
        return pixels;
    }
}

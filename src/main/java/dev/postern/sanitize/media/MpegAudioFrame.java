package dev.postern.sanitize.media;

/**
 * MPEG audio (MP1/MP2/MP3) frame headers: whether four bytes are a valid header and how long the
 * frame is. Used to accept an MP3 only when its bytes really are a chain of frames, so that other
 * data (a JPEG with its EXIF, say) cannot pass as "audio" after a lucky sync word.
 */
public final class MpegAudioFrame {
    private static final int[][] BITRATES = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // V1 L1
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // V1 L2
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // V1 L3
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // V2 L1
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};         // V2 L2, L3
    private static final int[][] RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

    private MpegAudioFrame() {
    }

    /**
     * The length in bytes of the frame whose header starts at {@code off}, or -1 when the bytes are
     * not a valid header (free-format bitrate counts as invalid).
     */
    public static int length(byte[] b, int off) {
        if (off + 4 > b.length) return -1;
        int b0 = b[off] & 0xFF, b1 = b[off + 1] & 0xFF, b2 = b[off + 2] & 0xFF;
        if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) return -1;
        int version = (b1 >> 3) & 3;   // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layer = (b1 >> 1) & 3;     // 1: III, 2: II, 3: I
        int bitrateIndex = (b2 >> 4) & 0xF;
        int rateIndex = (b2 >> 2) & 3;
        int padding = (b2 >> 1) & 1;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) return -1;
        int table = version == 3 ? 3 - layer : (layer == 3 ? 3 : 4);
        int bitrate = BITRATES[table][bitrateIndex] * 1000;
        int rate = RATES[version][rateIndex];
        if (layer == 3) return (12 * bitrate / rate + padding) * 4;
        if (layer == 1 && version != 3) return 72 * bitrate / rate + padding;
        return 144 * bitrate / rate + padding;
    }

    /** True when a valid frame starts at {@code off} and, if the bytes reach that far, another follows it. */
    public static boolean looksLikeFrames(byte[] b, int off) {
        int len = length(b, off);
        if (len <= 4) return false;
        return off + len + 4 > b.length || length(b, off + len) > 0;
    }
}

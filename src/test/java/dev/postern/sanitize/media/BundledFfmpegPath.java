package dev.postern.sanitize.media;

/** Benchmark helper (not a test): prints the path of the bundled ffmpeg. */
public final class BundledFfmpegPath {
    private BundledFfmpegPath() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(MediaTool.bundled().ffmpegPath());
    }
}

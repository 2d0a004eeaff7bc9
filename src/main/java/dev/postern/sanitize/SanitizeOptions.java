package dev.postern.sanitize;

import java.util.List;

/**
 * What the caller asks for beyond metadata removal, which always happens.
 *
 * @param maskFaces  detect faces (images, video) and cover them with opaque boxes
 * @param masks      manual opaque boxes, optionally limited to a time range in video
 * @param voice      what to do with audio
 * @param rasterize  rebuild PDF pages as images (drops text, fonts and hidden objects)
 * @param limits     resource bounds for hostile input
 */
public record SanitizeOptions(boolean maskFaces, List<ManualMask> masks, VoiceMode voice, boolean rasterize,
                              SanitizeLimits limits) {

    public SanitizeOptions {
        masks = List.copyOf(masks);
    }

    /** Metadata removal only, default limits. */
    public static SanitizeOptions defaults() {
        return new SanitizeOptions(false, List.of(), VoiceMode.KEEP, false, SanitizeLimits.defaults());
    }

    public SanitizeOptions withMaskFaces(boolean on) {
        return new SanitizeOptions(on, masks, voice, rasterize, limits);
    }

    public SanitizeOptions withMasks(List<ManualMask> m) {
        return new SanitizeOptions(maskFaces, m, voice, rasterize, limits);
    }

    public SanitizeOptions withVoice(VoiceMode v) {
        return new SanitizeOptions(maskFaces, masks, v, rasterize, limits);
    }

    public SanitizeOptions withRasterize(boolean on) {
        return new SanitizeOptions(maskFaces, masks, voice, on, limits);
    }

    public SanitizeOptions withLimits(SanitizeLimits l) {
        return new SanitizeOptions(maskFaces, masks, voice, rasterize, l);
    }

    /** True when pixels must be changed (so a stream copy of video is not enough). */
    public boolean paintsPixels() {
        return maskFaces || !masks.isEmpty();
    }
}

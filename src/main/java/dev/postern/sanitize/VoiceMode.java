package dev.postern.sanitize;

/** What to do with voices in audio tracks. */
public enum VoiceMode {
    /** Leave the audio signal as it is (metadata is still removed). */
    KEEP,
    /** Phase-randomising "whisper" resynthesis: the pitch contour is destroyed, not shifted. */
    DISGUISE,
    /** Drop every audio stream. */
    MUTE
}

package dev.postern.sanitize.media;

import dev.postern.sanitize.EvidenceFormat;

import java.util.List;

/**
 * How to write each audio/video format with the bundled ffmpeg: the muxer, the encoders used when a
 * stream must be re-encoded (voice disguise, masks), and muxer options that stop it writing its
 * own tags.
 */
record Container(String muxer, String audioEncoder, String videoEncoder, List<String> muxerOptions) {

    static Container of(EvidenceFormat f) {
        return switch (f) {
            case MP4, M4V -> new Container("mp4", "aac", "libopenh264", List.of());
            case MOV -> new Container("mov", "aac", "libopenh264", List.of());
            case M4A -> new Container("ipod", "aac", null, List.of());
            case AAC -> new Container("adts", "aac", null, List.of());
            case MKV -> new Container("matroska", "libopus", "libopenh264", List.of());
            case WEBM -> new Container("webm", "libopus", "libvpx", List.of());
            case AVI -> new Container("avi", "libmp3lame", "mpeg4", List.of());
            case ASF -> new Container("asf", "wmav2", "wmv2", List.of());
            // ID3v2 and ID3v1 tags are ffmpeg's own additions to MP3: none at all.
            case MP3 -> new Container("mp3", "libmp3lame", null, List.of("-id3v2_version", "0", "-write_id3v1", "0"));
            case FLAC -> new Container("flac", "flac", null, List.of());
            case OGG -> new Container("ogg", "libopus", null, List.of());
            case WAV -> new Container("wav", "pcm_s16le", null, List.of());
            case AIFF -> new Container("aiff", "pcm_s16be", null, List.of());
            default -> throw new IllegalArgumentException("not a media format: " + f);
        };
    }

    /** Encoder settings for a re-encoded video stream: good quality, fast on two cores. */
    List<String> videoEncoderOptions() {
        return switch (videoEncoder) {
            case "libopenh264" -> List.of("-c:v", "libopenh264", "-b:v", "4M", "-pix_fmt", "yuv420p");
            case "libvpx" -> List.of("-c:v", "libvpx", "-b:v", "3M", "-deadline", "realtime", "-cpu-used", "8");
            case "mpeg4" -> List.of("-c:v", "mpeg4", "-q:v", "3");
            default -> List.of("-c:v", videoEncoder, "-q:v", "3");
        };
    }
}

package dev.postern.sanitize;

/**
 * The kinds of evidence file the sanitizer recognises, each tied to the family of cleaner that
 * handles it. Detection is by content ({@link FormatSniffer}), never by file name.
 */
public enum EvidenceFormat {
    JPEG(Family.IMAGE, "jpg"), PNG(Family.IMAGE, "png"), GIF(Family.IMAGE, "gif"), BMP(Family.IMAGE, "bmp"),
    TIFF(Family.IMAGE, "tif"), WEBP(Family.IMAGE, "webp"), HEIF(Family.UNSUPPORTED, "heic"), SVG(Family.SVG, "svg"),
    PDF(Family.PDF, "pdf"),
    DOCX(Family.OFFICE, "docx"), XLSX(Family.OFFICE, "xlsx"), PPTX(Family.OFFICE, "pptx"),
    ODT(Family.OFFICE, "odt"), ODS(Family.OFFICE, "ods"), ODP(Family.OFFICE, "odp"), ODG(Family.OFFICE, "odg"),
    EPUB(Family.OFFICE, "epub"),
    MP3(Family.MEDIA, "mp3"), FLAC(Family.MEDIA, "flac"), OGG(Family.MEDIA, "ogg"), WAV(Family.MEDIA, "wav"),
    AIFF(Family.MEDIA, "aiff"), M4A(Family.MEDIA, "m4a"), AAC(Family.MEDIA, "aac"),
    MP4(Family.MEDIA, "mp4"), MOV(Family.MEDIA, "mov"), M4V(Family.MEDIA, "m4v"), MKV(Family.MEDIA, "mkv"),
    WEBM(Family.MEDIA, "webm"), AVI(Family.MEDIA, "avi"), ASF(Family.MEDIA, "wmv"),
    HTML(Family.TEXT, "html"), TEXT(Family.TEXT, "txt"),
    ZIP(Family.ARCHIVE, "zip"), TAR(Family.ARCHIVE, "tar"),
    /** Recognised but deliberately refused: legacy OLE2 Office, RTF, compressed streams. */
    REFUSED(Family.UNSUPPORTED, "bin"),
    UNKNOWN(Family.UNSUPPORTED, "bin");

    /** Which cleaner handles a format. */
    public enum Family { IMAGE, SVG, PDF, OFFICE, MEDIA, TEXT, ARCHIVE, UNSUPPORTED }

    private final Family family;
    private final String extension;

    EvidenceFormat(Family family, String extension) {
        this.family = family;
        this.extension = extension;
    }

    public Family family() {
        return family;
    }

    /** A usual file extension, used only to name temporary files so that external tools see a hint. */
    public String extension() {
        return extension;
    }

    /** True for containers that carry a video track (as opposed to audio-only formats). */
    public boolean isVideoContainer() {
        return switch (this) {
            case MP4, MOV, M4V, MKV, WEBM, AVI, ASF -> true;
            default -> false;
        };
    }
}

package dev.postern.sanitize;

import dev.postern.sanitize.archive.ArchiveCleaner;
import dev.postern.sanitize.faces.FaceFinder;
import dev.postern.sanitize.image.ImageCleaner;
import dev.postern.sanitize.image.SvgCleaner;
import dev.postern.sanitize.media.MediaCleaner;
import dev.postern.sanitize.office.PackageCleaner;
import dev.postern.sanitize.pdf.PdfCleaner;
import dev.postern.sanitize.text.TextCleaner;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The cleaners this package ships, one per family of formats. */
final class DefaultCleaners {
    private DefaultCleaners() {
    }

    static Map<EvidenceFormat.Family, FormatCleaner> all() {
        Supplier<FaceFinder> faces = new LazyFaceFinder();
        Map<EvidenceFormat.Family, FormatCleaner> m = new EnumMap<>(EvidenceFormat.Family.class);
        m.put(EvidenceFormat.Family.IMAGE, new ImageCleaner(faces));
        m.put(EvidenceFormat.Family.SVG, new SvgCleaner());
        m.put(EvidenceFormat.Family.PDF, new PdfCleaner());
        m.put(EvidenceFormat.Family.OFFICE, new PackageCleaner());
        m.put(EvidenceFormat.Family.MEDIA, new MediaCleaner(faces));
        m.put(EvidenceFormat.Family.TEXT, new TextCleaner());
        m.put(EvidenceFormat.Family.ARCHIVE, new ArchiveCleaner());
        return m;
    }
}

/** Loads OpenCV on first use only: most files never need face detection. */
final class LazyFaceFinder implements Supplier<FaceFinder> {
    private FaceFinder finder;

    @Override
    public synchronized FaceFinder get() {
        if (finder == null) {
            finder = dev.postern.sanitize.faces.HaarFaceFinder.load();
        }
        return finder;
    }
}

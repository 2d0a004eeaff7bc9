package dev.postern.sanitize.pdf;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.DecodeLimits;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.FormatCleaner;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PDF: pages are imported into a <em>new</em> document, so the original catalog (XMP, JavaScript,
 * open action, embedded files, forms, outlines, private application data), the document info
 * dictionary and every earlier incremental revision are simply never written. What travels with
 * the pages (annotations, image and form XObjects) is cleaned on the way. With {@code --rasterize}
 * each page becomes one image instead, leaving no text, fonts or hidden objects.
 */
public final class PdfCleaner implements FormatCleaner {

    /** Annotation kinds kept (visible markup); the rest (forms, attachments, media, popups) go. */
    private static final Set<COSName> KEPT_ANNOTATIONS = Set.of(COSName.getPDFName("Text"), COSName.LINK,
            COSName.getPDFName("FreeText"), COSName.getPDFName("Line"), COSName.getPDFName("Square"),
            COSName.getPDFName("Circle"), COSName.getPDFName("Polygon"), COSName.getPDFName("PolyLine"),
            COSName.getPDFName("Highlight"), COSName.getPDFName("Underline"), COSName.getPDFName("Squiggly"),
            COSName.getPDFName("StrikeOut"), COSName.getPDFName("Stamp"), COSName.getPDFName("Ink"),
            COSName.getPDFName("Caret"));

    private static final float RASTER_DPI = 150f;

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        Findings f = job.findings();
        int revisions = countRevisions(in);
        try (PDDocument src = load(in)) {
            if (src.isEncrypted()) {
                f.removed("encryption (the copy is not encrypted)");
                src.setAllSecurityToBeRemoved(true);
            }
            inventory(src, f);
            if (revisions > 1) {
                f.removed("incremental-update history (" + (revisions - 1) + " earlier revision(s))");
            }
            try (PDDocument dst = new PDDocument()) {
                if (job.options().rasterize()) {
                    rasterize(src, dst, f, job.limits().maxPixels());
                } else {
                    for (PDPage page : src.getPages()) {
                        PDPage copy = dst.importPage(page);
                        cleanPage(copy, dst, f);
                    }
                    f.warn("text on the pages is unchanged: names, signatures, letterheads and hidden"
                            + " (white or covered) text remain; use --rasterize to drop hidden text and fonts");
                }
                f.warn("printer tracking dots and scanner noise in page images cannot be removed");
                if (!job.options().rasterize()) {
                    ImageRebuilder.rebuildAll(dst, f, job.limits().maxPixels());
                }
                LinkedMetadataCheck.verify(dst.getDocumentCatalog().getCOSObject());
                // Uncompressed objects: a person (or grep) can audit the copy; streams keep their own filters.
                dst.save(out.toFile(), CompressParameters.NO_COMPRESSION);
            }
        } catch (InvalidPasswordException e) {
            throw new CannotSanitizeException("PDF is password-protected: open it with the password and save an unprotected copy first");
        }
    }

    private static PDDocument load(Path in) throws IOException {
        // Memory-only cache: PDFBox must not spill parts of the evidence into the system temp directory.
        return Loader.loadPDF(in.toFile(), "", IOUtils.createMemoryOnlyStreamCache());
    }

    /** Counts {@code %%EOF} markers: each incremental save appends one. */
    private static int countRevisions(Path in) throws IOException {
        byte[] marker = "%%EOF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int count = 0;
        int matched = 0;
        try (InputStream s = Files.newInputStream(in)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = s.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    matched = buf[i] == marker[matched] ? matched + 1 : (buf[i] == marker[0] ? 1 : 0);
                    if (matched == marker.length) {
                        count++;
                        matched = 0;
                    }
                }
            }
        }
        return count;
    }

    private static void inventory(PDDocument src, Findings f) {
        COSDictionary trailer = src.getDocument().getTrailer();
        COSDictionary info = trailer == null ? null : trailer.getCOSDictionary(COSName.INFO);
        if (info != null) {
            for (COSName key : info.keySet()) {
                f.removed("PDF info " + key.getName());
            }
        }
        PDDocumentCatalog catalog = src.getDocumentCatalog();
        COSDictionary cat = catalog.getCOSObject();
        for (COSName key : cat.keySet()) {
            String k = key.getName();
            switch (k) {
                case "Type", "Pages", "Version", "PageLayout", "PageMode", "ViewerPreferences", "Lang" -> { }
                case "Metadata" -> f.removed("XMP metadata (document)");
                case "OpenAction" -> f.removed("open action");
                case "AA" -> f.removed("document additional actions (scripts on open/close/print)");
                case "AcroForm" -> {
                    COSDictionary form = cat.getCOSDictionary(COSName.ACRO_FORM);
                    COSArray fields = form == null ? null : form.getCOSArray(COSName.FIELDS);
                    f.removed("form fields and their values (" + (fields == null ? 0 : fields.size()) + ")");
                    if (form != null && form.containsKey(COSName.getPDFName("XFA"))) f.removed("XFA form data");
                }
                case "Names" -> {
                    COSDictionary names = cat.getCOSDictionary(COSName.NAMES);
                    if (names != null) {
                        for (COSName n : names.keySet()) {
                            f.removed(switch (n.getName()) {
                                case "EmbeddedFiles" -> "embedded files";
                                case "JavaScript" -> "document JavaScript";
                                default -> "name tree " + n.getName();
                            });
                        }
                    }
                }
                case "Outlines" -> f.removed("bookmarks (outline titles)");
                case "StructTreeRoot", "MarkInfo" -> f.removed("tagged-PDF structure (may name authors of alt text)");
                case "PieceInfo" -> f.removed("application private data (PieceInfo)");
                default -> f.removed("PDF catalog entry " + k);
            }
        }
    }

    /** Page entries needed to show the page; anything else (thumbnails, actions, private data) goes. */
    private static final Set<String> PAGE_KEYS = Set.of("Type", "Parent", "Resources", "MediaBox", "CropBox",
            "BleedBox", "TrimBox", "ArtBox", "Contents", "Rotate", "Annots", "UserUnit", "Group", "Tabs");

    /** Annotation entries needed to draw it; authors, dates, ids, popups and replies go. */
    private static final Set<String> ANNOTATION_KEYS = Set.of("Type", "Subtype", "Rect", "Contents", "P", "F",
            "AP", "AS", "Border", "C", "BS", "BE", "QuadPoints", "InkList", "Vertices", "L", "LE", "IC", "CA",
            "DA", "Q", "Dest", "A", "Name", "RD", "Open", "LL", "LLE", "Cap", "IT", "Rotate");

    /** Image and form XObject entries needed to draw them; metadata and private data go. */
    private static final Set<String> XOBJECT_KEYS = Set.of("Type", "Subtype", "Width", "Height", "ColorSpace",
            "BitsPerComponent", "Filter", "DecodeParms", "Length", "Decode", "ImageMask", "Mask", "SMask",
            "Interpolate", "Intent", "SMaskInData", "Matte", "BBox", "Matrix", "Resources", "Group", "FormType",
            "DL", "OC");

    /** Resource categories a content stream can name; anything else is not drawn, so not copied. */
    private static final Set<String> RESOURCE_KEYS = Set.of("Font", "XObject", "ExtGState", "ColorSpace",
            "Pattern", "Shading", "Properties", "ProcSet");

    /** Keeps only the allowed keys of a dictionary, reporting the rest under {@code what}. */
    private static void keepOnly(COSDictionary d, Set<String> allowed, String what, Findings f) {
        for (COSName key : new ArrayList<>(d.keySet())) {
            if (!allowed.contains(key.getName())) {
                f.removed(what + " " + switch (key.getName()) {
                    case "T" -> "author (T)";
                    case "Thumb" -> "thumbnail";
                    case "AA" -> "actions";
                    case "Metadata" -> "XMP metadata";
                    case "PieceInfo" -> "application private data (PieceInfo)";
                    default -> "entry " + key.getName().replaceAll("[^\\w.-]", "?");
                });
                d.removeItem(key);
            }
        }
    }

    private static void cleanPage(PDPage page, PDDocument dst, Findings f) throws IOException {
        keepOnly(page.getCOSObject(), PAGE_KEYS, "page", f);
        cleanAnnotations(page.getCOSObject(), f);
        PDResources res = page.getResources();
        if (res != null) {
            cleanResources(res, dst, f, new HashSet<>());
        }
    }

    private static void cleanAnnotations(COSDictionary page, Findings f) {
        COSArray annots = page.getCOSArray(COSName.ANNOTS);
        if (annots == null) return;
        COSArray kept = new COSArray();
        for (int i = 0; i < annots.size(); i++) {
            COSBase b = annots.getObject(i);
            if (!(b instanceof COSDictionary a)) continue;
            COSName subtype = a.getCOSName(COSName.SUBTYPE);
            if (subtype == null || !KEPT_ANNOTATIONS.contains(subtype)) {
                f.removed("annotation " + (subtype == null ? "(untyped)" : subtype.getName())
                        + (COSName.getPDFName("Widget").equals(subtype) ? " (form field)" : ""));
                continue;
            }
            keepOnly(a, ANNOTATION_KEYS, "annotation", f);
            if (a.containsKey(COSName.CONTENTS)) {
                f.warn("the text of comment annotations is kept: it is content, and may name people");
            }
            COSDictionary action = a.getCOSDictionary(COSName.A);
            if (action != null) {
                COSName s = action.getCOSName(COSName.S);
                if (s == null || !(s.getName().equals("URI") || s.getName().equals("GoTo"))) {
                    f.removed("annotation action " + (s == null ? "(untyped)" : s.getName()));
                    a.removeItem(COSName.A);
                } else if (s.getName().equals("URI")) {
                    f.warn("links to web addresses are kept: check that they do not point to the source");
                }
            }
            kept.add(a);
        }
        if (kept.size() == 0) {
            page.removeItem(COSName.ANNOTS);
        } else {
            page.setItem(COSName.ANNOTS, kept);
        }
    }

    /**
     * Drops XMP from images and forms and re-encodes JPEG images, whose DCT stream can carry a
     * complete EXIF block (camera serial, GPS) inside the PDF.
     */
    private static void cleanResources(PDResources res, PDDocument dst, Findings f, Set<COSBase> seen)
            throws IOException {
        if (!seen.add(res.getCOSObject())) return;
        keepOnly(res.getCOSObject(), RESOURCE_KEYS, "page resources", f);
        List<COSName> names = new ArrayList<>();
        res.getXObjectNames().forEach(names::add);
        for (COSName name : names) {
            PDXObject x;
            try {
                x = res.getXObject(name);
            } catch (IOException e) {
                x = null;
            }
            if (!(x instanceof PDImageXObject) && !(x instanceof PDFormXObject)) {
                // Neither image nor form (damaged or crafted): its bytes would be copied unread.
                COSDictionary xobjects = res.getCOSObject().getCOSDictionary(COSName.XOBJECT);
                if (xobjects != null) xobjects.removeItem(name);
                f.removed("unrecognised embedded object (dropped)");
                continue;
            }
            COSStream s = x.getCOSObject();
            keepOnly(s, XOBJECT_KEYS, "embedded image or form", f);
            if (x instanceof PDImageXObject) {
                continue; // rebuilt from pixels by ImageRebuilder, wherever it is referenced
            } else if (x instanceof PDFormXObject form && form.getResources() != null) {
                cleanResources(form.getResources(), dst, f, seen);
            }
        }
    }

    private static void rasterize(PDDocument src, PDDocument dst, Findings f, long maxPixels)
            throws IOException, CannotSanitizeException {
        PDFRenderer renderer = new PDFRenderer(src);
        int n = src.getNumberOfPages();
        for (int i = 0; i < n; i++) {
            PDRectangle box = src.getPage(i).getCropBox();
            // A page box can declare any size; the rendered raster is checked before it is allocated.
            long w = (long) Math.ceil(Math.abs(box.getWidth()) * RASTER_DPI / 72f);
            long h = (long) Math.ceil(Math.abs(box.getHeight()) * RASTER_DPI / 72f);
            DecodeLimits.check(w, h, -1, 0, maxPixels);
            BufferedImage img = renderer.renderImageWithDPI(i, RASTER_DPI, ImageType.RGB);
            PDPage page = new PDPage(new PDRectangle(box.getWidth(), box.getHeight()));
            dst.addPage(page);
            PDImageXObject x = JPEGFactory.createFromImage(dst, img, 0.9f);
            try (PDPageContentStream cs = new PDPageContentStream(dst, page)) {
                cs.drawImage(x, 0, 0, box.getWidth(), box.getHeight());
            }
        }
        f.removed("all text, fonts, annotations and hidden objects (pages rasterized at " + (int) RASTER_DPI + " dpi)");
        f.warn("rasterized pages are images: their text can no longer be searched or copied");
    }
}

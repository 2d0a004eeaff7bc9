package dev.postern.sanitize.pdf;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.DecodeLimits;
import dev.postern.sanitize.Findings;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds every image stream reachable from the new document from its decoded pixels, wherever it
 * hangs (page resources, forms, patterns, annotation appearances, Type 3 fonts, soft masks): JPEG
 * and JPEG 2000 streams carry their own metadata (EXIF, XMP boxes), and any stream can hide bytes
 * its filter ignores. Each stream object is rewritten in place, so every reference to it follows.
 * Stencil masks (one bit, nothing to hide) and JBIG2 (no decoder here; reported) are left as they are.
 */
final class ImageRebuilder {

    private ImageRebuilder() {
    }

    static void rebuildAll(PDDocument dst, Findings f, long maxPixels) throws IOException, CannotSanitizeException {
        for (COSStream s : reachableImages(dst.getDocumentCatalog().getCOSObject())) {
            rebuild(s, dst, f, maxPixels);
        }
    }

    private static List<COSStream> reachableImages(COSDictionary root) {
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<COSBase> todo = new ArrayDeque<>();
        List<COSStream> images = new ArrayList<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            COSBase b = todo.pop();
            if (b instanceof COSObject o) b = o.getObject();
            if (b == null || !seen.add(b)) continue;
            if (b instanceof COSStream s && COSName.IMAGE.equals(s.getCOSName(COSName.SUBTYPE))) {
                images.add(s);
            }
            if (b instanceof COSDictionary d) {
                for (COSBase v : d.getValues()) todo.push(v);
            } else if (b instanceof COSArray a) {
                for (int i = 0; i < a.size(); i++) todo.push(a.get(i));
            }
        }
        return images;
    }

    private static void rebuild(COSStream s, PDDocument dst, Findings f, long maxPixels)
            throws IOException, CannotSanitizeException {
        if (s.getBoolean(COSName.IMAGE_MASK, false)) return;
        if (hasFilter(s, COSName.JBIG2_DECODE)) {
            f.warn("JBIG2 page images are kept as they are (no decoder here to rebuild them)");
            return;
        }
        boolean jpeg = hasFilter(s, COSName.DCT_DECODE) || hasFilter(s, COSName.JPX_DECODE);
        PDImageXObject img = new PDImageXObject(new PDStream(s), null);
        // The dictionary's declared size, checked before anything is decoded (PDFBox would allocate it).
        DecodeLimits.check(img.getWidth(), img.getHeight(), s.getLength(), 0, maxPixels);
        BufferedImage pixels = img.getImage();
        PDImageXObject fresh = jpeg ? JPEGFactory.createFromImage(dst, pixels, 0.9f)
                : LosslessFactory.createFromImage(dst, pixels);
        COSBase smask = s.getItem(COSName.SMASK);
        COSStream n = fresh.getCOSObject();
        for (COSName k : new ArrayList<>(s.keySet())) s.removeItem(k);
        for (Map.Entry<COSName, COSBase> e : n.entrySet()) s.setItem(e.getKey(), e.getValue());
        // A JPEG cannot hold alpha: keep the original soft mask (itself rebuilt, being an image too).
        if (jpeg && smask != null) s.setItem(COSName.SMASK, smask);
        try (InputStream raw = n.createRawInputStream(); OutputStream o = s.createRawOutputStream()) {
            raw.transferTo(o);
        }
        f.removed(jpeg ? "JPEG image metadata inside the PDF (images re-encoded)"
                : "hidden bytes in image streams (images rebuilt from pixels)");
    }

    static boolean hasFilter(COSStream s, COSName filter) {
        COSBase f = s.getFilters();
        if (f instanceof COSName n) return n.equals(filter);
        if (f instanceof COSArray a) {
            for (int i = 0; i < a.size(); i++) {
                if (filter.equals(a.getObject(i))) return true;
            }
        }
        return false;
    }
}

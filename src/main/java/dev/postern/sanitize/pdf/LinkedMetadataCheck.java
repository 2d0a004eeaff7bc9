package dev.postern.sanitize.pdf;

import dev.postern.sanitize.CannotSanitizeException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The last look at a rebuilt PDF before it is written: walks every object reachable from the new
 * catalog and refuses the copy if any of it is document-level data the cleaner dropped. A damaged
 * or hostile file can point a page resource at the old info dictionary or catalog (a single
 * changed object number does it), which would carry authors, XMP, attachments and scripts into
 * the copy through a key the page allow-list keeps.
 */
final class LinkedMetadataCheck {

    private static final Set<String> INFO_KEYS = Set.of("Author", "Creator", "Producer", "CreationDate", "ModDate");
    private static final Set<String> DOCUMENT_KEYS = Set.of("AcroForm", "Names", "OpenAction", "Outlines",
            "EmbeddedFiles", "JavaScript", "JS", "EF", "StructTreeRoot", "PieceInfo", "AA");
    private static final Set<String> FORBIDDEN_TYPES = Set.of("Catalog", "Metadata", "EmbeddedFile", "Filespec",
            "Outlines", "StructTreeRoot");
    private static final int MAX_OBJECTS = 2_000_000;

    private LinkedMetadataCheck() {
    }

    static void verify(COSDictionary root) throws CannotSanitizeException {
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<COSBase> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            COSBase b = todo.pop();
            if (b instanceof COSObject o) b = o.getObject();
            if (b == null || !seen.add(b)) continue;
            if (seen.size() > MAX_OBJECTS) {
                throw new CannotSanitizeException("PDF has too many objects to check");
            }
            if (b instanceof COSDictionary d) {
                check(d, d == root);
                for (COSBase v : d.getValues()) todo.push(v);
            } else if (b instanceof COSArray a) {
                for (int i = 0; i < a.size(); i++) todo.push(a.get(i));
            }
        }
    }

    private static void check(COSDictionary d, boolean isRoot) throws CannotSanitizeException {
        COSName type = d.getCOSName(COSName.TYPE);
        COSName subtype = d.getCOSName(COSName.SUBTYPE);
        if (type != null && FORBIDDEN_TYPES.contains(type.getName()) && !isRoot) {
            throw refuse("a " + type.getName() + " object");
        }
        if (subtype != null && subtype.getName().equals("XML")) {
            throw refuse("an XMP metadata stream");
        }
        for (COSName k : d.keySet()) {
            String key = k.getName();
            if (INFO_KEYS.contains(key) || (!isRoot && DOCUMENT_KEYS.contains(key)) || key.equals("JS")) {
                throw refuse("document-level data (" + key + ")");
            }
        }
        COSName s = d.getCOSName(COSName.S);
        if (s != null && (s.getName().equals("JavaScript") || s.getName().equals("Launch"))) {
            throw refuse("a " + s.getName() + " action");
        }
    }

    private static CannotSanitizeException refuse(String what) {
        return new CannotSanitizeException("damaged or crafted PDF: the pages link to " + what
                + " that must not be copied; refusing rather than leaking it");
    }
}

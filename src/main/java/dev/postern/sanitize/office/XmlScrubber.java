package dev.postern.sanitize.office;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.xml.SafeXml;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Removes the people from the XML parts of an office package: property parts are replaced by empty
 * ones (after their field names are listed), and every other part loses authors, initials, dates
 * and revision ids of comments and tracked changes, template and data-source paths, and the links
 * to parts that were dropped.
 */
final class XmlScrubber {

    static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    static final String RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
    static final String CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types";
    static final String SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    static final String DC = "http://purl.org/dc/elements/1.1/";
    static final String ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
    static final String MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
    static final String OPF = "http://www.idpf.org/2007/opf";
    static final String XHTML = "http://www.w3.org/1999/xhtml";

    private static final byte[] EMPTY_CORE = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
            + " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_APP = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
            + " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"/>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_ODF_META = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
            + " office:version=\"1.2\"><office:meta/></office:document-meta>").getBytes(StandardCharsets.UTF_8);

    /** OOXML elements removed wherever they appear, with the report line for each. */
    private static final Map<String, String> OOXML_ELEMENTS = Map.of(
            "rsids", "revision ids (rsid)",
            "attachedTemplate", "path of the attached template",
            "docVars", "document variables",
            "mailMerge", "mail-merge data source",
            "absPath", "absolute path where the workbook was saved",
            "fileSharing", "file-sharing user name",
            "externalReferences", "references to other workbooks",
            "revisionPtr", "workbook revision id",
            "docId", "document id (links copies of one document)");

    private final EvidenceFormat format;
    private final Findings findings;
    private final Set<String> kept;

    XmlScrubber(EvidenceFormat format, Findings findings, List<String> keptParts) {
        this.format = format;
        this.findings = findings;
        this.kept = new HashSet<>(keptParts);
    }

    /** For property parts: the empty replacement (after listing the fields found); null for other parts. */
    byte[] replacement(String name, byte[] xml) throws CannotSanitizeException {
        boolean ooxml = isOoxml();
        if (ooxml && name.equals("docProps/core.xml")) {
            listChildren(name, SafeXml.parse(xml).getDocumentElement());
            return EMPTY_CORE;
        }
        if (ooxml && name.equals("docProps/app.xml")) {
            listChildren(name, SafeXml.parse(xml).getDocumentElement());
            return EMPTY_APP;
        }
        if (isOdf() && (name.equals("meta.xml") || name.endsWith("/meta.xml"))) {
            Element root = SafeXml.parse(xml).getDocumentElement();
            for (Element meta : children(root)) {
                listChildren(name, meta);
            }
            return EMPTY_ODF_META;
        }
        return null;
    }

    private void listChildren(String part, Element parent) {
        for (Element c : children(parent)) {
            String label = c.getLocalName();
            if ("user-defined".equals(label)) label = "user-defined field";
            findings.removed(part + ": " + (c.getPrefix() == null ? "" : c.getPrefix() + ":") + label);
        }
    }

    /**
     * Every name {@link #walk} acts on, in lower case. A part in an ASCII-compatible encoding that
     * contains none of them has nothing to scrub, so it need not be parsed and rewritten (the
     * result would be byte-for-byte what is copied). Element and attribute names cannot be written
     * with character references, so a plain byte search finds them all.
     */
    private static final List<String> TRIGGERS = List.of("rsid", "author", "initials", "date", "userid",
            "providerid", "username", "docid", "abspath", "filesharing", "externalreferences", "revisionptr",
            "mailmerge", "docvars", "attachedtemplate", "creator", "meta");

    /** True when the part must be parsed: it may hold something to scrub, or is not plain ASCII-based. */
    boolean needsScrubbing(String name, byte[] xml) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".rels") || lower.endsWith("[content_types].xml") || lower.endsWith("manifest.xml")
                || lower.endsWith(".opf") || lower.endsWith(".ncx")) {
            return true;
        }
        int start = xml.length >= 3 && (xml[0] & 0xFF) == 0xEF && (xml[1] & 0xFF) == 0xBB && (xml[2] & 0xFF) == 0xBF ? 3 : 0;
        while (start < xml.length && (xml[start] == ' ' || xml[start] == '\n' || xml[start] == '\r' || xml[start] == '\t')) start++;
        if (start >= xml.length || xml[start] != '<') return true;
        for (byte b : xml) {
            if (b == 0) return true; // UTF-16 or UTF-32: the byte search below would not see the names
        }
        String text = new String(xml, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (text.startsWith("<?xml") && text.substring(0, Math.min(text.length(), 100)).matches("(?s)<\\?xml[^>]*encoding=[\"'](?!utf-8|us-ascii|iso-8859-1)[^\"']*[\"'].*")) {
            return true;
        }
        for (String t : TRIGGERS) {
            if (text.contains(t)) return true;
        }
        return false;
    }

    /** Set by every change to the part being scrubbed. */
    private boolean changed;

    private void remove(Node parent, Node child) {
        parent.removeChild(child);
        changed = true;
    }

    private void set(Attr a, String value) {
        a.setValue(value);
        changed = true;
    }

    private void dropAttribute(Element e, Attr a) {
        e.removeAttributeNode(a);
        changed = true;
    }

    private void text(Element e, String value) {
        e.setTextContent(value);
        changed = true;
    }

    /**
     * Cleans one XML part in place.
     *
     * @return whether anything was changed (an unchanged part is copied byte for byte: re-serialising
     *         it would cost time and change nothing that matters)
     */
    boolean scrub(String name, Document doc) throws CannotSanitizeException {
        changed = false;
        Element root = doc.getDocumentElement();
        if (root == null) return false;
        if (CONTENT_TYPES.equals(root.getNamespaceURI())) {
            for (Element o : children(root)) {
                String part = o.getAttribute("PartName");
                if ("Override".equals(o.getLocalName()) && !kept.contains(strip(part))) remove(root, o);
            }
        } else if (RELS.equals(root.getNamespaceURI())) {
            scrubRelationships(name, root);
        } else if (MANIFEST.equals(root.getNamespaceURI())) {
            scrubManifest(root);
        } else if (OPF.equals(root.getNamespaceURI()) && "package".equals(root.getLocalName())) {
            scrubOpf(root);
        }
        walk(root);
        return changed;
    }

    private void scrubRelationships(String relsName, Element root) {
        // "word/_rels/document.xml.rels" describes "word/document.xml": targets are relative to "word/".
        String dir = relsName.contains("_rels/") ? relsName.substring(0, relsName.indexOf("_rels/")) : "";
        for (Element r : children(root)) {
            String target = r.getAttribute("Target");
            String type = r.getAttribute("Type");
            if ("External".equals(r.getAttribute("TargetMode"))) {
                String t = target.toLowerCase(Locale.ROOT);
                if (t.startsWith("file:") || t.startsWith("\\\\") || t.matches("^[a-z]:[\\\\/].*")
                        || type.endsWith("/attachedTemplate")) {
                    findings.removed("link to a local or network file path (" + type.substring(type.lastIndexOf('/') + 1) + ")");
                    remove(root, r);
                } else {
                    findings.warn("external links (web addresses) are kept: check that they do not point to the source");
                }
                continue;
            }
            String resolved = target.startsWith("/") ? strip(target) : normalise(dir + target);
            if (!kept.contains(resolved)) remove(root, r);
        }
    }

    private void scrubManifest(Element root) throws CannotSanitizeException {
        if (root.getElementsByTagNameNS(MANIFEST, "encryption-data").getLength() > 0) {
            throw new CannotSanitizeException("password-protected OpenDocument: save an unprotected copy first");
        }
        for (Element e : children(root)) {
            String path = e.getAttributeNS(MANIFEST, "full-path");
            if (path.equals("/") || path.isEmpty()) continue;
            boolean present = path.endsWith("/") ? kept.stream().anyMatch(k -> k.startsWith(path)) : kept.contains(path);
            if (!present) remove(root, e);
        }
    }

    /** EPUB package document: keeps only the metadata the format requires. */
    private void scrubOpf(Element root) {
        for (Element metadata : children(root)) {
            if (!"metadata".equals(metadata.getLocalName())) continue;
            for (Element m : children(metadata)) {
                String local = m.getLocalName();
                boolean dc = DC.equals(m.getNamespaceURI());
                if (dc && local.equals("identifier")) {
                    // Authoring tools put per-install or per-user UUIDs here: a fresh one links nothing.
                    text(m, "urn:uuid:" + UUID.randomUUID());
                    findings.removed("EPUB dc:identifier (replaced by a random one)");
                } else if (dc && (local.equals("title") || local.equals("language"))) {
                    if (local.equals("title")) findings.warn("EPUB title is kept: the format requires one");
                } else if (!dc && "meta".equals(local) && "dcterms:modified".equals(m.getAttribute("property"))) {
                    text(m, "2000-01-01T00:00:00Z");
                    findings.removed("EPUB modification date");
                } else {
                    String label = dc ? "dc:" + local : "meta " + firstNonEmpty(m.getAttribute("property"), m.getAttribute("name"));
                    findings.removed("EPUB " + label.strip());
                    remove(metadata, m);
                }
            }
        }
    }

    private void walk(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        List<Attr> drop = new ArrayList<>();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String local = a.getLocalName() == null ? a.getName() : a.getLocalName();
            if (local.toLowerCase(Locale.ROOT).contains("rsid")) {
                findings.removed("revision ids (rsid)");
                drop.add(a);
            } else if (local.equals("author") && !a.getValue().isEmpty()) {
                findings.removed("comment and tracked-change authors");
                set(a, "");
            } else if (local.equals("initials")) {
                findings.removed("comment author initials");
                drop.add(a);
            } else if ((local.equals("date") || local.equals("dateUtc")) && isOoxml() && e.getNamespaceURI() != null
                    && !e.getNamespaceURI().equals(SPREADSHEET)) {
                findings.removed("comment and tracked-change dates");
                drop.add(a);
            } else if (local.equals("name") && ("cmAuthor".equals(e.getLocalName())
                    || ("author".equals(e.getLocalName()) && isOoxml() && e.getParentNode() instanceof Element p
                        && "authorLst".equals(p.getLocalName())))) {
                findings.removed("comment authors");
                set(a, "");
            } else if ((local.equals("userId") || local.equals("providerId") || local.equals("userName"))) {
                findings.removed("user account ids");
                drop.add(a);
            }
        }
        for (Attr a : drop) dropAttribute(e, a);

        for (Element c : children(e)) {
            String local = c.getLocalName();
            String ns = c.getNamespaceURI();
            if (isOoxml() && OOXML_ELEMENTS.containsKey(local)) {
                findings.removed(OOXML_ELEMENTS.get(local));
                remove(e, c);
            } else if (isOoxml() && "author".equals(local) && SPREADSHEET.equals(ns)) {
                if (!c.getTextContent().isEmpty()) findings.removed("comment authors");
                text(c, "");
            } else if (isOdf() && ((DC.equals(ns) && (local.equals("creator") || local.equals("date")))
                    || (ODF_META.equals(ns) && local.equals("creator-initials")))) {
                findings.removed("comment and tracked-change authors and dates");
                remove(e, c);
            } else if (format == EvidenceFormat.EPUB && "docAuthor".equals(local)) {
                findings.removed("EPUB table-of-contents author");
                remove(e, c);
            } else if (format == EvidenceFormat.EPUB && XHTML.equals(ns) && "meta".equals(local)
                    && c.hasAttribute("name") && !"viewport".equalsIgnoreCase(c.getAttribute("name"))) {
                findings.removed("HTML meta " + c.getAttribute("name").replaceAll("[^\\w.:-]", "?"));
                remove(e, c);
            } else {
                walk(c);
            }
        }
        if (isOdf() && ("author-name".equals(e.getLocalName()) || "author-initials".equals(e.getLocalName()))) {
            findings.warn("author-name fields in the text show the author's name as content");
        }
    }

    private boolean isOoxml() {
        return format == EvidenceFormat.DOCX || format == EvidenceFormat.XLSX || format == EvidenceFormat.PPTX;
    }

    private boolean isOdf() {
        return format == EvidenceFormat.ODT || format == EvidenceFormat.ODS || format == EvidenceFormat.ODP
                || format == EvidenceFormat.ODG;
    }

    private static List<Element> children(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) out.add(el);
        }
        return out;
    }

    private static String strip(String partName) {
        return partName.startsWith("/") ? partName.substring(1) : partName;
    }

    /** Resolves "." and ".." in a part path. */
    static String normalise(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
            } else {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}

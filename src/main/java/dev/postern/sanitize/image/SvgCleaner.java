package dev.postern.sanitize.image;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.FormatCleaner;
import dev.postern.sanitize.xml.SafeXml;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SVG: parsed as hardened XML and rebuilt keeping only SVG-namespace elements and plain
 * presentation attributes. Editor namespaces (Inkscape, Sodipodi, Adobe), RDF/Dublin Core metadata,
 * comments, scripts, event handlers and external references are dropped.
 */
public final class SvgCleaner implements FormatCleaner {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";

    /** Elements whose whole subtree goes: scripts, metadata, and embedded foreign documents. */
    private static final Set<String> DROP = Set.of("metadata", "script", "foreignObject", "title", "desc", "handler");

    private static final long MAX_SVG_BYTES = 64L << 20;

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (Files.size(in) > MAX_SVG_BYTES) {
            throw new CannotSanitizeException("SVG larger than 64 MiB");
        }
        Document doc = SafeXml.parse(Files.readAllBytes(in));
        Element root = doc.getDocumentElement();
        if (root == null || !"svg".equals(root.getLocalName()) || !SVG_NS.equals(root.getNamespaceURI())) {
            throw new CannotSanitizeException("not an SVG document (root element is not svg:svg)");
        }
        if (doc.getDoctype() != null) {
            job.findings().removed("SVG DOCTYPE");
            doc.removeChild(doc.getDoctype());
        }
        for (Node n = doc.getFirstChild(); n != null; ) {
            Node next = n.getNextSibling();
            if (n != root) {
                job.findings().removed(n.getNodeType() == Node.COMMENT_NODE ? "SVG comment" : "SVG processing instruction");
                doc.removeChild(n);
            }
            n = next;
        }
        cleanElement(root, job);
        Files.write(out, SafeXml.write(doc));
        job.findings().warn("text and shapes drawn in the SVG are unchanged and may identify people or places");
    }

    private void cleanElement(Element e, CleaningJob job) {
        cleanAttributes(e, job);
        List<Node> children = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) children.add(n);
        for (Node n : children) {
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    Element c = (Element) n;
                    String ns = c.getNamespaceURI();
                    if (!SVG_NS.equals(ns)) {
                        job.findings().removed("SVG foreign element " + prefixOf(c) + ":" + c.getLocalName());
                        e.removeChild(c);
                    } else if (DROP.contains(c.getLocalName())) {
                        job.findings().removed("SVG <" + c.getLocalName() + ">");
                        e.removeChild(c);
                    } else {
                        cleanElement(c, job);
                    }
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> { }
                case Node.COMMENT_NODE -> {
                    job.findings().removed("SVG comment");
                    e.removeChild(n);
                }
                default -> {
                    job.findings().removed("SVG processing instruction or entity reference");
                    e.removeChild(n);
                }
            }
        }
    }

    private void cleanAttributes(Element e, CleaningJob job) {
        NamedNodeMap attrs = e.getAttributes();
        List<Attr> drop = new ArrayList<>();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String ns = a.getNamespaceURI();
            String local = a.getLocalName() == null ? a.getName() : a.getLocalName();
            String value = a.getValue().strip().toLowerCase(Locale.ROOT);
            if ("http://www.w3.org/2000/xmlns/".equals(ns)) {
                // Namespace declarations other than SVG's and XLink's only serve dropped foreign content.
                if (!SVG_NS.equals(a.getValue()) && !XLINK_NS.equals(a.getValue())) drop.add(a);
            } else if (ns != null && !XLINK_NS.equals(ns) && !"http://www.w3.org/XML/1998/namespace".equals(ns)) {
                job.findings().removed("SVG foreign attribute " + a.getName());
                drop.add(a);
            } else if (local.toLowerCase(Locale.ROOT).startsWith("on")) {
                job.findings().removed("SVG event handler " + local);
                drop.add(a);
            } else if (local.equals("href") && !value.startsWith("#") && !value.startsWith("data:image/")) {
                job.findings().removed("SVG external reference (" + (value.startsWith("javascript:") ? "script" : "link") + ")");
                drop.add(a);
            } else if ((local.equals("style") || local.equals("fill") || local.equals("filter") || local.equals("mask")
                    || local.equals("clip-path")) && value.contains("url(") && !value.matches("(?s).*url\\(\\s*['\"]?#.*")) {
                job.findings().removed("SVG external url() in " + local);
                drop.add(a);
            }
        }
        for (Attr a : drop) {
            e.removeAttributeNode(a);
        }
    }

    private static String prefixOf(Element c) {
        return c.getPrefix() == null ? "?" : c.getPrefix();
    }
}

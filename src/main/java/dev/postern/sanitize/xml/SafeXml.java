package dev.postern.sanitize.xml;

import dev.postern.sanitize.CannotSanitizeException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;

/**
 * XML parsing hardened for hostile input: no external entities or DTDs are fetched (XXE), entity
 * expansion is bounded by the JDK's secure-processing limits (billion laughs), and XInclude is off.
 */
public final class SafeXml {
    private SafeXml() {
    }

    /** Factories are costly to look up: built once, used under their own lock (they are not thread-safe). */
    private static final DocumentBuilderFactory PARSERS = parsers();
    private static final TransformerFactory WRITERS = writers();

    private static DocumentBuilderFactory parsers() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a security feature", e);
        }
    }

    private static TransformerFactory writers() {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return tf;
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK XML writer lacks secure processing", e);
        }
    }

    /** Parses namespace-aware XML, or fails with a reason fit for a report. */
    public static Document parse(byte[] xml) throws CannotSanitizeException {
        try {
            DocumentBuilder b;
            synchronized (PARSERS) {
                b = PARSERS.newDocumentBuilder();
            }
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a security feature", e);
        } catch (SAXException | IOException e) {
            throw new CannotSanitizeException("malformed XML: " + oneLine(e.getMessage()), e);
        }
    }

    /** Serialises a document as UTF-8 with an XML declaration, without a DOCTYPE. */
    public static byte[] write(Document doc) throws CannotSanitizeException {
        try {
            Transformer t;
            synchronized (WRITERS) {
                t = WRITERS.newTransformer();
            }
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.STANDALONE, "yes");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new CannotSanitizeException("cannot write XML: " + oneLine(e.getMessage()), e);
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}

package dev.postern.sanitize.office;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.FormatCleaner;
import dev.postern.sanitize.SanitizeReport;
import dev.postern.sanitize.xml.SafeXml;
import org.w3c.dom.Document;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Office Open XML (DOCX, XLSX, PPTX), OpenDocument (ODT, ODS, ODP, ODG) and EPUB: zip packages
 * rewritten fresh from an allow-list of parts. Property parts are replaced by empty ones, XML parts
 * are scrubbed of authors, dates and revision ids ({@link XmlScrubber}), embedded pictures and
 * documents are sanitized recursively, and everything unrecognised is dropped and reported.
 */
public final class PackageCleaner implements FormatCleaner {

    /** What to do with one part. */
    private enum Fate { XML, MEMBER, KEEP_AS_IS, DROP }

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        Findings f = job.findings();
        try (ZipFile zip = new ZipFile(in.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            if (entries.size() > job.limits().maxArchiveMembers()) {
                throw new CannotSanitizeException("package has " + entries.size() + " parts, more than the limit");
            }
            Map<String, Fate> fates = new LinkedHashMap<>();
            for (ZipEntry e : entries) {
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (fates.containsKey(name)) {
                    throw new CannotSanitizeException("package has two parts named " + ZipReading.safeName(name)
                            + ": readers disagree on which one counts");
                }
                Fate fate = fate(format, name, zip, e);
                if (fate == Fate.DROP) {
                    f.removed("part " + ZipReading.safeName(name) + " (" + whyDropped(name) + ")");
                }
                fates.put(name, fate);
            }
            // Embedded pictures and documents first: a part that cannot be cleaned is dropped,
            // and the relationship and manifest files written afterwards must know that.
            Map<String, Path> cleanedMembers = new LinkedHashMap<>();
            for (ZipEntry e : entries) {
                if (fates.get(e.getName()) != Fate.MEMBER) continue;
                Path raw = job.tempFile(".part");
                Files.write(raw, ZipReading.readBounded(zip, e, job.limits().maxArchiveExpandedBytes(), job));
                Path clean = job.tempFile(".part");
                SanitizeReport r = job.sanitizeMember(raw, e.getName(), clean);
                Files.deleteIfExists(raw);
                String n = ZipReading.safeName(e.getName());
                if (r.sanitized()) {
                    cleanedMembers.put(e.getName(), clean);
                    for (String item : r.removed()) f.removed(n + ": " + item);
                    for (String w : r.warnings()) f.warn(n + ": " + w);
                } else {
                    fates.put(e.getName(), Fate.DROP);
                    f.removed("part " + n + " (" + r.format() + " that cannot be cleaned: " + r.reason() + ")");
                    Files.deleteIfExists(clean);
                }
            }
            XmlScrubber scrubber = new XmlScrubber(format, f, keptNames(fates));
            try (FreshZip z = new FreshZip(out)) {
                ZipEntry mimetype = zip.getEntry("mimetype");
                if (mimetype != null && usesMimetype(format)) {
                    z.addStored("mimetype", ZipReading.readBounded(zip, mimetype, 200, job));
                }
                for (ZipEntry e : entries) {
                    String name = e.getName();
                    Fate fate = fates.get(name);
                    if (fate == null || fate == Fate.DROP || (name.equals("mimetype") && usesMimetype(format))) continue;
                    switch (fate) {
                        case XML -> {
                            byte[] xml = ZipReading.readBounded(zip, e, job.limits().maxPartBytes(), job);
                            byte[] replaced = scrubber.replacement(name, xml);
                            if (replaced != null) {
                                z.add(name, replaced);
                            } else if (!scrubber.needsScrubbing(name, xml)) {
                                z.add(name, xml);
                            } else {
                                Document doc = SafeXml.parse(xml);
                                z.add(name, scrubber.scrub(name, doc) ? SafeXml.write(doc) : xml);
                            }
                        }
                        case MEMBER -> z.add(name, cleanedMembers.get(name));
                        case KEEP_AS_IS -> z.add(name, ZipReading.readBounded(zip, e, job.limits().maxPartBytes(), job));
                        default -> { }
                    }
                }
            }
            for (Path p : cleanedMembers.values()) Files.deleteIfExists(p);
        } catch (java.util.zip.ZipException e) {
            throw new CannotSanitizeException("damaged zip package: " + e.getMessage());
        }
        f.warn("the text, tables and slides themselves are unchanged: names, signatures, letterheads,"
                + " hidden rows, sheets, slides and speaker notes may still identify people");
    }

    private static List<String> keptNames(Map<String, Fate> fates) {
        List<String> kept = new ArrayList<>();
        fates.forEach((n, fate) -> {
            if (fate != Fate.DROP) kept.add(n);
        });
        return kept;
    }

    private static boolean usesMimetype(EvidenceFormat format) {
        return format != EvidenceFormat.DOCX && format != EvidenceFormat.XLSX && format != EvidenceFormat.PPTX;
    }

    private static Fate fate(EvidenceFormat format, String name, ZipFile zip, ZipEntry e)
            throws CannotSanitizeException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("/") || lower.contains("../") || lower.contains("\\")) return Fate.DROP;
        switch (format) {
            case DOCX, XLSX, PPTX -> {
                if (lower.startsWith("customxml/") || lower.contains("printersettings/")
                        || lower.equals("docprops/custom.xml") || lower.startsWith("docprops/thumbnail")
                        || lower.endsWith("vbaproject.bin") || lower.endsWith("vbadata.xml")
                        || lower.contains("/activex/") || lower.endsWith("/people.xml") || lower.startsWith("xl/persons/")
                        || lower.startsWith("xl/threadedcomments/") || lower.startsWith("xl/externallinks/")
                        || lower.startsWith("xl/revisions/") || lower.contains("webextensions/")
                        || lower.startsWith("_xmlsignatures/") || lower.contains("/usernames.xml")) {
                    return Fate.DROP;
                }
                if (lower.contains("/fonts/") && (lower.endsWith(".odttf") || lower.endsWith(".fntdata"))) {
                    return Fate.KEEP_AS_IS;
                }
            }
            case ODT, ODS, ODP, ODG -> {
                if (lower.startsWith("thumbnails/") || lower.startsWith("configurations2/")
                        || lower.equals("settings.xml") || lower.endsWith("/settings.xml") || lower.equals("layout-cache")
                        || lower.startsWith("basic/") || lower.startsWith("scripts/")
                        || lower.startsWith("meta-inf/documentsignatures") || lower.startsWith("meta-inf/macrosignatures")
                        || lower.startsWith("objectreplacements/")) {
                    return Fate.DROP;
                }
            }
            case EPUB -> {
                if (lower.equals("meta-inf/encryption.xml")) {
                    throw new CannotSanitizeException("EPUB with encrypted or obfuscated resources (META-INF/encryption.xml)");
                }
                if (lower.equals("meta-inf/signatures.xml") || lower.equals("meta-inf/rights.xml")
                        || lower.equals("itunesmetadata.plist") || lower.startsWith("meta-inf/calibre")) {
                    return Fate.DROP;
                }
                if (lower.endsWith(".css") || lower.endsWith(".ttf") || lower.endsWith(".otf")
                        || lower.endsWith(".woff") || lower.endsWith(".woff2")) {
                    return Fate.KEEP_AS_IS;
                }
            }
            default -> { }
        }
        if (name.equals("mimetype")) return Fate.KEEP_AS_IS;
        if (lower.endsWith(".xml") || lower.endsWith(".rels") || lower.endsWith(".vml") || lower.endsWith(".opf")
                || lower.endsWith(".ncx") || lower.endsWith(".xhtml") || lower.endsWith(".htm") && format == EvidenceFormat.EPUB
                || lower.endsWith(".svg")) {
            return lower.endsWith(".svg") ? Fate.MEMBER : Fate.XML;
        }
        return Fate.MEMBER;
    }

    private static String whyDropped(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("custom")) return "custom properties or custom XML";
        if (lower.contains("printersettings")) return "printer settings";
        if (lower.contains("thumbnail")) return "thumbnail of the first page";
        if (lower.contains("settings.xml")) return "settings: printer name and setup, view state";
        if (lower.contains("people") || lower.contains("persons") || lower.contains("usernames")) return "list of authors";
        if (lower.contains("vba") || lower.startsWith("basic/") || lower.startsWith("scripts/")) return "macros";
        if (lower.contains("signature")) return "digital signatures (name the signer)";
        if (lower.contains("externallinks")) return "links to other files by path";
        if (lower.contains("threadedcomments")) return "threaded comments tied to user accounts";
        if (lower.contains("revisions")) return "shared-workbook revision log";
        if (lower.startsWith("objectreplacements/")) return "preview images of embedded objects";
        if (lower.contains("../") || lower.startsWith("/") || lower.contains("\\")) return "unsafe part name";
        return "not needed to show the document";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

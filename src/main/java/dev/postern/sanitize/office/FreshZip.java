package dev.postern.sanitize.office;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a new zip with nothing but names and contents: one fixed timestamp (1980-01-02 00:00;
 * not the 1st, which the JDK treats as "before 1980" and then adds an extended-timestamp field),
 * no comments, no extra fields (which can carry owner ids and exact times), no file attributes.
 */
public final class FreshZip implements AutoCloseable {
    private static final LocalDateTime FIXED = LocalDateTime.of(1980, 1, 2, 0, 0);

    private final ZipOutputStream zip;

    public FreshZip(Path out) throws IOException {
        OutputStream o = Files.newOutputStream(out);
        this.zip = new ZipOutputStream(o);
        zip.setLevel(6);
    }

    /** Adds a member compressed with deflate. */
    public void add(String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Adds a member stored uncompressed (ODF and EPUB require this for their first "mimetype" member). */
    public void addStored(String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Adds a member from a file, compressed. */
    public void add(String name, Path file) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED);
        zip.putNextEntry(e);
        Files.copy(file, zip);
        zip.closeEntry();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

package dev.postern.sanitize.office;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Writes a new zip with nothing but names and contents: every member dated 1980-01-01 00:00 (the
 * zip epoch), marked as made on Unix with mode 0644, no comments and no extra fields (which can
 * carry owner ids and exact times). These are the values mat2 treats as clean, so its own check
 * finds nothing to report on our copies.
 */
public final class FreshZip implements AutoCloseable {

    private final ZipArchiveOutputStream zip;
    private final long fixedTime;

    public FreshZip(Path out) throws IOException {
        this.zip = new ZipArchiveOutputStream(Files.newOutputStream(out));
        zip.setLevel(6);
        zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
        zip.setUseLanguageEncodingFlag(true);
        // DOS times are local times: this converts back to exactly 1980-01-01 00:00 in any time zone.
        fixedTime = LocalDateTime.of(1980, 1, 1, 0, 0).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private ZipArchiveEntry entry(String name) {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setTime(fixedTime);
        e.setUnixMode(0100644);
        return e;
    }

    /** Adds a member compressed with deflate. */
    public void add(String name, byte[] data) throws IOException {
        ZipArchiveEntry e = entry(name);
        e.setMethod(ZipEntry.DEFLATED);
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    /** Adds a member stored uncompressed (ODF and EPUB require this for their first "mimetype" member). */
    public void addStored(String name, byte[] data) throws IOException {
        ZipArchiveEntry e = entry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    /** Adds a member from a file, compressed. */
    public void add(String name, Path file) throws IOException {
        ZipArchiveEntry e = entry(name);
        e.setMethod(ZipEntry.DEFLATED);
        zip.putArchiveEntry(e);
        Files.copy(file, zip);
        zip.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        zip.finish();
        zip.close();
    }
}

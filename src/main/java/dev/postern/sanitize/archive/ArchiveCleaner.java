package dev.postern.sanitize.archive;

import dev.postern.sanitize.CannotSanitizeException;
import dev.postern.sanitize.CleaningJob;
import dev.postern.sanitize.EvidenceFormat;
import dev.postern.sanitize.Findings;
import dev.postern.sanitize.FormatCleaner;
import dev.postern.sanitize.SanitizeReport;
import dev.postern.sanitize.office.FreshZip;
import dev.postern.sanitize.office.ZipReading;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * ZIP and TAR: every member is sanitized on its own (recursively, through the same sanitizer) and
 * written into a fresh archive with fixed times, no owners, permissions, comments or extended
 * headers. Limits on member count, expanded bytes and nesting depth are shared by the whole tree,
 * and bytes are counted as they are inflated, so a zip bomb is stopped in bounded memory and time.
 * One member that cannot be cleaned makes the whole archive NOT sanitized: a partial archive would
 * look complete to whoever publishes it.
 */
public final class ArchiveCleaner implements FormatCleaner {

    private static final Date FIXED = Date.from(Instant.parse("1980-01-02T00:00:00Z"));

    /** A member extracted to scratch space and cleaned. */
    private record Member(String name, Path clean) {
    }

    @Override
    public void clean(Path in, Path out, EvidenceFormat format, CleaningJob job)
            throws IOException, CannotSanitizeException {
        if (job.depth() >= job.limits().maxArchiveDepth()) {
            throw new CannotSanitizeException("archives nested more than " + job.limits().maxArchiveDepth() + " deep");
        }
        List<Member> members = format == EvidenceFormat.ZIP ? zipMembers(in, job) : tarMembers(in, job);
        if (format == EvidenceFormat.ZIP) {
            try (FreshZip z = new FreshZip(out)) {
                for (Member m : members) z.add(m.name(), m.clean());
            }
        } else {
            try (OutputStream o = Files.newOutputStream(out); TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
                t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Member m : members) {
                    TarArchiveEntry e = new TarArchiveEntry(m.name(), true);
                    e.setSize(Files.size(m.clean()));
                    e.setModTime(FIXED);
                    e.setMode(0100644);
                    t.putArchiveEntry(e);
                    Files.copy(m.clean(), t);
                    t.closeArchiveEntry();
                }
                t.finish();
            }
        }
        for (Member m : members) Files.deleteIfExists(m.clean());
        Findings f = job.findings();
        f.removed(format == EvidenceFormat.ZIP ? "ZIP timestamps, comments, extra fields and file attributes"
                : "TAR owner names and ids, times, permissions and extended headers");
        if (!members.isEmpty()) {
            f.warn("member file names and folder names are kept: check that they do not name anyone");
        }
    }

    private List<Member> zipMembers(Path in, CleaningJob job) throws IOException, CannotSanitizeException {
        List<Member> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(in.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                job.budget().takeMember();
                Path raw = job.tempFile(".member");
                try (InputStream s = zip.getInputStream(e)) {
                    copyCounted(s, raw, job, e.getName());
                }
                out.add(cleanMember(raw, e.getName(), job));
            }
        } catch (ZipException e) {
            throw new CannotSanitizeException("damaged or encrypted ZIP: " + e.getMessage());
        }
        return out;
    }

    private List<Member> tarMembers(Path in, CleaningJob job) throws IOException, CannotSanitizeException {
        List<Member> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(in); TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                if (!e.isFile()) {
                    job.findings().removed("TAR member " + ZipReading.safeName(e.getName())
                            + " (link or device, not a file)");
                    continue;
                }
                job.budget().takeMember();
                Path file = job.tempFile(".member");
                copyCounted(tar, file, job, e.getName());
                out.add(cleanMember(file, e.getName(), job));
            }
        } catch (IllegalArgumentException e) {
            throw new CannotSanitizeException("damaged TAR: " + e.getMessage());
        }
        return out;
    }

    private static void copyCounted(InputStream in, Path to, CleaningJob job, String name)
            throws IOException, CannotSanitizeException {
        try (OutputStream o = Files.newOutputStream(to)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                job.budget().takeBytes(n);
                o.write(buf, 0, n);
            }
        } catch (CannotSanitizeException e) {
            Files.deleteIfExists(to);
            throw new CannotSanitizeException(e.getMessage() + " (at member " + ZipReading.safeName(name) + ")");
        }
    }

    private static Member cleanMember(Path raw, String name, CleaningJob job) throws IOException, CannotSanitizeException {
        String safe = safePath(name);
        Path clean = job.tempFile(".clean");
        SanitizeReport r = job.sanitizeMember(raw, safe, clean);
        Files.deleteIfExists(raw);
        job.findings().member(r);
        if (!r.sanitized()) {
            Files.deleteIfExists(clean);
            throw new CannotSanitizeException("member " + ZipReading.safeName(safe) + " is NOT sanitized: " + r.reason());
        }
        return new Member(safe, clean);
    }

    /** Member names cannot climb out of the archive or be absolute ("zip slip"), and carry no control characters. */
    static String safePath(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.replace('\\', '/').split("/")) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) continue;
            parts.add(p.replaceAll("\\p{Cntrl}", "_"));
        }
        return parts.isEmpty() ? "unnamed" : String.join("/", parts);
    }
}

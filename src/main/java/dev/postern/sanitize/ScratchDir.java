package dev.postern.sanitize;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** A private (0700) directory for intermediate files, deleted with everything in it on close. */
final class ScratchDir implements AutoCloseable {
    private final Path dir;

    private ScratchDir(Path dir) {
        this.dir = dir;
    }

    /** Creates a new private directory inside {@code parent} (which must exist). */
    static ScratchDir in(Path parent) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new ScratchDir(Files.createTempDirectory(parent, "sanitize-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        }
        return new ScratchDir(Files.createTempDirectory(parent, "sanitize-"));
    }

    /** Creates a new private directory in the JVM's temporary directory (CLI use only). */
    static ScratchDir inSystemTemp() throws IOException {
        return in(Path.of(System.getProperty("java.io.tmpdir")));
    }

    Path path() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        deleteTree(dir);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

package dev.postern.vault;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and writes the pinning key ({@link RecipientKeyPins}) as a CLEARTEXT Tink keyset (binary
 * format) in a file of mode 0600 beside the config. The only class that touches secret key bytes
 * through {@link InsecureSecretKeyAccess}; everything else holds a {@link KeysetHandle}.
 *
 * <p>Security guarantees: the file is created new (never over an existing one) with mode 0600
 * before a byte is written, and is refused when a symbolic link, or when its group or others may
 * read or write it. The key never goes to the database, so a database writer cannot forge pins.
 *
 * <p>WARNING: the key is NOT encrypted on disk: whoever reads this file (root, a backup of the
 * config directory) can pin keys of their own, and together with write access to the database can
 * then have future reports wrapped to them. It protects against a database that is written to by
 * someone who cannot read the application host's files, nothing more. Back it up apart from the
 * database: a lost key does not lose reports, but every recipient must then be pinned again.
 */
public final class CleartextPinningKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private CleartextPinningKeyFile() {
    }

    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Reads the key; refuses a file that others may read or write. */
    public static KeysetHandle read(Path file) {
        try {
            if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new VaultException("the pinning key " + file + " is not a regular file");
            }
            if (isPosix(file)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!OWNER_ONLY.containsAll(perms)) {
                    throw new VaultException("the pinning key " + file + " is readable or writable by others"
                            + " (mode " + PosixFilePermissions.toString(perms) + "); chmod 600 it");
                }
            }
            KeysetHandle key = TinkProtoKeysetFormat.parseKeyset(Files.readAllBytes(file), InsecureSecretKeyAccess.get());
            new RecipientKeyPins(key);
            return key;
        } catch (IOException | GeneralSecurityException e) {
            throw new VaultException("cannot read the pinning key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates a new key in {@code file} (mode 0600, never over an existing file) and returns it. */
    public static KeysetHandle create(Path file) {
        KeysetHandle key = RecipientKeyPins.newPinningKey();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            byte[] bytes = TinkProtoKeysetFormat.serializeKeyset(key, InsecureSecretKeyAccess.get());
            FileAttribute<?>[] attrs = isPosix(dir)
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            try (FileChannel out = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attrs)) {
                if (isPosix(dir)) {
                    // the umask can only take bits away, but say it anyway
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            return key;
        } catch (IOException | GeneralSecurityException e) {
            throw new VaultException("cannot create the pinning key " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

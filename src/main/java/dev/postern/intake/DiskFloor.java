package dev.postern.intake;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Free space that uploads never eat into, so the database, the logs and the system keep working
 * when someone uploads until the disk is full. An upload is refused before its files are read when
 * its declared size would cross the floor, and stopped while it streams (checked every few MiB,
 * not per chunk: asking the file system costs a system call) when free space reaches the floor.
 */
public final class DiskFloor {
    /** Bytes written between two looks at the free space. */
    public static final long CHECK_EVERY_BYTES = 4L * 1024 * 1024;
    private final LongSupplier freeBytes;
    private final long floorBytes;

    /**
     * @param freeBytes  usable bytes left where uploads are stored
     * @param floorBytes free space to keep
     */
    public DiskFloor(LongSupplier freeBytes, long floorBytes) {
        this.freeBytes = freeBytes;
        this.floorBytes = floorBytes;
    }

    /** The floor of the file store holding {@code dataDir}. */
    public static DiskFloor of(Path dataDir, long floorBytes) {
        FileStore store;
        try {
            store = Files.getFileStore(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot find the file store of the data directory", e);
        }
        return new DiskFloor(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return 0; // cannot tell: refuse uploads rather than fill the disk
            }
        }, floorBytes);
    }

    /** No floor (tools and tests that do not store uploads on a shared disk). */
    public static DiskFloor none() {
        return new DiskFloor(() -> Long.MAX_VALUE, 0);
    }

    /**
     * Refuses an upload of {@code declaredBytes} (negative: not declared) that would leave less than
     * the floor free.
     */
    public void admit(long declaredBytes) throws IntakeException {
        long free = freeBytes.getAsLong();
        if (free - Math.max(0, declaredBytes) < floorBytes) {
            throw new IntakeException(IntakeException.Reason.DISK_FULL);
        }
    }

    /** Stops an upload in progress once free space has fallen to the floor. */
    public void check() throws IntakeException {
        if (freeBytes.getAsLong() <= floorBytes) {
            throw new IntakeException(IntakeException.Reason.DISK_FULL);
        }
    }
}

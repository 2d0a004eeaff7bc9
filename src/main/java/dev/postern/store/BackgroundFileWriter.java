package dev.postern.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes to a file on a second thread, so that receiving and encrypting the next bytes of an
 * upload overlaps with the file system taking the previous ones (a profile of a 4 GiB upload showed
 * the request thread blocked in file writes for about a third of the time). Memory is bounded: at
 * most {@value #QUEUED} full buffers of {@value #BUFFER} bytes wait, plus the one being filled, so a
 * slow upload holds a single buffer.
 *
 * <p>A write failure on the writer thread is thrown from the next {@link #write} or from
 * {@link #close}, which waits for every byte and forces the file to disk.
 */
final class BackgroundFileWriter extends OutputStream {
    static final int BUFFER = 256 * 1024;
    static final int QUEUED = 3;

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final FileChannel channel;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread writer;
    private volatile IOException failure;
    private byte[] current;
    private int used;
    private boolean closed;

    BackgroundFileWriter(FileChannel channel) {
        this.channel = channel;
        this.writer = Thread.ofVirtual().name("blob-writer").start(this::drain);
    }

    private void drain() {
        try {
            for (Chunk c = queue.take(); c != END; c = queue.take()) {
                ByteBuffer buf = ByteBuffer.wrap(c.bytes(), 0, c.length());
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            failure = e;
            queue.clear();
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("blob writer interrupted");
            queue.clear();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkFailure();
        while (len > 0) {
            if (current == null) {
                current = new byte[BUFFER];
                used = 0;
            }
            int n = Math.min(len, BUFFER - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == BUFFER) {
                hand(new Chunk(current, used));
                current = null;
            }
        }
    }

    private void hand(Chunk chunk) throws IOException {
        try {
            while (!queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                checkFailure();
                if (!writer.isAlive()) {
                    throw new IOException("blob writer stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing a blob");
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("writing the blob failed", failure);
        }
    }

    /** Hands over what is left, waits for the writer and forces the file to disk. */
    @Override
    public void close() throws IOException {
        finish(true);
    }

    /** Stops without forcing: for a blob that is about to be deleted. */
    void abort() {
        try {
            finish(false);
        } catch (IOException ignored) {
            // the file is deleted next
        }
    }

    private void finish(boolean force) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (force && current != null && used > 0 && failure == null) {
                hand(new Chunk(current, used));
            }
            current = null;
            if (writer.isAlive()) {
                hand(END);
            }
            writer.join();
            checkFailure();
            if (force) {
                channel.force(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing a blob");
        } finally {
            channel.close();
        }
    }
}

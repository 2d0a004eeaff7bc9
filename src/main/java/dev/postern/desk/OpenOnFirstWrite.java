package dev.postern.desk;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/** An output stream that opens its target only when the first byte arrives. */
final class OpenOnFirstWrite extends OutputStream {
    private final Supplier<OutputStream> opener;
    private OutputStream target;

    OpenOnFirstWrite(Supplier<OutputStream> opener) {
        this.opener = opener;
    }

    private OutputStream target() {
        if (target == null) {
            target = opener.get();
        }
        return target;
    }

    @Override
    public void write(int b) throws IOException {
        target().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            target().write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (target != null) {
            target.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (target != null) {
            target.flush();
        }
    }
}

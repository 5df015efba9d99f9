package io.logflow.decode;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and fails once more than {@code cap} would be read. Sits on top of the gunzip
 * stream, so a gzip bomb costs at most {@code cap} bytes of inflation, never more memory or time.
 */
final class CappedInputStream extends FilterInputStream {
    private final long cap;
    private long count;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        // Never ask for more than one byte past the cap: that byte is what proves the cap was exceeded.
        long allowed = cap - count + 1;
        int n = in.read(buf, off, (int) Math.min(len, Math.max(1, allowed)));
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, cap - count + 1));
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws CapExceededException {
        count += n;
        if (count > cap) {
            throw new CapExceededException(cap);
        }
    }

    /** Thrown through the JSON parser, which passes I/O exceptions of its input on unchanged. */
    static final class CapExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        CapExceededException(long cap) {
            super("decompressed payload exceeds " + cap + " bytes");
        }
    }
}

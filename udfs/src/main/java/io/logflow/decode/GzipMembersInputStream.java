package io.logflow.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Un-gzips a stream of one or more concatenated gzip members (RFC 1952), as Firehose writes them, and says so when the
 * stream is damaged anywhere, the last member included.
 *
 * <p>Why not the JDK's {@link java.util.zip.GZIPInputStream}: after a member it looks for the next one only if its
 * source reports {@code available() > 0} or more than 26 bytes are left in its buffer, and it ignores a next member
 * whose header cannot be read. So a truncated last member of up to ~18 bytes vanished without a trace, and behind a
 * stream whose {@code available()} says 0 (a network stream) the members after a buffer boundary could too.
 * commons-compress's reader keeps back the last buffer it inflated when the input is cut, losing readable data before
 * the cut. This one reads members one after another until the source ends, hands out everything it inflated before a
 * cut, and then throws: {@link EOFException} for a truncated stream, {@link ZipException} for a damaged one (bad
 * magic, bad deflate data, CRC or size mismatch, bytes after the last member that are not a member).
 */
public final class GzipMembersInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final PushbackInputStream in;
    private final byte[] buf;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private int bufLength;
    private boolean inMember;
    private boolean eof;
    private boolean closed;
    private int members;

    public GzipMembersInputStream(InputStream in, int bufferSize) {
        this.buf = new byte[bufferSize];
        this.in = new PushbackInputStream(in, bufferSize);
    }

    public GzipMembersInputStream(InputStream in) {
        this(in, 8192);
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            if (!inMember) {
                int first = in.read();
                if (first < 0) {
                    if (members == 0) {
                        throw new EOFException("empty gzip stream");
                    }
                    eof = true; // a clean end: right after the trailer of a member
                    break;
                }
                in.unread(first);
                readHeader();
                inflater.reset();
                crc.reset();
                inMember = true;
                members++;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("invalid deflate data in gzip member " + members + ": " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                if (rest > 0) {
                    in.unread(buf, bufLength - rest, rest);
                }
                readTrailer();
                inMember = false;
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + members + " needs a preset dictionary");
            } else if (inflater.needsInput()) {
                bufLength = in.read(buf, 0, buf.length);
                if (bufLength < 0) {
                    throw new EOFException("Unexpected end of ZLIB input stream (gzip member " + members + " is cut off)");
                }
                inflater.setInput(buf, 0, bufLength);
            }
        }
        return -1;
    }

    private void readHeader() throws IOException {
        int magic = readUByte() | (readUByte() << 8);
        if (magic != 0x8b1f) {
            throw new ZipException(members == 0 ? "Not in GZIP format"
                    : "bytes after gzip member " + members + " are not a gzip member");
        }
        if (readUByte() != 8) {
            throw new ZipException("unsupported gzip compression method");
        }
        int flags = readUByte();
        skipBytes(6); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            skipBytes(readUByte() | (readUByte() << 8));
        }
        if ((flags & FNAME) != 0) {
            while (readUByte() != 0) {
                // file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readUByte() != 0) {
                // comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            skipBytes(2);
        }
    }

    private void readTrailer() throws IOException {
        long expectedCrc = readUInt();
        long expectedSize = readUInt();
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("corrupt gzip member " + members + ": CRC mismatch");
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("corrupt gzip member " + members + ": size mismatch");
        }
    }

    private long readUInt() throws IOException {
        long b0 = readUByte();
        long b1 = readUByte();
        long b2 = readUByte();
        long b3 = readUByte();
        return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
    }

    private int readUByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("Unexpected end of gzip stream (header or trailer of member "
                    + (members + (inMember ? 0 : 1)) + " is cut off)");
        }
        return b;
    }

    private void skipBytes(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            readUByte();
        }
    }

    /** Gzip members read so far, the one being read included. */
    public int members() {
        return members;
    }

    @Override
    public int available() throws IOException {
        return eof ? 0 : inflater.finished() || inflater.needsInput() ? 0 : 1;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        inflater.end();
        in.close();
    }
}

package io.logflow.source.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 lines ({@code \n} or {@code \r\n}) from a stream, never holding more than {@code maxLineBytes} of a
 * line: the rest of an oversize line is skipped and the line is reported as {@link #lastLineTooLong()}.
 */
final class BoundedLineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private boolean tooLong;
    private long lastLineBytes;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    String readLine() throws IOException {
        int length = 0;
        long total = 0;
        tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int start = pos;
            int newline = -1;
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : limit;
            int chunk = end - start;
            total += chunk;
            int room = maxLineBytes - length;
            if (chunk > room) {
                tooLong = true;
            }
            int copy = Math.min(chunk, Math.max(room, 0));
            if (copy > 0) {
                ensureCapacity(length + copy);
                System.arraycopy(buffer, start, line, length, copy);
                length += copy;
            }
            if (newline >= 0) {
                pos = newline + 1;
                break;
            }
            pos = limit;
        }
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
            total--;
        }
        lastLineBytes = total;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    /** Whether the line just read was longer than the limit (its text is then its first {@code maxLineBytes}). */
    boolean lastLineTooLong() {
        return tooLong;
    }

    /** Length in bytes of the line just read, including any part that was skipped. */
    long lastLineBytes() {
        return lastLineBytes;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(line.length * 2, maxLineBytes)));
        }
    }
}

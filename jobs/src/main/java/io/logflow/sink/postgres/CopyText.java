package io.logflow.sink.postgres;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format: columns separated by tabs, rows ended by a newline,
 * NULL as {@code \N}, and backslash, tab, newline and carriage return escaped with a backslash. NUL, which no text
 * column can hold, and an unpaired surrogate, which UTF-8 cannot encode (the encoder would write {@code ?}), become
 * U+FFFD, as {@link io.logflow.model.Storable#text} makes them on the JDBC path.
 */
public final class CopyText {
    private final StringBuilder out;
    private boolean rowStarted;

    CopyText(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    public CopyText value(String s) {
        separate();
        if (s == null) {
            out.append("\\N");
            return this;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\': out.append("\\\\"); break;
                case '\t': out.append("\\t"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\0': out.append('\uFFFD'); break;
                default:
                    if (c < '\uD800' || c > '\uDFFF') {
                        out.append(c);
                    } else if (c <= '\uDBFF' && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i)); // a pair
                    } else {
                        out.append('\uFFFD');
                    }
            }
        }
        return this;
    }

    public CopyText value(double d) {
        separate();
        out.append(d);
        return this;
    }

    public CopyText nullValue() {
        separate();
        out.append("\\N");
        return this;
    }

    public void endRow() {
        out.append('\n');
        rowStarted = false;
    }

    int length() {
        return out.length();
    }

    /** The text from {@code start} on, as the UTF-8 bytes COPY reads. */
    byte[] utf8From(int start) {
        return utf8(start, out.length());
    }

    /** The text from {@code start} to {@code end}, as the UTF-8 bytes COPY reads. */
    byte[] utf8(int start, int end) {
        return out.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The text from {@code start} to {@code end}. */
    String text(int start, int end) {
        return out.substring(start, end);
    }

    /** Drops what was appended from {@code length} on (a row whose encoding failed half-way). */
    void truncate(int length) {
        out.setLength(length);
        rowStarted = false;
    }

    void clear() {
        out.setLength(0);
        rowStarted = false;
    }

    /** Trims the buffer back after an unusually large batch, so one burst does not pin its memory. */
    void clear(int keepCapacity) {
        clear();
        if (out.capacity() > 4 * keepCapacity) {
            out.trimToSize();
            out.ensureCapacity(keepCapacity);
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }
}

package io.logflow.parse.multiline;

import io.logflow.model.RawLog;
import io.logflow.model.RawLogSerializer;
import io.logflow.model.Storable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Joins the lines of one stream (one file, one CloudWatch log stream) that belong to one event: Java stack traces
 * ({@code at ...}, {@code Caused by:}, {@code Suppressed:}, {@code ... N more}), Python tracebacks (indented frames,
 * the final {@code Error: message} line, chained tracebacks) and Go panics ({@code goroutine N [running]:}, function
 * and {@code \t/file.go:12 +0x1d} lines). A Lambda writes each line of a stack trace as its own CloudWatch event; fed
 * one by one they come out as one record again.
 *
 * <p>The joined record is a copy of its first line's record (same eventId, coordinates, times) with the lines joined
 * by {@code \n}. A record never grows beyond {@code maxLines} lines or {@code maxBytes} UTF-8 bytes: a line that would
 * exceed either starts the next record instead (counted in {@link #splitRecords()}). A record the source marked with
 * an error passes through on its own.
 *
 * <p>Use: one joiner per stream (key the stream by log stream or file). Feed every record to {@link #offer}, which
 * returns the records it completed; at the end of a bounded input call {@link #flush}; in a streaming job register a
 * timer and call {@link #flushIfIdle} so the last event of a quiet stream is not held back. {@link #pending} and
 * {@link #restore} move the one buffered record in and out of checkpointed state. Not thread-safe.
 */
public final class MultilineJoiner {
    public static final int DEFAULT_MAX_LINES = 500;
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    public static final long DEFAULT_FLUSH_TIMEOUT_MS = 2_000;

    private enum Mode {
        PLAIN,
        /** Inside a Python traceback's frames. */
        PYTHON,
        /** After a traceback's final line: only chaining text may follow. */
        PYTHON_DONE,
        /** After "During handling of the above exception...": a new Traceback line continues the record. */
        PYTHON_CHAINED,
        GO
    }

    private final int maxLines;
    private final int maxBytes;
    private final long flushTimeoutMs;

    private RawLog pending;
    /** The pending record's first line, without its line end. */
    private String firstLine;
    /**
     * The joined lines once a continuation came; null while the record is one line, which is almost always: such a
     * record is kept and handed on as it came, with no copy and no counting.
     */
    private StringBuilder text;
    /** Lines and UTF-8 bytes of {@link #text}; only counted once there is one. */
    private int lines;
    private int bytes;
    private long lastActivity;
    private Mode mode = Mode.PLAIN;
    private long splitRecords;

    public MultilineJoiner() {
        this(DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES, DEFAULT_FLUSH_TIMEOUT_MS);
    }

    public MultilineJoiner(int maxLines, int maxBytes, long flushTimeoutMs) {
        if (maxLines < 1 || maxBytes < 1 || flushTimeoutMs < 0) {
            throw new IllegalArgumentException("maxLines and maxBytes must be positive, flushTimeoutMs not negative");
        }
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.flushTimeoutMs = flushTimeoutMs;
    }

    /** Takes the next record of the stream; returns the records this one completed (usually none or one). */
    public List<RawLog> offer(RawLog record) {
        long now = record.receiveTime != 0 ? record.receiveTime : System.currentTimeMillis();
        if (record.error != null || record.text == null) {
            List<RawLog> out = new ArrayList<>(2);
            if (pending != null) {
                out.add(complete());
            }
            out.add(record);
            return out;
        }
        String line = stripLineEnd(record.text);
        if (pending != null && isContinuation(line)) {
            int lineBytes = Storable.utf8Length(line) + 1;
            int lineCount = countLines(line);
            if (text == null) {
                text = new StringBuilder(Math.min(firstLine.length() + line.length() + 256, maxBytes));
                text.append(firstLine);
                lines = countLines(firstLine);
                bytes = Storable.utf8Length(firstLine);
            }
            if (lines + lineCount <= maxLines && bytes + lineBytes <= maxBytes) {
                text.append('\n').append(line);
                lines += lineCount;
                bytes += lineBytes;
                lastActivity = now;
                return Collections.emptyList();
            }
            splitRecords++;
        }
        RawLog done = pending != null ? complete() : null;
        start(record, line, now);
        return done == null ? Collections.emptyList() : Collections.singletonList(done);
    }

    /** Ends the input: returns the buffered record, if any. */
    public List<RawLog> flush() {
        return pending == null ? Collections.emptyList() : Collections.singletonList(complete());
    }

    /** Returns the buffered record when nothing was added to it for the flush timeout. */
    public List<RawLog> flushIfIdle(long now) {
        if (pending != null && now - lastActivity >= flushTimeoutMs) {
            return flush();
        }
        return Collections.emptyList();
    }

    /** When {@link #flushIfIdle} would flush the buffered record; {@code Long.MAX_VALUE} when there is none. */
    public long nextFlushTime() {
        return pending == null ? Long.MAX_VALUE : lastActivity + flushTimeoutMs;
    }

    /** The buffered record as it stands (text joined so far), for checkpointed state; null when none. */
    public RawLog pending() {
        if (pending == null) {
            return null;
        }
        return withText(pending, joinedText());
    }

    /** Puts back a record taken with {@link #pending} after a restore; the mode is worked out from its lines. */
    public void restore(RawLog buffered) {
        pending = null;
        text = null;
        mode = Mode.PLAIN;
        if (buffered == null) {
            return;
        }
        if (buffered.text.indexOf('\n') < 0) {
            start(buffered, buffered.text, buffered.receiveTime);
            return;
        }
        String[] parts = buffered.text.split("\n", -1);
        start(buffered, parts[0], buffered.receiveTime);
        text = new StringBuilder(Math.min(buffered.text.length() + 256, maxBytes)).append(parts[0]);
        lines = 1;
        bytes = Storable.utf8Length(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            isContinuation(parts[i]); // replays the mode transitions
            text.append('\n').append(parts[i]);
            lines++;
            bytes += Storable.utf8Length(parts[i]) + 1;
        }
    }

    public boolean hasPending() {
        return pending != null;
    }

    /** How many times a record hit the line or byte limit and its next line started a new record. */
    public long splitRecords() {
        return splitRecords;
    }

    private void start(RawLog record, String line, long now) {
        pending = record;
        firstLine = line;
        text = null;
        lastActivity = now;
        mode = startMode(line);
    }

    private RawLog complete() {
        RawLog joined = withText(pending, joinedText());
        pending = null;
        firstLine = null;
        text = null;
        mode = Mode.PLAIN;
        return joined;
    }

    private String joinedText() {
        return text == null ? firstLine : text.toString();
    }

    /** The record itself when its text already is {@code joinedText}, else a copy: a caller's record never changes. */
    private static RawLog withText(RawLog record, String joinedText) {
        if (joinedText.equals(record.text)) {
            return record;
        }
        RawLog copy = RawLogSerializer.INSTANCE.copy(record);
        copy.text = joinedText;
        return copy;
    }

    private static Mode startMode(String line) {
        if (line.startsWith("Traceback (most recent call last):")) {
            return Mode.PYTHON;
        }
        if (line.startsWith("panic: ") || line.startsWith("fatal error: ")) {
            return Mode.GO;
        }
        // Lambda's Python runtime writes "[ERROR] KeyError: 'id'\nTraceback ..." as one event, complete in itself.
        return Mode.PLAIN;
    }

    /** Whether {@code line} continues the buffered record; updates the mode as tracebacks progress. */
    private boolean isContinuation(String line) {
        if (isJavaFrame(line)) {
            return true;
        }
        switch (mode) {
            case PYTHON:
                if (startsWithSpace(line) || line.isEmpty()) {
                    return true;
                }
                if (isPythonExceptionLine(line)) {
                    mode = Mode.PYTHON_DONE; // the exception line ends the traceback
                    return true;
                }
                return false; // a traceback cut short, e.g. by Lambda's END line
            case PYTHON_DONE:
            case PYTHON_CHAINED:
                if (line.isEmpty()) {
                    return true;
                }
                if (line.startsWith("During handling of the above exception")
                        || line.startsWith("The above exception was the direct cause")) {
                    mode = Mode.PYTHON_CHAINED;
                    return true;
                }
                if (mode == Mode.PYTHON_CHAINED && line.startsWith("Traceback (most recent call last):")) {
                    mode = Mode.PYTHON;
                    return true;
                }
                return false;
            case GO:
                return isGoPanicLine(line);
            default:
                return false;
        }
    }

    private static boolean isJavaFrame(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i > 0 && line.startsWith("at ", i)) {
            return true;
        }
        if (line.startsWith("Caused by: ", i) || line.startsWith("Suppressed: ", i)) {
            return true;
        }
        if (i > 0 && line.startsWith("... ", i)) {
            int j = i + 4;
            int d = j;
            while (j < n && line.charAt(j) >= '0' && line.charAt(j) <= '9') {
                j++;
            }
            return j > d && (line.startsWith(" more", j) || line.startsWith(" common frames omitted", j));
        }
        return false;
    }

    /** {@code KeyError: 'id'}, {@code module.CustomError: text}, {@code KeyboardInterrupt}: a dotted name, then a colon. */
    private static boolean isPythonExceptionLine(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == '.')) {
            i++;
        }
        return i > 0 && (i == n || line.charAt(i) == ':');
    }

    private static boolean isGoPanicLine(String line) {
        if (line.isEmpty() || startsWithSpace(line)) {
            return true;
        }
        return line.startsWith("goroutine ") || line.startsWith("created by ") || line.startsWith("[signal ")
                || line.startsWith("exit status ") || line.startsWith("panic(") || line.endsWith(")")
                || line.startsWith("\t");
    }

    private static boolean startsWithSpace(String line) {
        return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
    }

    private static String stripLineEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static int countLines(String s) {
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }

}

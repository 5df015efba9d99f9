package io.logflow.source.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.decode.CloudWatchDecoder;
import io.logflow.decode.DecodeResult;
import io.logflow.decode.GzipMembersInputStream;
import io.logflow.model.Failure;
import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.Storable;
import io.logflow.parse.multiline.MultilineJoiner;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads one uploaded file into records, whatever it holds: plain lines (text, NDJSON), a JSON array of objects,
 * CloudWatch envelopes delivered by Firehose, and gzip, zip and tar containers of any of these, nested. The kind is
 * told by the content (magic bytes), never by the name.
 *
 * <p>Never throws: a limit breach or a damaged stream becomes a record with {@link RawLog#error} set, which the parse
 * step turns into a failure. Where such a record holds only part of its input (an over-long line, the damaged part
 * of a file), {@link RawLog#fileBytes} is the input's full size. Everything read before the damage is emitted first.
 * The sequence of records is deterministic, so a restore can skip what was emitted.
 *
 * <p>Nothing is extracted to disk: archive entry names (even {@code ../../x}) are only labels in the coordinates.
 */
final class UploadReader {
    static final String LINE_TOO_LONG = "line_too_long";
    static final String TRUNCATED = "truncated_file";
    static final String CORRUPT = "corrupt_file";
    static final String DECOMPRESSED_TOO_LARGE = "decompressed_too_large";
    static final String TOO_MANY_ENTRIES = "too_many_entries";
    static final String NESTING_TOO_DEEP = "nesting_too_deep";
    static final String INVALID_JSON_ARRAY = "invalid_json_array";

    private static final int SNIFF_BYTES = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UploadFile file;
    private final UploadLimits limits;
    private final long receiveTime;
    private final CloudWatchDecoder cloudWatch;
    private final JsonFactory jsonFactory;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private long decompressed;
    private boolean overBudget;
    /** Why reading stopped before the end of the file, or null. */
    private String stopReason;
    private long recordsEmitted;

    UploadReader(InputStream in, UploadFile file, UploadLimits limits, int failureMaxRawBytes, long receiveTime) {
        this.file = file;
        this.limits = limits;
        this.receiveTime = receiveTime;
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, limits.maxDecompressedBytes);
        this.cloudWatch = new CloudWatchDecoder(cap, failureMaxRawBytes);
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(limits.maxLineBytes)
                        .maxNestingDepth(64)
                        .build())
                .build();
        try {
            openContent(in, 0, null);
        } catch (IOException e) {
            stopReason = isTruncation(e) ? TRUNCATED : CORRUPT;
            frames.push(new ProblemFrame(problem(null, 0, stopReason, "cannot be read: " + e)));
        }
    }

    /** Records emitted so far, problems included. */
    long recordsEmitted() {
        return recordsEmitted;
    }

    /** The reason reading stopped before the end of the file (a damaged stream, a bomb), or null. */
    String stopReason() {
        return stopReason;
    }

    /** The next record, or null when the file is done. */
    RawLog next() {
        while (!frames.isEmpty()) {
            RawLog record;
            try {
                record = frames.peek().next();
            } catch (IOException | RuntimeException e) {
                if (overBudget) { // archive readers may wrap our exception; the flag says what happened
                    frames.clear();
                    stopReason = DECOMPRESSED_TOO_LARGE;
                    record = problem(null, 0, DECOMPRESSED_TOO_LARGE, "decompressed content exceeds the limit of "
                            + limits.maxDecompressedBytes + " bytes; the rest of the file was skipped");
                    recordsEmitted++;
                    return record;
                }
                // A damaged stream: nothing after this point of the file can be trusted.
                Frame broken = frames.peek();
                frames.clear();
                stopReason = isTruncation(e) ? TRUNCATED : CORRUPT;
                record = problem(broken.entry, broken.position() + 1, stopReason, "reading stopped: " + e);
                broken.describeDamage(record);
            }
            if (record == CONTINUE) {
                continue;
            }
            if (record == null) {
                frames.pop();
                continue;
            }
            recordsEmitted++;
            return record;
        }
        return null;
    }

    /** Looks at the first bytes of {@code in} and pushes the frame that reads that kind of content. */
    private void openContent(InputStream raw, int depth, String entry) throws IOException {
        // Pushback, not BufferedInputStream: the latter keeps reading while an inflater reports available bytes and
        // drops what it read when the cut of a truncated file throws; pushback makes one underlying read per call.
        PushbackInputStream pushback = new PushbackInputStream(raw, SNIFF_BYTES);
        byte[] head = new byte[SNIFF_BYTES];
        int n = 0;
        IOException damage = null;
        while (n < SNIFF_BYTES) {
            int r;
            try {
                r = pushback.read(head, n, SNIFF_BYTES - n);
            } catch (IOException e) {
                damage = e;
                break;
            }
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (damage != null && n == 0) {
            throw damage; // nothing readable: the caller stops the file
        }
        pushback.unread(head, 0, n);
        // a stream damaged within its first bytes (a small cut file) still hands them out, then fails
        InputStream in = damage == null ? pushback : new FailingAfter(pushback, n, damage);
        ContentKind kind = ContentKind.sniff(head, n);
        if (kind.isContainer() && depth >= limits.maxDepth) {
            frames.push(new ProblemFrame(problem(entry, 0, NESTING_TOO_DEEP,
                    kind + " at depth " + (depth + 1) + " exceeds the limit of " + limits.maxDepth)));
            return;
        }
        switch (kind) {
            case GZIP:
                // Reads concatenated members (Firehose), hands out what it inflated before a cut, so a truncated file
                // keeps its readable lines, and reports a cut or damaged last member (the JDK's reader drops it).
                openContent(counted(new GzipMembersInputStream(in, 64 * 1024)), depth + 1, entry);
                break;
            case ZIP:
                frames.push(new ArchiveFrame(new ZipArchiveInputStream(in), depth + 1, entry));
                break;
            case TAR:
                frames.push(new ArchiveFrame(new TarArchiveInputStream(in), depth + 1, entry));
                break;
            case JSON_ARRAY:
                frames.push(new JsonArrayFrame(jsonFactory.createParser(in), entry));
                break;
            case CLOUDWATCH:
                frames.push(new CloudWatchFrame(in, entry));
                break;
            default:
                frames.push(new LinesFrame(new BoundedLineReader(in, limits.maxLineBytes), entry));
        }
    }

    private RawLog record(String entry, long position, String text) {
        RawLog raw = RawLog.fileLine(file.path, file.version, entry, position, text, receiveTime);
        raw.routingKey = file.routingKey;
        raw.service = file.service;
        raw.sourceTime = file.pathDate;
        return raw;
    }

    private RawLog problem(String entry, long position, String reason, String detail) {
        RawLog raw = record(entry, position, "");
        raw.error = reason;
        raw.errorDetail = Storable.text(detail);
        return raw;
    }

    private static boolean isTruncation(Throwable e) {
        return e instanceof java.io.EOFException
                || (e.getMessage() != null && e.getMessage().toLowerCase().contains("truncated"));
    }

    private InputStream counted(InputStream decompressor) {
        return new FilterInputStream(decompressor) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int r = super.read(buf, off, len);
                if (r > 0) {
                    add(r);
                }
                return r;
            }
        };
    }

    private void add(long bytes) throws IOException {
        decompressed += bytes;
        if (decompressed > limits.maxDecompressedBytes) {
            overBudget = true;
            throw new IOException("decompressed content exceeds the limit of " + limits.maxDecompressedBytes
                    + " bytes");
        }
    }

    private static String join(String parent, String name) {
        return parent == null ? name : parent + "!" + name;
    }

    /** Returned by a frame that changed the stack instead of producing a record. */
    private static final RawLog CONTINUE = new RawLog();

    /** One level of the file being read: lines, a JSON array, an archive... */
    private abstract static class Frame {
        /** Entry name inside archives ({@code a.zip!b.log}), null at the top of the file. */
        final String entry;

        Frame(String entry) {
            this.entry = entry;
        }

        /** The next record, {@link #CONTINUE}, or null when this frame is exhausted. */
        abstract RawLog next() throws IOException;

        /** How far this frame got: where a failure that stops it is numbered. */
        abstract long position();

        /** Gives the failure that stops this frame the raw bytes and size of the damaged part, where it knows them. */
        void describeDamage(RawLog problem) {}
    }

    private static final class ProblemFrame extends Frame {
        private RawLog problem;

        ProblemFrame(RawLog problem) {
            super(problem.entry);
            this.problem = problem;
        }

        @Override
        RawLog next() {
            RawLog out = problem;
            problem = null;
            return out;
        }

        @Override
        long position() {
            return 0;
        }
    }

    /**
     * Lines of text, with the lines of one event (a stack trace, a traceback, a panic) joined into one record that
     * keeps the first line's number. When the stream breaks, what was buffered is emitted before the failure.
     */
    private final class LinesFrame extends Frame {
        private final BoundedLineReader lines;
        private final MultilineJoiner joiner = new MultilineJoiner();
        private final ArrayDeque<RawLog> ready = new ArrayDeque<>();
        private long line;
        private boolean eof;
        private IOException broken;

        LinesFrame(BoundedLineReader lines, String entry) {
            super(entry);
            this.lines = lines;
        }

        @Override
        RawLog next() throws IOException {
            while (ready.isEmpty()) {
                if (broken != null) {
                    throw broken;
                }
                if (eof) {
                    return null;
                }
                String text;
                try {
                    text = lines.readLine();
                } catch (IOException e) {
                    broken = e;
                    ready.addAll(joiner.flush());
                    continue;
                }
                if (text == null) {
                    eof = true;
                    ready.addAll(joiner.flush());
                    continue;
                }
                line++;
                RawLog raw = record(entry, line, text);
                if (lines.lastLineTooLong()) {
                    raw.error = LINE_TOO_LONG;
                    raw.fileBytes = lines.lastLineBytes(); // the text is its first maxLineBytes
                    raw.errorDetail = "line of " + lines.lastLineBytes() + " bytes exceeds the limit of "
                            + limits.maxLineBytes;
                }
                ready.addAll(joiner.offer(raw));
            }
            return ready.poll();
        }

        @Override
        long position() {
            return line;
        }
    }

    /** {@code [ {...}, {...} ]}: each element is one record, numbered like a line. */
    private final class JsonArrayFrame extends Frame {
        private final JsonParser parser;
        private long index;
        private boolean started;

        JsonArrayFrame(JsonParser parser, String entry) {
            super(entry);
            this.parser = parser;
        }

        @Override
        RawLog next() throws IOException {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("expected a JSON array");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new java.io.EOFException("JSON array is truncated");
            }
            if (token == JsonToken.END_ARRAY) {
                return null;
            }
            index++;
            String text = token.isScalarValue() ? parser.getText() : JSON.readTree(parser).toString();
            return record(entry, index, text);
        }

        @Override
        long position() {
            return index;
        }
    }

    /**
     * Concatenated CloudWatch envelopes as Firehose writes them, decoded envelope by envelope: the envelopes before a
     * damaged part keep their events, the damaged part becomes one failure with its raw bytes and size, and reading
     * stops there (the file is FAILED with that reason).
     */
    private final class CloudWatchFrame extends Frame {
        private final CloudWatchDecoder.EnvelopeStream envelopes;
        private DecodeResult decoded;
        private int nextEvent;
        private int nextFailure;
        private int controls;
        /** Failures emitted so far: each is numbered by its count, like a line. */
        private long failures;

        CloudWatchFrame(InputStream in, String entry) throws IOException {
            super(entry);
            this.envelopes = cloudWatch.envelopes(in, receiveTime);
        }

        @Override
        RawLog next() throws IOException {
            while (true) {
                if (decoded != null) {
                    if (nextEvent < decoded.events().size()) {
                        RawLog event = decoded.events().get(nextEvent++);
                        // CloudWatch coordinates identify the event; the file's are kept so its upload row counts it,
                        // and it is routed by the file's path like the file's other records (so counted where they are)
                        event.path = file.path;
                        event.version = file.version;
                        event.routingKey = file.routingKey;
                        return event;
                    }
                    if (nextFailure < decoded.failures().size()) {
                        Failure f = decoded.failures().get(nextFailure++);
                        failures++;
                        RawLog raw = problem(entry, failures, f.reason, f.detail);
                        raw.text = f.raw == null ? "" : new String(f.raw, StandardCharsets.UTF_8);
                        raw.fileBytes = f.rawSize;
                        if (envelopes.stoppedEarly()) {
                            stopReason = f.reason; // the damaged part: nothing after it was read
                        }
                        return raw;
                    }
                    if (controls < decoded.controlMessages()) {
                        controls++;
                        RawLog control = RawLog.fileMarker(Marker.CLOUDWATCH_CONTROL, file.path, file.version,
                                receiveTime);
                        control.routingKey = file.routingKey;
                        return control;
                    }
                }
                try {
                    decoded = envelopes.next();
                } catch (IOException e) {
                    if (CloudWatchDecoder.exceededCap(e)) {
                        overBudget = true;
                    }
                    throw e;
                }
                if (decoded == null) {
                    return null;
                }
                nextEvent = 0;
                nextFailure = 0;
                controls = 0;
            }
        }

        @Override
        long position() {
            return failures;
        }

        @Override
        void describeDamage(RawLog problem) {
            problem.text = new String(envelopes.damagedRaw(), StandardCharsets.UTF_8);
            problem.fileBytes = envelopes.damagedBytes();
        }
    }

    /** Zip or tar: each regular entry is opened as content of its own, one level deeper. */
    private final class ArchiveFrame extends Frame {
        private final ArchiveInputStream<?> archive;
        private final int depth;
        private int entries;

        ArchiveFrame(ArchiveInputStream<?> archive, int depth, String entry) {
            super(entry);
            this.archive = archive;
            this.depth = depth;
        }

        @Override
        RawLog next() throws IOException {
            ArchiveEntry e;
            do {
                e = archive.getNextEntry();
            } while (e != null && e.isDirectory());
            if (e == null) {
                return null;
            }
            if (++entries > limits.maxEntries) {
                frames.pop(); // the rest of this archive is skipped
                frames.push(new ProblemFrame(problem(entry, 0, TOO_MANY_ENTRIES,
                        "archive has more than " + limits.maxEntries + " entries; the rest were skipped")));
                return CONTINUE;
            }
            InputStream content = archive.canReadEntryData(e) ? counted(archive) : null;
            String name = join(entry, Storable.text(e.getName())); // a label in refs and ids, stored as it is
            if (content == null) {
                frames.push(new ProblemFrame(problem(name, 0, CORRUPT, "entry data cannot be read (encrypted or "
                        + "an unsupported compression method)")));
            } else {
                openContent(new NonClosing(content), depth, name);
            }
            return CONTINUE;
        }

        @Override
        long position() {
            return entries;
        }
    }

    /** Hands out the first {@code n} bytes of a stream that failed while they were read, then that failure. */
    private static final class FailingAfter extends FilterInputStream {
        private final IOException failure;
        private long left;

        FailingAfter(InputStream in, long n, IOException failure) {
            super(in);
            this.left = n;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw failure;
            }
            left--;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                throw failure;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r < 0) {
                throw failure;
            }
            left -= r;
            return r;
        }
    }

    /** An entry's view of its archive stream: reading it must never close the archive. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}

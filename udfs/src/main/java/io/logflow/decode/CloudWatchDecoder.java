package io.logflow.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Decodes CloudWatch Logs subscription payloads: gzip-compressed JSON envelopes
 * {@code {"messageType","owner","logGroup","logStream","subscriptionFilters","logEvents":[{"id","timestamp","message"}]}}
 * into one {@link RawLog} per log event. Never throws on bad input.
 *
 * <p>What becomes what:
 * <ul>
 *   <li>each log event of a DATA_MESSAGE → an event; a bad entry (missing or mistyped id, timestamp, message) → a
 *       {@code bad_log_event} failure, the other entries of its envelope still go through;</li>
 *   <li>a CONTROL_MESSAGE → counted in {@link DecodeResult#controlMessages()}, nothing emitted;</li>
 *   <li>an envelope with a missing field, a mistyped field or an unknown messageType → one failure for the envelope;</li>
 *   <li>a payload that is not gzip, is truncated or corrupt, inflates past the cap, or is not JSON → one failure for
 *       the whole payload and no events from it, since nothing in a damaged stream can be trusted. Size comes first:
 *       a payload that inflates past the cap is {@code decompressed_too_large} whatever it holds, even when its first
 *       bytes are already not JSON (the rest is inflated up to the cap to tell).</li>
 * </ul>
 *
 * <p>Kinesis records hold one envelope. Firehose writes many records into one S3 object: concatenated gzip members,
 * or (with decompression on) concatenated JSON objects. Both forms decode here: {@link GzipMembersInputStream} reads
 * every member and the JSON parser reads root values one after another. A file source reads such an object envelope
 * by envelope with {@link #envelopes}, so the envelopes before a damaged part keep their events.
 *
 * <p>The strings it puts in events (owner, log group and stream, CloudWatch id, routing key) and failure details are
 * {@link Storable}; messages are left to the parse step.
 *
 * <p>Decoding streams: the parser reads from a capped gunzip stream, so memory stays bounded by the cap even for a
 * gzip bomb. Not thread-safe; a Flink operator keeps one instance.
 */
public final class CloudWatchDecoder {
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024;

    public static final String DATA_MESSAGE = "DATA_MESSAGE";
    public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

    /**
     * Failures listed one by one per payload; past this, one more failure counts the rest, so a payload of a million
     * tiny broken entries or envelopes cannot turn into a million failure objects (each with a copy of raw bytes).
     */
    static final int MAX_FAILURES_PER_PAYLOAD = 100;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int maxDecompressedBytes;
    private final int maxRawBytes;
    private final JsonFactory json;
    private final MessageDigest md5;
    private final DecodeResult result = new DecodeResult();

    // State of the payload being decoded; reset by each decode call.
    private byte[] payload;
    private long receiveTime;
    private String payloadRef;
    /** Failures of the payload so far, listed or counted in {@link #overflow}. */
    private int failureCount;
    /** The failure that stands for all failures past the limit, or null. */
    private Failure overflow;
    /** Bad entries of the envelope being read: they count only if the envelope turns out to be a valid DATA_MESSAGE. */
    private final ArrayList<Failure> pendingEntries = new ArrayList<>();
    /** Bad entries of the envelope past those kept in {@link #pendingEntries}: only counted, with the last detail. */
    private int pendingExtra;
    private String pendingExtraDetail;
    /** The envelope stream being read, or null while decoding a whole payload. */
    private EnvelopeStream streaming;

    /**
     * @param maxDecompressedBytes cap on the bytes one payload may inflate to
     * @param maxRawBytes bytes of raw input kept with a failure
     */
    public CloudWatchDecoder(int maxDecompressedBytes, int maxRawBytes) {
        if (maxDecompressedBytes <= 0 || maxRawBytes < 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must be positive, maxRawBytes not negative");
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxRawBytes = maxRawBytes;
        // The cap is the real limit on a string's length; Jackson's own default (20 MB) must not undercut it.
        int maxString = Math.max(maxDecompressedBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN);
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxString).build())
                .build();
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by the JDK specification", e);
        }
    }

    public CloudWatchDecoder() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES, 8192);
    }

    /**
     * Decodes one gzip-compressed payload (a Kinesis record, or a whole Firehose object in compressed form).
     *
     * @param receiveTime epoch millis at which logflow received the payload; stored in each event and failure
     * @return the decoder's reused result, valid until the next call
     */
    public DecodeResult decode(byte[] payload, long receiveTime) {
        start(payload, receiveTime);
        if (payload == null || payload.length < 2
                || (payload[0] & 0xff) != 0x1f || (payload[1] & 0xff) != 0x8b) {
            payloadFailure(DecodeReasons.NOT_GZIP, payload == null || payload.length == 0
                    ? "empty record" : "does not start with the gzip magic bytes 1f 8b");
            return result;
        }
        CappedInputStream capped = null;
        try (GzipMembersInputStream gunzip = new GzipMembersInputStream(new ByteArrayInputStream(payload), 8192)) {
            capped = new CappedInputStream(gunzip, maxDecompressedBytes);
            try {
                readEnvelopes(capped);
            } catch (Exception e) {
                streamFailure(sizeFirst(e, capped));
            }
        } catch (Exception e) {
            streamFailure(e);
        } finally {
            result.decompressedBytes = capped == null ? 0 : capped.count();
        }
        return result;
    }

    /**
     * Decodes envelopes that are already uncompressed (a Firehose object written with decompression on, or one the
     * file source has already un-gzipped). The same cap applies to its length.
     */
    public DecodeResult decodeUncompressed(byte[] jsonBytes, long receiveTime) {
        start(jsonBytes, receiveTime);
        CappedInputStream capped = new CappedInputStream(
                new ByteArrayInputStream(jsonBytes == null ? new byte[0] : jsonBytes), maxDecompressedBytes);
        try {
            readEnvelopes(capped);
        } catch (Exception e) {
            streamFailure(sizeFirst(e, capped));
        } finally {
            result.decompressedBytes = capped.count();
        }
        return result;
    }

    /**
     * Reads concatenated envelopes that are already uncompressed (the Firehose form) from a stream, one envelope at a
     * time: for the upload source, which must not hold a whole file in memory and must keep the envelopes before a
     * damaged part. The cap applies to the whole stream. One stream at a time per decoder.
     */
    public EnvelopeStream envelopes(InputStream in, long receiveTime) throws IOException {
        return new EnvelopeStream(in, receiveTime);
    }

    /** Whether reading stopped because the decompressed bytes passed this decoder's cap. */
    public static boolean exceededCap(Throwable e) {
        return e instanceof CappedInputStream.CapExceededException
                || (e != null && e.getCause() instanceof CappedInputStream.CapExceededException);
    }

    /** Envelopes read one by one from a stream; see {@link #envelopes}. */
    public final class EnvelopeStream {
        private final DamageWindow window;
        private final JsonParser parser;
        private final long receiveTime;
        private int envelopeIndex;
        private boolean done;
        private boolean stoppedEarly;

        private EnvelopeStream(InputStream in, long receiveTime) throws IOException {
            this.window = new DamageWindow(new CappedInputStream(in, maxDecompressedBytes), maxRawBytes);
            this.parser = json.createParser(window);
            this.parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller owns the stream
            this.receiveTime = receiveTime;
        }

        /**
         * Decodes the next envelope into the decoder's result (valid until the next call), or returns null at the end.
         *
         * <p>Invalid JSON ends the stream, since nothing after it can be told apart: the result then holds one
         * {@code invalid_json} failure for the damaged part, from the end of the last complete envelope to the end of
         * the input (read to its end to count it); its raw bytes are the part's first {@code maxRawBytes} and its
         * {@code rawSize} the part's true size. {@link #stoppedEarly()} then says so.
         *
         * @throws IOException when the input itself fails (a cut or damaged compressed stream below, the cap; see
         *     {@link #exceededCap}), also while the rest is read after invalid JSON: nothing of the envelope being read
         *     is in the result, and {@link #damagedRaw()} and {@link #damagedBytes()} describe what was read of it.
         */
        public DecodeResult next() throws IOException {
            if (done) {
                return null;
            }
            start(null, receiveTime);
            streaming = this;
            payloadRef = "cloudwatch:stream";
            int index = envelopeIndex;
            try {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    done = true;
                    return null;
                }
                readRootValue(parser, token, index);
                envelopeIndex++;
                window.startPart(parser.currentLocation().getByteOffset());
                return result;
            } catch (JsonProcessingException e) {
                done = true;
                stoppedEarly = true;
                drain(window);
                result.clear();
                failureCount = 0;
                overflow = null;
                pendingEntries.clear();
                pendingExtra = 0;
                Failure f = failure(DecodeReasons.INVALID_JSON,
                        "envelope " + index + ": " + abbreviate(e.getOriginalMessage()),
                        payloadRef + "/" + index, window.part(window.position()));
                f.rawSize = sizeOf(damagedBytes());
                report(f);
                return result;
            } catch (IOException | RuntimeException e) {
                done = true;
                throw e;
            }
        }

        /** Whether the stream ended at invalid JSON rather than at the end of its input. */
        public boolean stoppedEarly() {
            return stoppedEarly;
        }

        /** The first raw bytes (at most {@code maxRawBytes}) read since the last complete envelope. */
        public byte[] damagedRaw() {
            return window.part(window.position());
        }

        /** Bytes read since the last complete envelope. */
        public long damagedBytes() {
            return window.position() - window.partStart();
        }
    }

    /**
     * Passes a stream through and keeps the first bytes (at most {@code maxPart}) of the part that starts at a given
     * offset: the raw bytes of a damaged envelope. The JSON parser reads ahead, so a part starts behind the read
     * position: the last bytes read are kept in a ring from which the part is filled.
     */
    private static final class DamageWindow extends FilterInputStream {
        /** More than the JSON parser ever reads ahead of the token it returns (8,000 bytes). */
        private static final int TAIL = 64 * 1024;
        private final byte[] tail = new byte[TAIL];
        private final byte[] part;
        private int partLength;
        private long partStart;
        private long position;

        DamageWindow(InputStream in, int maxPart) {
            super(in);
            this.part = new byte[maxPart];
        }

        long position() {
            return position;
        }

        long partStart() {
            return partStart;
        }

        /** Starts a new part at {@code offset} (at most {@link #TAIL} bytes behind the read position). */
        void startPart(long offset) {
            long from = Math.max(offset, position - TAIL);
            partStart = offset;
            partLength = (int) Math.min(Math.max(0, position - from), part.length);
            for (int i = 0; i < partLength; i++) {
                part[i] = tail[(int) ((from + i) % TAIL)];
            }
        }

        /** The kept bytes of the current part up to {@code end}. */
        byte[] part(long end) {
            return Arrays.copyOf(part, (int) Math.min(partLength, Math.max(0, end - partStart)));
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                keep(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] skipped = new byte[(int) Math.min(n, 8192)];
            int r = read(skipped, 0, skipped.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void keep(byte[] b, int off, int n) {
            int room = part.length - partLength;
            if (room > 0) {
                int copy = Math.min(room, n);
                System.arraycopy(b, off, part, partLength, copy);
                partLength += copy;
            }
            int from = n > TAIL ? off + n - TAIL : off;
            long at = position + (from - off);
            int count = off + n - from;
            while (count > 0) {
                int slot = (int) (at % TAIL);
                int chunk = Math.min(count, TAIL - slot);
                System.arraycopy(b, from, tail, slot, chunk);
                from += chunk;
                at += chunk;
                count -= chunk;
            }
            position += n;
        }
    }

    private void start(byte[] input, long time) {
        result.clear();
        payload = input;
        receiveTime = time;
        payloadRef = null;
        failureCount = 0;
        overflow = null;
        streaming = null;
    }

    /**
     * What to report for a payload whose reading stopped with {@code e}: size and the compressed stream come before
     * what the bytes hold. After invalid JSON the rest is inflated (never past the cap) to tell a bomb or a cut-off
     * gzip whose first bytes are already not JSON (1 GiB of zeros is invalid JSON at its first byte).
     */
    private static Exception sizeFirst(Exception e, InputStream rest) {
        if (!(e instanceof JsonProcessingException)) {
            return e;
        }
        try {
            drain(rest);
        } catch (IOException streamError) {
            return streamError;
        }
        return e;
    }

    /** Reads {@code in} to its end (or to its failure). */
    private static long drain(InputStream in) throws IOException {
        byte[] skip = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(skip, 0, skip.length)) >= 0) {
            total += n;
        }
        return total;
    }

    private void readEnvelopes(InputStream in) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // after invalid JSON the rest is still read (sizeFirst)
            int envelopeIndex = 0;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                readRootValue(p, token, envelopeIndex);
                envelopeIndex++;
            }
            if (envelopeIndex == 0) {
                payloadFailure(DecodeReasons.INVALID_JSON, "no JSON value in the payload");
            }
        }
    }

    /** Reads one root value (an envelope, or a failure for anything else) and leaves the parser on its last token. */
    private void readRootValue(JsonParser p, JsonToken token, int envelopeIndex) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            readEnvelope(p, envelopeIndex);
        } else {
            p.skipChildren();
            envelopeFailure(envelopeIndex, DecodeReasons.INVALID_ENVELOPE,
                    "expected a JSON object, found " + describe(token));
        }
    }

    /** Reads one envelope; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private void readEnvelope(JsonParser p, int envelopeIndex) throws IOException {
        int firstEvent = result.events.size();
        pendingEntries.clear();
        pendingExtra = 0;
        String messageType = null;
        String owner = null;
        String logGroup = null;
        String logStream = null;
        boolean sawLogEvents = false;
        String typeProblem = null;

        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "messageType":
                case "owner":
                case "logGroup":
                case "logStream":
                    if (value == JsonToken.VALUE_STRING) {
                        String text = p.getText();
                        if (field.equals("messageType")) {
                            messageType = text;
                        } else if (field.equals("owner")) {
                            owner = text;
                        } else if (field.equals("logGroup")) {
                            logGroup = text;
                        } else {
                            logStream = text;
                        }
                    } else if (value != JsonToken.VALUE_NULL) {
                        typeProblem = field + ": expected a string, found " + describe(value);
                        p.skipChildren();
                    }
                    break;
                case "logEvents":
                    if (value == JsonToken.START_ARRAY) {
                        sawLogEvents = true;
                        readLogEvents(p, envelopeIndex);
                    } else if (value != JsonToken.VALUE_NULL) {
                        typeProblem = "logEvents: expected an array, found " + describe(value);
                        p.skipChildren();
                    }
                    break;
                default:
                    // Lenient: subscriptionFilters, policyLevel and whatever AWS adds next are not ours to judge.
                    p.skipChildren();
            }
        }

        String problemReason = null;
        String problem = null;
        if (typeProblem != null) {
            problemReason = DecodeReasons.INVALID_ENVELOPE;
            problem = typeProblem;
        } else if (messageType == null) {
            problemReason = DecodeReasons.MISSING_FIELD;
            problem = "messageType is missing";
        } else if (CONTROL_MESSAGE.equals(messageType)) {
            result.controlMessages++;
            dropEvents(firstEvent);
            return;
        } else if (!DATA_MESSAGE.equals(messageType)) {
            problemReason = DecodeReasons.UNKNOWN_MESSAGE_TYPE;
            problem = "messageType '" + abbreviate(messageType) + "' is neither DATA_MESSAGE nor CONTROL_MESSAGE";
        } else {
            String missing = firstMissing(owner, logGroup, logStream, sawLogEvents);
            if (missing != null) {
                problemReason = DecodeReasons.MISSING_FIELD;
                problem = missing + " is missing or empty";
            }
        }
        if (problem != null) {
            dropEvents(firstEvent);
            String where = logGroup != null ? " (logGroup " + abbreviate(logGroup) + ")" : "";
            envelopeFailure(envelopeIndex, problemReason, problem + where);
            return;
        }

        result.dataMessages++;
        for (Failure f : pendingEntries) {
            report(f);
        }
        if (pendingExtra > 0) {
            countOverflow(pendingExtra, DecodeReasons.BAD_LOG_EVENT, pendingExtraDetail);
        }
        pendingEntries.clear();
        // They reach the uploads, events and failures tables as they are: made storable here, once.
        owner = Storable.text(owner);
        logGroup = Storable.text(logGroup);
        logStream = Storable.text(logStream);
        String routingKey = owner + "/" + logGroup;
        for (int i = firstEvent; i < result.events.size(); i++) {
            RawLog e = result.events.get(i);
            e.owner = owner;
            e.logGroup = logGroup;
            e.logStream = logStream;
            e.routingKey = routingKey;
            e.cloudwatchId = Storable.text(e.cloudwatchId);
            e.eventId = EventIds.of("cloudwatch", owner, logGroup, e.cloudwatchId);
        }
    }

    private static String firstMissing(String owner, String logGroup, String logStream, boolean sawLogEvents) {
        if (owner == null || owner.isEmpty()) {
            return "owner";
        } else if (logGroup == null || logGroup.isEmpty()) {
            return "logGroup";
        } else if (logStream == null || logStream.isEmpty()) {
            return "logStream";
        } else if (!sawLogEvents) {
            return "logEvents";
        }
        return null;
    }

    /**
     * Reads the entries of logEvents into events whose envelope coordinates are filled in once the envelope is known
     * to be valid (its fields may come in any order). The parser is on START_ARRAY and is left on END_ARRAY.
     */
    private void readLogEvents(JsonParser p, int envelopeIndex) throws IOException {
        int index = 0;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                entryFailure(envelopeIndex, index, "expected an object, found " + describe(token), null, null, null);
                index++;
                continue;
            }
            String id = null;
            Long timestamp = null;
            String message = null;
            String problem = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id":
                        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
                            id = p.getText();
                        } else {
                            problem = "id: expected a string, found " + describe(value);
                        }
                        break;
                    case "timestamp":
                        timestamp = readMillis(p, value);
                        if (timestamp == null) {
                            problem = "timestamp: expected epoch milliseconds, found " + describe(value);
                        }
                        break;
                    case "message":
                        if (value == JsonToken.VALUE_STRING) {
                            message = p.getText();
                        } else {
                            problem = "message: expected a string, found " + describe(value);
                        }
                        break;
                    default:
                        // extractedFields and anything else: not needed, the parse step reads the message itself.
                        break;
                }
                p.skipChildren();
            }
            if (problem == null) {
                if (id == null || id.isEmpty()) {
                    problem = "id is missing or empty";
                } else if (timestamp == null) {
                    problem = "timestamp is missing";
                } else if (message == null) {
                    problem = "message is missing";
                }
            }
            if (problem != null) {
                entryFailure(envelopeIndex, index, problem, id, timestamp, message);
            } else {
                RawLog e = new RawLog();
                e.source = SourceKind.CLOUDWATCH;
                e.cloudwatchId = id;
                e.sourceTime = timestamp;
                e.text = message;
                e.receiveTime = receiveTime;
                result.events.add(e);
            }
            index++;
        }
    }

    /** Epoch millis from an integer or a numeric string (lenient), else null. */
    private static Long readMillis(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? p.getLongValue() : null;
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void dropEvents(int from) {
        result.events.subList(from, result.events.size()).clear();
        pendingEntries.clear();
        pendingExtra = 0;
    }

    private void streamFailure(Exception e) {
        String reason;
        Throwable cause = e;
        if (e instanceof CappedInputStream.CapExceededException
                || e.getCause() instanceof CappedInputStream.CapExceededException) {
            reason = DecodeReasons.DECOMPRESSED_TOO_LARGE;
            cause = e instanceof CappedInputStream.CapExceededException ? e : e.getCause();
        } else if (e instanceof JsonProcessingException) {
            reason = DecodeReasons.INVALID_JSON;
        } else if (e instanceof EOFException) {
            reason = DecodeReasons.TRUNCATED_GZIP;
        } else if (e instanceof ZipException) {
            reason = DecodeReasons.CORRUPT_GZIP;
        } else if (e instanceof IOException) {
            reason = DecodeReasons.CORRUPT_GZIP;
        } else {
            reason = DecodeReasons.DECODE_ERROR;
        }
        String detail = cause instanceof JsonProcessingException
                ? ((JsonProcessingException) cause).getOriginalMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        result.events.clear();
        result.failures.clear();
        result.dataMessages = 0;
        result.controlMessages = 0;
        failureCount = 0;
        overflow = null;
        payloadFailure(reason, abbreviate(detail));
    }

    private void payloadFailure(String reason, String detail) {
        report(reason, detail, payloadRef(), payload);
    }

    private void envelopeFailure(int envelopeIndex, String reason, String detail) {
        String ref = payloadRef() + "/" + envelopeIndex;
        if (streaming == null) {
            report(reason, detail, ref, payload);
            return;
        }
        // From a stream, the raw bytes are the envelope's own (its first maxRawBytes), with its true size.
        long end = streaming.parser.currentLocation().getByteOffset();
        Failure f = failure(reason, detail, ref, streaming.window.part(end));
        f.rawSize = sizeOf(end - streaming.window.partStart());
        report(f);
    }

    private static int sizeOf(long bytes) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, bytes));
    }

    private void entryFailure(
            int envelopeIndex, int entryIndex, String detail, String id, Long timestamp, String message) {
        detail = "log event " + entryIndex + ": " + detail;
        // An envelope cannot list more than a payload may; the rest of its bad entries are only counted.
        if (pendingEntries.size() < MAX_FAILURES_PER_PAYLOAD) {
            String ref = payloadRef() + "/" + envelopeIndex + "/" + entryIndex;
            pendingEntries.add(failure(DecodeReasons.BAD_LOG_EVENT, detail, ref, entryJson(id, timestamp, message)));
        } else {
            pendingExtra++;
            pendingExtraDetail = detail;
        }
    }

    private void report(String reason, String detail, String ref, byte[] raw) {
        if (failureCount < MAX_FAILURES_PER_PAYLOAD) {
            report(failure(reason, detail, ref, raw));
        } else {
            countOverflow(1, reason, detail);
        }
    }

    private void report(Failure f) {
        if (failureCount < MAX_FAILURES_PER_PAYLOAD) {
            failureCount++;
            result.failures.add(f);
        } else {
            countOverflow(1, f.reason, f.detail);
        }
    }

    private void countOverflow(int n, String reason, String detail) {
        failureCount += n;
        if (overflow == null) {
            overflow = failure(reason, "", payloadRef() + "/more", null);
            result.failures.add(overflow);
        }
        overflow.detail = Storable.text((failureCount - MAX_FAILURES_PER_PAYLOAD) + " more failures in this payload, "
                + "not listed one by one; the last: " + reason + ": " + detail);
    }

    /** The fields of a bad entry that were read, as JSON: the raw bytes kept with its failure. */
    private static byte[] entryJson(String id, Long timestamp, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", id);
        node.put("timestamp", timestamp);
        node.put("message", message);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Failure failure(String reason, String detail, String sourceRef, byte[] raw) {
        return Failure.ofPayload(FailureStage.DECODE, reason, Storable.text(detail), SourceKind.CLOUDWATCH, sourceRef,
                raw, maxRawBytes, receiveTime);
    }

    /**
     * {@code cloudwatch:payload/<md5 of the bytes>}: deterministic, so a re-read payload gives the same failure ids,
     * and a producer's retry of the same bytes is recognised as the same failure. Computed only when a failure needs it.
     */
    private String payloadRef() {
        if (payloadRef == null) {
            byte[] digest = md5.digest(payload == null ? new byte[0] : payload);
            char[] hex = new char[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            payloadRef = "cloudwatch:payload/" + new String(hex);
        }
        return payloadRef;
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.name();
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return Storable.text(s.length() <= 200 ? s : Storable.truncate(s, 200) + "...");
    }
}

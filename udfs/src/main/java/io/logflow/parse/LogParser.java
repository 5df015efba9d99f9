package io.logflow.parse;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import io.logflow.parse.format.AccessLogFormat;
import io.logflow.parse.format.ApacheErrorFormat;
import io.logflow.parse.format.CefFormat;
import io.logflow.parse.format.FormatParser;
import io.logflow.parse.format.JsonFormat;
import io.logflow.parse.format.KlogFormat;
import io.logflow.parse.format.LambdaFormat;
import io.logflow.parse.format.LogfmtFormat;
import io.logflow.parse.format.NginxErrorFormat;
import io.logflow.parse.format.ParseContext;
import io.logflow.parse.format.SyslogFormat;
import io.logflow.parse.format.TextFormat;
import io.logflow.parse.format.VpcFlowFormat;
import io.logflow.parse.redact.Redactor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns one raw record into a structured {@link LogEvent}. Never throws on bad input: every record gives an event, a
 * failure with a reason code, or a skip. Not thread-safe; an operator keeps one instance.
 *
 * <p>The format is detected per line ({@link LogFormat#AUTO}) unless {@link ParserOptions} forces one for the record's
 * routing key. Detection order: JSON, syslog, CEF, klog/glog, Apache and nginx error logs, Lambda, VPC flow, access
 * log, logfmt, and text as the fallback; each is tried only after a check of a few characters at fixed positions. A
 * forced format that does not match gives a {@code format_mismatch} failure. ANSI escape sequences (terminal colours)
 * are removed before detection, so they reach neither the message nor the fields. Secrets are redacted from the
 * message and the fields before the event is returned.
 */
public final class LogParser {
    /** Kept for callers of the first version; same values as {@link LogFields}. */
    public static final String FORMAT_JSON = LogFields.FORMAT_JSON;
    public static final String FORMAT_TEXT = LogFields.FORMAT_TEXT;

    public static final String REASON_INVALID_JSON = JsonFormat.REASON_INVALID_JSON;
    public static final String REASON_BLANK_LINE = "blank_line";
    public static final String REASON_LINE_TOO_LONG = "line_too_long";
    public static final String REASON_FORMAT_MISMATCH = "format_mismatch";
    public static final String REASON_PARSER_ERROR = "parser_error";
    public static final String REASON_NULL_RECORD = "null_record";

    private static final String LAMBDA_GROUP_PREFIX = "/aws/lambda/";

    private final ParserOptions options;
    private final ParseContext ctx;
    private final Redactor redactor;
    /**
     * Whether {@link #complete} passes a timestamp's text as a scanner accepted it
     * ({@link ParseContext#putTimestampText}) without the redaction and storable scans: it has nothing the built-in
     * rules redact and is storable, but a configured key or pattern could still match it.
     */
    private final boolean passTimestampText;
    /** Scratch for {@link #complete}: whether a string of the event had to be made storable. */
    private boolean sanitized;
    /** Names of the identifiers {@link #identifier} cut in the event being completed, or null. */
    private String truncated;
    /**
     * Field keys found storable, by content: a two-way table indexed by the key's hash code, which the field map has
     * already computed. Keys repeat from line to line (the format parsers' constants, Jackson's interned
     * names), so most are proven storable by one identity or {@code equals} test instead of a scan.
     */
    private final String[] storableKeys = new String[KEY_SLOTS];
    private static final int KEY_SLOTS = 1024;
    /**
     * The last instance of each of the record's coordinates found storable, by {@code COORD_*}: records of one payload,
     * file or topic share their log group, stream, routing key, path..., so an identity test stands in for a scan (of
     * the event's coordinates and of those its source reference is made of, {@link #storableSourceRef}).
     */
    private final String[] storableCoordinates = new String[7];
    private static final int COORD_PATH = 0;
    private static final int COORD_ENTRY = 1;
    private static final int COORD_OWNER = 2;
    private static final int COORD_TOPIC = 3;
    private static final int COORD_GROUP = 4;
    private static final int COORD_STREAM = 5;
    private static final int COORD_ROUTING_KEY = 6;

    private final JsonFormat json = new JsonFormat();
    private final SyslogFormat syslog = new SyslogFormat();
    private final LambdaFormat lambda = new LambdaFormat();
    private final VpcFlowFormat vpc = new VpcFlowFormat();
    private final KlogFormat klog = new KlogFormat();
    private final NginxErrorFormat nginxError = new NginxErrorFormat();
    private final ApacheErrorFormat apacheError = new ApacheErrorFormat();
    private final CefFormat cef = new CefFormat();
    private final AccessLogFormat access = new AccessLogFormat();
    private final LogfmtFormat logfmt = new LogfmtFormat();
    private final TextFormat text = new TextFormat();

    public LogParser() {
        this(ParserOptions.defaults());
    }

    public LogParser(ParserOptions options) {
        this.options = options;
        this.ctx = new ParseContext(options);
        this.redactor = new Redactor(options.redaction);
        this.passTimestampText = !redactor.isEnabled() || redactor.hasOnlyBuiltInRules();
    }

    public ParserOptions options() {
        return options;
    }

    public ParseOutcome parse(RawLog raw) {
        if (raw == null) {
            return ParseOutcome.failure(REASON_NULL_RECORD, "no record");
        }
        if (raw.error != null) {
            return ParseOutcome.failure(raw.error, raw.errorDetail); // the source could not read it properly
        }
        String line = raw.text;
        if (line == null || line.isBlank()) {
            return ParseOutcome.skip(REASON_BLANK_LINE);
        }
        if (line.length() > options.maxLineChars) {
            return ParseOutcome.failure(REASON_LINE_TOO_LONG,
                    line.length() + " characters, more than the maximum of " + options.maxLineChars);
        }
        try {
            String clean = AnsiEscapes.strip(line).strip();
            if (clean.isEmpty()) {
                return ParseOutcome.skip(REASON_BLANK_LINE);
            }
            return parseLine(raw, clean);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug, not bad input; the record still gets a verdict and the job keeps running.
            return ParseOutcome.failure(REASON_PARSER_ERROR, e.toString());
        }
    }

    private ParseOutcome parseLine(RawLog raw, String line) {
        long receiveTime = raw.receiveTime != 0 ? raw.receiveTime : System.currentTimeMillis();
        ctx.reset(receiveTime);
        LogEvent event = new LogEvent();
        // Filled to 16 before it grows: a JSON or VPC record's 13-14 attributes no longer pay a resize and rehash.
        event.fields = new HashMap<>(16, 1f);
        event.timestamp = Timestamps.NONE;

        LogFormat format = options.formatFor(raw.routingKey);
        boolean matched = format == LogFormat.AUTO ? detect(line, event) : attempt(parserFor(format), line, event);
        if (!matched) {
            return ParseOutcome.failure(REASON_FORMAT_MISMATCH, "not a " + format + " line");
        }
        if (ctx.failureReason != null) {
            return ParseOutcome.failure(ctx.failureReason, ctx.failureDetail);
        }
        if (ctx.skipReason != null) {
            return ParseOutcome.skip(ctx.skipReason);
        }
        complete(event, raw);
        return ParseOutcome.event(event);
    }

    private boolean detect(String line, LogEvent event) {
        if (JsonFormat.looksLikeJson(line)) {
            return attempt(json, line, event);
        }
        if (SyslogFormat.looksLikeSyslog(line) && attempt(syslog, line, event)) {
            return true;
        }
        char c = line.charAt(0);
        if (c == 'C' && CefFormat.looksLikeCef(line) && attempt(cef, line, event)) {
            return true;
        }
        if (KlogFormat.looksLikeKlog(line) && attempt(klog, line, event)) {
            return true;
        }
        if (c == '[' && ApacheErrorFormat.looksLikeApacheError(line) && attempt(apacheError, line, event)) {
            return true;
        }
        if (c >= '0' && c <= '9' && NginxErrorFormat.looksLikeNginxError(line) && attempt(nginxError, line, event)) {
            return true;
        }
        if ((c == 'S' || c == 'E' || c == 'R' || c == 'I' || c == '[' || (c >= '0' && c <= '9') && line.indexOf('\t') > 0)
                && attempt(lambda, line, event)) {
            return true;
        }
        if (VpcFlowFormat.looksLikeVpc(line) && attempt(vpc, line, event)) { // not a text line's "2024-06-15 ..."
            return true;
        }
        if ((line.indexOf('[') > 0 || line.indexOf(" - ") >= 0) && AccessLogFormat.looksLikeAccess(line)
                && attempt(access, line, event)) {
            return true;
        }
        if (line.indexOf('=') > 0 && attempt(logfmt, line, event)) {
            return true;
        }
        return attempt(text, line, event);
    }

    /** Runs one format parser; on a miss, clears what it left in the event so the next one starts clean. */
    private boolean attempt(FormatParser parser, String line, LogEvent event) {
        if (parser.parse(line, event, ctx)) {
            return true;
        }
        event.fields.clear();
        event.timestamp = Timestamps.NONE;
        event.level = null;
        event.message = null;
        event.service = null;
        event.traceId = null;
        event.spanId = null;
        event.requestId = null;
        event.durationMs = null;
        event.format = null;
        ctx.reset(ctx.receiveTime);
        return false;
    }

    private FormatParser parserFor(LogFormat format) {
        switch (format) {
            case JSON:
                return json;
            case LOGFMT:
                return logfmt;
            case SYSLOG:
                return syslog;
            case ACCESS:
                return access;
            case LAMBDA:
                return lambda;
            case VPC_FLOW:
                return vpc;
            case KLOG:
            case GLOG:
                return klog;
            case NGINX_ERROR:
                return nginxError;
            case APACHE_ERROR:
                return apacheError;
            case CEF:
                return cef;
            case TEXT:
                return text;
            default:
                throw new IllegalArgumentException("no parser for " + format);
        }
    }

    /**
     * Source coordinates, defaults for what the line did not say, redaction, and the storable boundary: every string
     * of the event leaves here storable in PostgreSQL and Elasticsearch (NUL and unpaired surrogates become U+FFFD, see
     * {@link Storable}), and {@link LogFields#SANITIZED} says when one was not. A failure's detail is made storable by
     * {@link ParseOutcome#failure}. A clean event costs one scan per string and no copy.
     */
    private void complete(LogEvent event, RawLog raw) {
        event.eventId = raw.eventId;
        event.ingestTime = raw.receiveTime;
        event.source = raw.source;
        event.sourceRef = raw.sourceRef();
        event.routingKey = raw.routingKey;
        event.logGroup = raw.logGroup;
        event.logStream = raw.logStream;
        if (event.timestamp == Timestamps.NONE) {
            // The line has no time of its own: say where the event's time came from.
            // The source's time is trusted only when plausible: a crafted upload could carry any number, and one
            // out of the database's range would fail every batch it is in.
            if (raw.sourceTime != 0 && Timestamps.isPlausible(raw.sourceTime)) {
                event.timestamp = raw.sourceTime;
                event.fields.put(LogFields.TIMESTAMP_SOURCE, raw.source == SourceKind.UPLOAD
                        ? LogFields.TIMESTAMP_FROM_PATH : LogFields.TIMESTAMP_FROM_SOURCE);
            } else {
                event.timestamp = raw.receiveTime;
                event.fields.put(LogFields.TIMESTAMP_SOURCE, LogFields.TIMESTAMP_FROM_INGEST);
            }
        }
        if (event.level == null) {
            event.level = Level.INFO;
        }
        if (event.service == null) {
            event.service = raw.service; // what the source knows (an upload's path), when the line names none
        }
        if (event.service == null && raw.logGroup != null && raw.logGroup.startsWith(LAMBDA_GROUP_PREFIX)) {
            event.service = raw.logGroup.substring(LAMBDA_GROUP_PREFIX.length());
        }
        sanitized = false;
        boolean redact = redactor.isEnabled();
        String timestampText = passTimestampText ? ctx.timestampText : null;
        List<String[]> renamed = null;
        for (Iterator<Map.Entry<String, String>> it = event.fields.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> f = it.next();
            String key = f.getKey();
            String v = f.getValue();
            String out = v;
            boolean keyChecked = false;
            if (v != null) {
                out = Storable.truncate(v, options.maxValueChars); // the message is never cut, attributes are
                if (v == timestampText && key == LogFields.ORIGINAL_TIMESTAMP) {
                    keyChecked = true; // out is storable, cut or not (ParseContext#putTimestampText)
                } else if (redact) {
                    out = redactor.redactValue(key, out);
                    out = redactor.returnedStorable() ? out : storable(out); // its scan covered storability
                    keyChecked = redactor.keyWasStorable(); // its table of key verdicts covered the key
                } else {
                    out = storable(out);
                }
            }
            String cleanKey = keyChecked ? key : storableKey(key);
            if (cleanKey != key) {
                it.remove(); // put back under its clean name below, once every storable key holds its own
                if (renamed == null) {
                    renamed = new ArrayList<>(2);
                }
                renamed.add(new String[] {key, cleanKey, out});
            } else if (out != v) {
                f.setValue(out);
            }
        }
        if (redact) {
            event.message = redactor.redact(event.message);
            event.message = redactor.returnedStorable() ? event.message : storable(event.message);
        } else {
            event.message = storable(event.message);
        }
        truncated = null;
        event.service = identifier(storable(event.service), "service");
        event.logGroup = identifier(storableCoordinateValue(event.logGroup, COORD_GROUP), "log_group");
        event.logStream = identifier(storableCoordinateValue(event.logStream, COORD_STREAM), "log_stream");
        event.traceId = identifier(storable(event.traceId), "trace_id");
        event.spanId = identifier(storable(event.spanId), "span_id");
        event.requestId = identifier(storable(event.requestId), "request_id");
        if (truncated != null) {
            event.fields.put(LogFields.TRUNCATED, truncated);
        }
        event.sourceRef = storableSourceRef(raw, event.sourceRef);
        event.routingKey = storableCoordinateValue(event.routingKey, COORD_ROUTING_KEY);
        // event.format needs no check: every format parser sets it to one of its ASCII string constants.
        if (sanitized) {
            event.fields.put(LogFields.SANITIZED, "true");
        }
        if (renamed != null) {
            putRenamed(event.fields, renamed);
        }
    }

    /**
     * {@code ref}, the record's source reference, storable. {@link RawLog#sourceRef} joins the source's coordinates
     * with ASCII punctuation and numbers, so it is storable when each string coordinate in it is; those repeat from
     * record to record of a file, payload or topic, and are proven storable by identity with their last clean
     * instance. Only a reference with a coordinate not proven so is scanned (StorableEventsTest puts NUL and a lone
     * surrogate in every coordinate of every source kind).
     */
    private String storableSourceRef(RawLog raw, String ref) {
        boolean clean;
        if (raw.source == SourceKind.UPLOAD) {
            clean = storableCoordinate(raw.path, COORD_PATH) && storableCoordinate(raw.entry, COORD_ENTRY);
        } else if (raw.source == SourceKind.CLOUDWATCH) {
            clean = storableCoordinate(raw.owner, COORD_OWNER) && storableCoordinate(raw.logGroup, COORD_GROUP)
                    && storableCoordinate(raw.logStream, COORD_STREAM) && Storable.isStorable(raw.cloudwatchId);
        } else if (raw.source == SourceKind.KAFKA) {
            clean = storableCoordinate(raw.topic, COORD_TOPIC);
        } else {
            clean = false;
        }
        return clean ? ref : storable(ref);
    }

    /** {@link #storable} for a coordinate, without a scan when it is the coordinate's last storable instance. */
    private String storableCoordinateValue(String s, int coordinate) {
        return storableCoordinate(s, coordinate) ? s : storable(s);
    }

    /** Whether {@code s} is null or storable; remembers it in {@link #storableCoordinates} when it is. */
    private boolean storableCoordinate(String s, int coordinate) {
        if (s == null || s == storableCoordinates[coordinate]) {
            return true;
        }
        if (!Storable.isStorable(s)) {
            return false;
        }
        storableCoordinates[coordinate] = s;
        return true;
    }

    /** {@code s} cut to {@link LogFields#MAX_IDENTIFIER_CHARS}; notes {@code name} in {@link #truncated} if it was. */
    private String identifier(String s, String name) {
        if (s == null || s.length() <= LogFields.MAX_IDENTIFIER_CHARS) {
            return s;
        }
        truncated = truncated == null ? name : truncated + "," + name;
        return Storable.truncate(s, LogFields.MAX_IDENTIFIER_CHARS);
    }

    /**
     * {@link #storable} for a field key, answered from {@link #storableKeys} when an equal string was storable.
     */
    private String storableKey(String key) {
        int h = key.hashCode();
        int slot = (h ^ (h >>> 16)) & (KEY_SLOTS - 1);
        String known = storableKeys[slot];
        String other = storableKeys[slot ^ 1];
        if (known == key || other == key || key.equals(known) || key.equals(other)) {
            return key;
        }
        String out = storable(key);
        if (out == key) {
            storableKeys[known == null ? slot : slot ^ 1] = key; // two ways: a pair of keys that collide both stay
        }
        return out;
    }

    /** {@code s} made storable; notes in {@link #sanitized} when that changed it. */
    private String storable(String s) {
        String out = Storable.text(s);
        if (out != s) {
            sanitized = true;
        }
        return out;
    }

    /**
     * Puts back the fields whose keys were cleaned ({@code {original, clean, value}}), in the order of their original
     * keys; one whose clean key is taken gets the first free {@code <key>#2}, {@code <key>#3}... (see
     * {@link LogFields#SANITIZED}). The order does not depend on the map's, so the same line gives the same fields.
     */
    private static void putRenamed(Map<String, String> fields, List<String[]> renamed) {
        if (renamed.size() > 1) {
            renamed.sort((a, b) -> a[0].compareTo(b[0]));
        }
        for (String[] r : renamed) {
            String key = r[1];
            for (int n = 2; fields.containsKey(key); n++) {
                key = r[1] + LogFields.RENAMED_KEY_SEPARATOR + n;
            }
            fields.put(key, r[2]);
        }
    }
}

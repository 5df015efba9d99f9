package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * Picks the event's core attributes out of a flat key/value record (JSON flattened with dotted keys, or logfmt) by the
 * aliases common log libraries use. Aliases are tried in order; the first that parses wins and is removed from the
 * fields (the timestamp's text is kept as {@link LogFields#ORIGINAL_TIMESTAMP}).
 */
public final class FieldRoles {
    static final String[] TIMESTAMP = {"timestamp", "@timestamp", "time", "ts", "timeMillis", "datetime", "eventTime"};
    static final String[] LEVEL = {"level", "severity", "lvl", "loglevel", "log.level", "levelname", "level_name",
        "severity_text", "@level"};
    static final String[] MESSAGE = {"message", "msg", "@message", "log.message", "log", "event"};
    static final String[] SERVICE = {"service", "service.name", "serviceName", "service_name", "app", "application",
        "context.functionName", "function_name"};
    static final String[] TRACE = {"traceId", "trace_id", "trace.id", "traceID", "dd.trace_id", "otelTraceID",
        "logging.googleapis.com/trace"};
    static final String[] SPAN = {"spanId", "span_id", "span.id", "spanID", "dd.span_id", "otelSpanID"};
    static final String[] REQUEST = {"requestId", "request_id", "req.id", "reqId", "req_id", "requestID",
        "awsRequestId", "aws_request_id", "context.awsRequestId", "x-request-id", "x-amzn-requestid"};
    static final String[] DURATION = {"processingTimeMs", "durationMs", "duration_ms", "duration", "latencyMs",
        "latency_ms", "latency", "responseTimeMs", "response_time", "responseTime", "elapsed_ms", "elapsed", "took",
        "time_taken"};
    /** Error messages used as the message when a record has none. */
    static final String[] ERROR_MESSAGE = {"err.message", "error.message", "error"};

    private static final String AMZN_TRACE = "x-amzn-trace-id";
    static final int G_TIMESTAMP = 1;
    static final int G_LEVEL = 1 << 1;
    static final int G_MESSAGE = 1 << 2;
    static final int G_SERVICE = 1 << 3;
    static final int G_TRACE = 1 << 4;
    static final int G_SPAN = 1 << 5;
    static final int G_REQUEST = 1 << 6;
    static final int G_DURATION = 1 << 7;
    static final int G_ERROR = 1 << 8;
    /** Alias to its role's bit: one lookup per attribute tells which alias lists are worth trying. */
    private static final Map<String, Integer> ROLE_GROUPS = new java.util.HashMap<>();

    static {
        String[][] groups = {TIMESTAMP, LEVEL, MESSAGE, SERVICE, TRACE, SPAN, REQUEST, DURATION, ERROR_MESSAGE};
        for (int g = 0; g < groups.length; g++) {
            for (String alias : groups[g]) {
                ROLE_GROUPS.merge(alias, 1 << g, (a, b) -> a | b);
            }
        }
    }

    /** The role bits of this key (0 when it is no alias). */
    static int roleGroups(String key) {
        Integer g = ROLE_GROUPS.get(key);
        return g == null ? 0 : g;
    }

    /** Whether an attribute key is (or ends with) the X-Ray trace header. */
    static boolean isAmznTraceKey(String k) {
        int n = AMZN_TRACE.length();
        return k.length() >= n && (k.charAt(k.length() - 1) == 'd' || k.charAt(k.length() - 1) == 'D')
                && k.regionMatches(true, k.length() - n, AMZN_TRACE, 0, n)
                && (k.length() == n || k.charAt(k.length() - n - 1) == '.');
    }

    private FieldRoles() {}

    /** Fills the event's core attributes from {@code fields}, removing what it used. */
    public static void apply(Map<String, String> fields, LogEvent event, ParseContext ctx) {
        int present = ctx.roleGroups;
        for (int k = 0; (present & G_TIMESTAMP) != 0 && k < TIMESTAMP.length; k++) {
            String key = TIMESTAMP[k];
            String v = fields.get(key);
            long ts = v == null ? Timestamps.NONE : Timestamps.parse(v);
            if (ts != Timestamps.NONE) {
                event.timestamp = ts;
                fields.remove(key);
                ctx.putTimestampText(fields, v); // Timestamps.parse took all of it, whitespace aside
                break;
            }
        }
        boolean numericLevel = false;
        for (int k = 0; (present & G_LEVEL) != 0 && k < LEVEL.length; k++) {
            String key = LEVEL[k];
            String v = fields.get(key);
            Level level = v == null ? null : Levels.fromName(v);
            if (level != null) {
                event.level = level;
                numericLevel = !v.isEmpty() && v.charAt(0) >= '0' && v.charAt(0) <= '9';
                fields.remove(key);
                break;
            }
        }
        event.message = (present & G_MESSAGE) != 0 ? take(fields, MESSAGE) : null;
        event.service = (present & G_SERVICE) != 0 ? take(fields, SERVICE) : null;
        if (event.service == null && numericLevel && fields.containsKey("pid") && fields.get("name") != null) {
            event.service = fields.remove("name"); // pino and bunyan name the logger (the app) "name"
        }
        event.traceId = (present & G_TRACE) != 0 ? take(fields, TRACE) : null;
        event.spanId = (present & G_SPAN) != 0 ? take(fields, SPAN) : null;
        event.requestId = (present & G_REQUEST) != 0 ? take(fields, REQUEST) : null;
        if ((event.requestId == null || event.traceId == null) && ctx.amznTraceKey != null) {
            String amzn = fields.get(ctx.amznTraceKey);
            if (amzn != null) {
                if (event.requestId == null) {
                    event.requestId = amzn;
                }
                if (event.traceId == null) {
                    event.traceId = xrayRoot(amzn);
                }
            }
        }
        for (int k = 0; (present & G_DURATION) != 0 && k < DURATION.length; k++) {
            String key = DURATION[k];
            String v = fields.get(key);
            double ms = v == null ? Double.NaN : parseDurationMs(v);
            if (!Double.isNaN(ms)) {
                event.durationMs = ms;
                fields.remove(key);
                break;
            }
        }
        if (event.message == null && (present & G_ERROR) != 0) {
            for (String key : ERROR_MESSAGE) {
                String v = fields.get(key);
                if (v != null && !v.isEmpty()) {
                    event.message = v; // kept in fields too: it is an attribute of the error
                    break;
                }
            }
        }
    }

    /**
     * A duration in milliseconds: a bare number is millis; a number with a unit ({@code ns}, {@code us}, {@code µs},
     * {@code ms}, {@code s}, {@code m}) is converted. NaN when it is not a duration.
     */
    public static double parseDurationMs(String v) {
        int n = v.length();
        int i = 0;
        while (i < n && v.charAt(i) == ' ') {
            i++;
        }
        int numStart = i;
        boolean dot = false;
        while (i < n && ((v.charAt(i) >= '0' && v.charAt(i) <= '9') || (v.charAt(i) == '.' && !dot))) {
            dot |= v.charAt(i) == '.';
            i++;
        }
        if (i == numStart || i - numStart > 24 || (i - numStart == 1 && dot)) {
            return Double.NaN;
        }
        double value = Double.parseDouble(v.substring(numStart, i));
        int unitStart = i;
        while (i < n && v.charAt(i) == ' ') {
            i++;
        }
        String unit = v.substring(i).trim();
        switch (unit) {
            case "":
                return unitStart == n ? value : Double.NaN;
            case "ms":
                return value;
            case "s":
            case "sec":
                return value * 1000d;
            case "m":
            case "min":
                return value * 60_000d;
            case "us":
            case "µs":
                return value / 1000d;
            case "ns":
                return value / 1_000_000d;
            default:
                return Double.NaN;
        }
    }

    /** {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=...} gives {@code 1-5759e988-bd862e3fe1be46a994272793}. */
    static String xrayRoot(String header) {
        int root = header.indexOf("Root=");
        if (root < 0) {
            return null;
        }
        int end = header.indexOf(';', root);
        return header.substring(root + 5, end < 0 ? header.length() : end);
    }

    private static String take(Map<String, String> fields, String[] aliases) {
        for (String key : aliases) {
            String v = fields.get(key);
            if (v != null && !v.isEmpty()) {
                fields.remove(key);
                return v;
            }
        }
        return null;
    }

}

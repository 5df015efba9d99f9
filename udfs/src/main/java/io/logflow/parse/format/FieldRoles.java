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
    private static final java.util.Set<String> ROLE_KEYS = new java.util.HashSet<>();

    static {
        for (String[] aliases : new String[][] {TIMESTAMP, LEVEL, MESSAGE, SERVICE, TRACE, SPAN, REQUEST, DURATION}) {
            java.util.Collections.addAll(ROLE_KEYS, aliases);
        }
    }

    /** Whether this key may become one of the event's core attributes. */
    static boolean isRoleKey(String key) {
        return ROLE_KEYS.contains(key);
    }

    private FieldRoles() {}

    /** Fills the event's core attributes from {@code fields}, removing what it used. */
    public static void apply(Map<String, String> fields, LogEvent event, ParseContext ctx) {
        for (String key : TIMESTAMP) {
            String v = fields.get(key);
            long ts = v == null ? Timestamps.NONE : Timestamps.parse(v);
            if (ts != Timestamps.NONE) {
                event.timestamp = ts;
                fields.remove(key);
                fields.put(LogFields.ORIGINAL_TIMESTAMP, v);
                break;
            }
        }
        boolean numericLevel = false;
        for (String key : LEVEL) {
            String v = fields.get(key);
            Level level = v == null ? null : Levels.fromName(v);
            if (level != null) {
                event.level = level;
                numericLevel = !v.isEmpty() && v.charAt(0) >= '0' && v.charAt(0) <= '9';
                fields.remove(key);
                break;
            }
        }
        event.message = take(fields, MESSAGE);
        event.service = take(fields, SERVICE);
        if (event.service == null && numericLevel && fields.containsKey("pid") && fields.get("name") != null) {
            event.service = fields.remove("name"); // pino and bunyan name the logger (the app) "name"
        }
        event.traceId = take(fields, TRACE);
        event.spanId = take(fields, SPAN);
        event.requestId = take(fields, REQUEST);
        if (event.requestId == null || event.traceId == null) {
            String amzn = findBySuffix(fields, AMZN_TRACE);
            if (amzn != null) {
                if (event.requestId == null) {
                    event.requestId = amzn;
                }
                if (event.traceId == null) {
                    event.traceId = xrayRoot(amzn);
                }
            }
        }
        for (String key : DURATION) {
            String v = fields.get(key);
            double ms = v == null ? Double.NaN : parseDurationMs(v);
            if (!Double.isNaN(ms)) {
                event.durationMs = ms;
                fields.remove(key);
                break;
            }
        }
        if (event.message == null) {
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

    private static String findBySuffix(Map<String, String> fields, String suffix) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String k = e.getKey();
            if (k.length() >= suffix.length()
                    && k.regionMatches(true, k.length() - suffix.length(), suffix, 0, suffix.length())
                    && (k.length() == suffix.length() || k.charAt(k.length() - suffix.length() - 1) == '.')
                    && e.getValue() != null) {
                return e.getValue();
            }
        }
        return null;
    }
}

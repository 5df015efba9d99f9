package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * nginx's error log ({@code ngx_log_error}):
 *
 * <pre>
 * 2024/06/15 11:30:00 [error] 1234#7: *42 open() "/srv/x" failed (2: No such file or directory), client: 10.0.0.1,
 *     server: example.com, request: "GET /x HTTP/1.1", host: "example.com"
 * </pre>
 *
 * (one line). The level is the bracketed word; {@code pid#tid} and the connection number {@code *cid} become
 * {@code pid}, {@code thread_id} and {@code connection_id}. The context nginx appends ({@code , client: ...},
 * {@code server}, {@code request}, {@code upstream}, {@code host}, {@code referrer}) becomes fields
 * ({@code client_ip}, {@code server}, {@code request} with {@code method}/{@code path}/{@code protocol},
 * {@code upstream}, {@code http_host}, {@code referer}) and is cut from the message. The time, local to the server,
 * is read as UTC.
 */
public final class NginxErrorFormat implements FormatParser {
    public static final String FORMAT_NGINX_ERROR = "nginx_error";
    public static final String CONNECTION_ID = "connection_id";
    private static final String CONTEXT_START = ", client: ";

    /** Whether auto-detection should try it: {@code yyyy/mm/dd hh:mm:ss [}. */
    public static boolean looksLikeNginxError(String line) {
        return line.length() > 24 && line.charAt(4) == '/' && line.charAt(7) == '/' && line.charAt(19) == ' '
                && line.charAt(20) == '[';
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (!looksLikeNginxError(line)) {
            return false;
        }
        long ts = Timestamps.scanIso(line, 0, ctx.end);
        if (ts == Timestamps.NONE || ctx.end[0] != 19) {
            return false;
        }
        int n = line.length();
        int close = line.indexOf(']', 21);
        Level level = close > 21 && close < 32 ? Levels.lookup(line, 21, close) : null;
        if (level == null) {
            return false;
        }
        Map<String, String> fields = event.fields;
        event.timestamp = ts;
        event.level = level;
        event.format = FORMAT_NGINX_ERROR;
        ctx.putTimestampText(fields, line.substring(0, 19));
        int i = skipSpaces(line, close + 1);
        // pid#tid:
        int p = digitsEnd(line, i);
        if (p > i && p < n && line.charAt(p) == '#') {
            int t = digitsEnd(line, p + 1);
            if (t > p + 1 && t < n && line.charAt(t) == ':') {
                fields.put("pid", line.substring(i, p));
                fields.put(KlogFormat.THREAD_ID, line.substring(p + 1, t));
                i = skipSpaces(line, t + 1);
            }
        }
        // *cid
        if (i < n && line.charAt(i) == '*') {
            int c = digitsEnd(line, i + 1);
            if (c > i + 1 && (c == n || line.charAt(c) == ' ')) {
                fields.put(CONNECTION_ID, line.substring(i + 1, c));
                i = skipSpaces(line, c);
            }
        }
        int context = line.indexOf(CONTEXT_START, i);
        if (context < 0) {
            event.message = line.substring(Math.min(i, n));
            return true;
        }
        event.message = line.substring(i, context);
        readContext(line, context, fields, ctx);
        return true;
    }

    /** {@code , key: value} pairs, values quoted or up to the next {@code ", "}; stops at what it cannot read. */
    private static void readContext(String line, int i, Map<String, String> fields, ParseContext ctx) {
        int n = line.length();
        while (i + 2 < n && line.charAt(i) == ',' && line.charAt(i + 1) == ' ') {
            int ks = i + 2;
            int ke = line.indexOf(": ", ks);
            if (ke < 0 || ke - ks > 24) {
                return;
            }
            String key = line.substring(ks, ke);
            int vs = ke + 2;
            int ve;
            int next;
            if (vs < n && line.charAt(vs) == '"') {
                ve = line.indexOf('"', vs + 1);
                if (ve < 0) {
                    return;
                }
                next = ve + 1;
                vs++;
            } else {
                ve = line.indexOf(", ", vs);
                ve = ve < 0 ? n : ve;
                next = ve;
            }
            put(key, line.substring(vs, ve), fields, ctx);
            i = next;
        }
    }

    private static void put(String key, String value, Map<String, String> fields, ParseContext ctx) {
        switch (key) {
            case "client":
                fields.put("client_ip", value);
                break;
            case "host":
                fields.put("http_host", value);
                break;
            case "referrer":
                fields.put("referer", value);
                break;
            case "request":
                fields.put("request", value);
                AccessLogFormat.splitRequest(value, fields);
                break;
            default:
                ctx.put(fields, key.replace(' ', '_'), value);
        }
    }

    private static int digitsEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}

package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * Apache/Nginx access logs:
 *
 * <pre>
 * common:   127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326
 * combined: ... 200 2326 "http://referer/" "Mozilla/5.0 ..."
 * </pre>
 *
 * followed optionally by a response time: a decimal number is seconds (nginx {@code $request_time}), an integer is
 * microseconds (Apache {@code %D}); {@code rt=}/{@code request_time=} pairs are seconds. The level follows the status:
 * 5xx ERROR, 4xx WARN, else INFO. The message is the whole line. Any of the standard fields may be a bare {@code -}
 * (omitted). The ingress-nginx {@code upstreaminfo} tail gives {@code request_length}, the duration from
 * {@code $request_time}, {@code upstream_*} fields and the request id.
 */
public final class AccessLogFormat implements FormatParser {
    /** ingress-nginx's default {@code upstreaminfo} format: combined plus request length, time and upstream. */
    public static final String FORMAT_ACCESS_INGRESS = "access_ingress";

    /**
     * Whether {@link #parse} may read the line, from its start alone: three words and then a bare {@code -} or a
     * bracketed time starting {@code [dd/}. Detection asks this before trying the format: a line that only looks like
     * one further on (a text line with a {@code [thread]} and a {@code " - "}) is turned down here, at less cost.
     */
    public static boolean looksLikeAccess(String line) {
        int i = words(line, null);
        if (i < 0) {
            return false;
        }
        if (isDash(line, i)) {
            return true; // no time
        }
        // the time's day and the slash after it, which Timestamps.scanApache requires
        return i + 3 < line.length() && line.charAt(i) == '[' && isDigit(line.charAt(i + 1))
                && isDigit(line.charAt(i + 2)) && line.charAt(i + 3) == '/';
    }

    /**
     * The index after the first three words (client, ident, user), each ended by one space and holding no {@code [};
     * -1 when the line does not start so. Their bounds go to {@code bounds} when it is not null.
     */
    private static int words(String line, int[] bounds) {
        int n = line.length();
        int i = 0;
        for (int t = 0; t < 3; t++) {
            int s = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '[') {
                i++;
            }
            if (i == s || i >= n || line.charAt(i) != ' ') {
                return -1;
            }
            if (bounds != null) {
                bounds[t * 2] = s;
                bounds[t * 2 + 1] = i;
            }
            i++;
        }
        return i;
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        int n = line.length();
        Map<String, String> fields = event.fields;
        // client ident user
        int[] bounds = new int[6];
        int i = words(line, bounds);
        if (i < 0) {
            return false;
        }
        long ts = Timestamps.NONE;
        String tsText = null;
        if (isDash(line, i)) {
            i++; // no time: "-"
        } else {
            if (i >= n || line.charAt(i) != '[') {
                return false;
            }
            ts = Timestamps.scanApache(line, i + 1, ctx.end);
            int close = ts == Timestamps.NONE ? -1 : ctx.end[0];
            if (close < 0 || close >= n || line.charAt(close) != ']') {
                return false;
            }
            tsText = line.substring(i + 1, close);
            i = close + 1;
        }
        if (i + 1 >= n || line.charAt(i) != ' ') {
            return false;
        }
        int rs;
        int re;
        if (isDash(line, i + 1)) {
            rs = i + 1; // no request: "-"
            re = i + 2;
            i = re;
        } else if (line.charAt(i + 1) == '"') {
            rs = i + 2;
            re = quoteEnd(line, rs);
            if (re < 0) {
                return false;
            }
            i = re + 1;
        } else {
            return false;
        }
        // status and bytes
        if (i + 2 > n || line.charAt(i) != ' ') {
            return false;
        }
        i++;
        int ss = i;
        int status = 0;
        if (isDash(line, i)) {
            i++;
        } else {
            while (i < n && isDigit(line.charAt(i))) {
                i++;
            }
            if (i - ss != 3) {
                return false;
            }
            status = Integer.parseInt(line, ss, i, 10);
        }
        if (i >= n || line.charAt(i) != ' ') {
            return false;
        }
        i++;
        int bs = i;
        while (i < n && line.charAt(i) != ' ') {
            i++;
        }
        if (i == bs) {
            return false;
        }
        put(fields, "client_ip", line, bounds[0], bounds[1]);
        put(fields, "ident", line, bounds[2], bounds[3]);
        put(fields, "user", line, bounds[4], bounds[5]);
        if (tsText != null) {
            ctx.putTimestampText(fields, tsText);
            event.timestamp = ts;
        }
        String request = unescape(line, rs, re);
        if (!request.equals("-")) {
            fields.put("request", request);
            splitRequest(request, fields);
        }
        if (status > 0) {
            fields.put("status", line.substring(ss, ss + 3));
        }
        put(fields, "bytes", line, bs, i);
        event.format = LogFields.FORMAT_ACCESS_COMMON;
        // combined: "referer" "user agent", either of them possibly a bare "-"
        int fs = i + 1;
        int fe = fs < n && line.charAt(i) == ' ' ? quotedEnd(line, fs) : -1;
        int ue = fe > 0 && fe + 1 < n && line.charAt(fe) == ' ' ? quotedEnd(line, fe + 1) : -1;
        if (ue > 0) {
            putDash(fields, "referer", unquote(line, fs, fe));
            putDash(fields, "user_agent", unquote(line, fe + 1, ue));
            event.format = LogFields.FORMAT_ACCESS_COMBINED;
            i = ue;
            if (readIngress(line, i, event, ctx)) {
                event.format = FORMAT_ACCESS_INGRESS;
                i = n;
            }
        }
        readTrailer(line, i, event, ctx);
        event.level = status >= 500 ? Level.ERROR : status >= 400 ? Level.WARN : Level.INFO;
        event.message = line;
        return true;
    }

    /** Whatever follows the standard fields: a response time, {@code k=v} pairs, or other text kept as {@code extra}. */
    private static void readTrailer(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int s = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            if (i == s) {
                break;
            }
            int eq = line.indexOf('=', s);
            if (eq > s && eq < i) {
                String key = line.substring(s, eq);
                String value = stripQuotes(line.substring(eq + 1, i));
                if (event.durationMs == null && (key.equals("rt") || key.equals("request_time"))) {
                    double v = FieldRoles.parseDurationMs(value);
                    if (!Double.isNaN(v)) {
                        event.durationMs = v * 1000d;
                        continue;
                    }
                }
                ctx.put(event.fields, key, value);
            } else if (event.durationMs == null && isNumber(line, s, i)) {
                double v = Double.parseDouble(line.substring(s, i));
                boolean seconds = line.indexOf('.', s) >= 0 && line.indexOf('.', s) < i;
                event.durationMs = seconds ? v * 1000d : v / 1000d;
            } else {
                ctx.put(event.fields, "extra", line.substring(s).trim());
                return;
            }
        }
    }

    /**
     * ingress-nginx's {@code upstreaminfo} tail after the combined fields: {@code $request_length $request_time
     * [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
     * $upstream_response_time $upstream_status $req_id}. The upstream values may be lists ({@code a, b} or
     * {@code a : b} after an internal redirect). Writes nothing and returns false when the tail is not that.
     */
    private static boolean readIngress(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        if (i + 1 >= n || line.charAt(i) != ' ') {
            return false;
        }
        int ls = i + 1;
        int le = tokenEnd(line, ls);
        int ts = le + 1;
        int te = ts < n ? tokenEnd(line, ts) : -1;
        if (te < 0 || !(isDash(line, ls) || isNumber(line, ls, le)) || !(isDash(line, ts) || isNumber(line, ts, te))
                || te + 1 >= n || line.charAt(te) != ' ' || line.charAt(te + 1) != '[') {
            return false;
        }
        int ne = line.indexOf(']', te + 2);
        if (ne < 0 || ne + 2 >= n || line.charAt(ne + 1) != ' ' || line.charAt(ne + 2) != '[') {
            return false;
        }
        int ae = line.indexOf(']', ne + 3);
        if (ae < 0) {
            return false;
        }
        // five space-separated values, list continuations joined
        String[] values = new String[5];
        int v = 0;
        int j = ae + 1;
        while (j < n && v < 5) {
            while (j < n && line.charAt(j) == ' ') {
                j++;
            }
            if (j >= n) {
                break;
            }
            int s = j;
            j = tokenEnd(line, j);
            while (j < n && (line.charAt(j - 1) == ',' || line.startsWith(" : ", j))) {
                j = line.charAt(j - 1) == ',' ? tokenEnd(line, j + 1) : tokenEnd(line, j + 3);
            }
            values[v++] = line.substring(s, j);
        }
        if (v < 5 || j < n) {
            return false;
        }
        Map<String, String> fields = event.fields;
        put(fields, "request_length", line, ls, le);
        if (!isDash(line, ts)) {
            event.durationMs = Double.parseDouble(line.substring(ts, te)) * 1000d;
        }
        putDash(fields, "upstream_name", line.substring(te + 2, ne));
        putDash(fields, "upstream_alternative_name", line.substring(ne + 3, ae));
        putDash(fields, "upstream_addr", values[0]);
        putDash(fields, "upstream_response_length", values[1]);
        putDash(fields, "upstream_response_time", values[2]);
        putDash(fields, "upstream_status", values[3]);
        if (!values[4].equals("-")) {
            event.requestId = values[4];
        }
        return true;
    }

    private static int tokenEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    /** A lone {@code -} at {@code i}: followed by a space or the end. */
    private static boolean isDash(String s, int i) {
        return i < s.length() && s.charAt(i) == '-' && (i + 1 == s.length() || s.charAt(i + 1) == ' ');
    }

    /** The index after a quoted value or a bare {@code -} starting at {@code i}; -1 when neither is there. */
    private static int quotedEnd(String s, int i) {
        if (isDash(s, i)) {
            return i + 1;
        }
        if (i < s.length() && s.charAt(i) == '"') {
            int e = quoteEnd(s, i + 1);
            return e < 0 ? -1 : e + 1;
        }
        return -1;
    }

    /** The text of a value {@link #quotedEnd} found at {@code [from, to)}. */
    private static String unquote(String s, int from, int to) {
        return s.charAt(from) == '"' ? unescape(s, from + 1, to - 1) : s.substring(from, to);
    }

    /** {@code GET /path HTTP/1.1} into {@code method}, {@code path} and {@code protocol}. */
    static void splitRequest(String request, Map<String, String> fields) {
        int sp1 = request.indexOf(' ');
        if (sp1 <= 0) {
            return;
        }
        int sp2 = request.indexOf(' ', sp1 + 1);
        fields.put("method", request.substring(0, sp1));
        if (sp2 < 0) {
            fields.put("path", request.substring(sp1 + 1));
        } else {
            fields.put("path", request.substring(sp1 + 1, sp2));
            fields.put("protocol", request.substring(sp2 + 1));
        }
    }

    /** Index of the closing quote of a quoted value starting at {@code from}, honouring {@code \"}; -1 if none. */
    private static int quoteEnd(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /**
     * A quoted value's text: {@code \"} and {@code \\} are unescaped; other escapes, such as nginx's {@code \xDF}
     * for a byte it would not write raw, are kept as written.
     */
    private static String unescape(String s, int from, int to) {
        int b = s.indexOf('\\', from);
        if (b < 0 || b >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String stripQuotes(String v) {
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
    }

    private static void put(Map<String, String> fields, String key, String s, int from, int to) {
        if (!(to - from == 1 && s.charAt(from) == '-')) {
            fields.put(key, s.substring(from, to));
        }
    }

    private static void putDash(Map<String, String> fields, String key, String value) {
        if (!value.equals("-") && !value.isEmpty()) {
            fields.put(key, value);
        }
    }

    private static boolean isNumber(String s, int from, int to) {
        boolean dot = false;
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (isDigit(c)) {
                digit = true;
            } else {
                return false;
            }
        }
        return digit && to - from <= 18;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

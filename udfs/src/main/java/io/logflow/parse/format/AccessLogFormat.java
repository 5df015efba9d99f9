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
 * 5xx ERROR, 4xx WARN, else INFO. The message is the whole line.
 */
public final class AccessLogFormat implements FormatParser {

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        int n = line.length();
        Map<String, String> fields = event.fields;
        // client ident user
        int[] bounds = new int[6];
        int i = 0;
        for (int t = 0; t < 3; t++) {
            int s = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '[') {
                i++;
            }
            if (i == s || i >= n || line.charAt(i) != ' ') {
                return false;
            }
            bounds[t * 2] = s;
            bounds[t * 2 + 1] = i;
            i++;
        }
        if (i >= n || line.charAt(i) != '[') {
            return false;
        }
        long ts = Timestamps.scanApache(line, i + 1, ctx.end);
        int close = ts == Timestamps.NONE ? -1 : ctx.end[0];
        if (close < 0 || close >= n || line.charAt(close) != ']') {
            return false;
        }
        String tsText = line.substring(i + 1, close);
        i = close + 1;
        if (i + 1 >= n || line.charAt(i) != ' ' || line.charAt(i + 1) != '"') {
            return false;
        }
        int rs = i + 2;
        int re = quoteEnd(line, rs);
        if (re < 0) {
            return false;
        }
        i = re + 1;
        // status and bytes
        if (i + 4 > n || line.charAt(i) != ' ') {
            return false;
        }
        i++;
        int ss = i;
        while (i < n && isDigit(line.charAt(i))) {
            i++;
        }
        if (i - ss != 3) {
            return false;
        }
        int status = Integer.parseInt(line, ss, i, 10);
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
        fields.put(LogFields.ORIGINAL_TIMESTAMP, tsText);
        event.timestamp = ts;
        String request = unescape(line, rs, re);
        fields.put("request", request);
        splitRequest(request, fields);
        fields.put("status", line.substring(ss, ss + 3));
        put(fields, "bytes", line, bs, i);
        event.format = LogFields.FORMAT_ACCESS_COMMON;
        // combined: "referer" "user agent"
        if (i + 1 < n && line.charAt(i) == ' ' && line.charAt(i + 1) == '"') {
            int fs = i + 2;
            int fe = quoteEnd(line, fs);
            if (fe > 0 && fe + 2 < n && line.charAt(fe + 1) == ' ' && line.charAt(fe + 2) == '"') {
                int us = fe + 3;
                int ue = quoteEnd(line, us);
                if (ue > 0) {
                    putDash(fields, "referer", unescape(line, fs, fe));
                    putDash(fields, "user_agent", unescape(line, us, ue));
                    event.format = LogFields.FORMAT_ACCESS_COMBINED;
                    i = ue + 1;
                }
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

    private static void splitRequest(String request, Map<String, String> fields) {
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

    private static String unescape(String s, int from, int to) {
        if (s.indexOf('\\', from) < 0 || s.indexOf('\\', from) >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
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

package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * Kubernetes klog and Google glog text lines:
 *
 * <pre>
 * klog: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
 * glog: Lyyyymmdd hh:mm:ss.uuuuuu threadid file:line] msg
 * </pre>
 *
 * {@code L} is the level ({@code I}nfo, {@code W}arning, {@code E}rror, {@code F}atal; {@code D}ebug from some ports).
 * The thread id is space-padded. klog has no year: it is the one that puts the time nearest the receive time. The
 * time, which the libraries write in the host's zone, is read as UTC. A structured klog message
 * ({@code "Pod status updated" pod="kube-system/dns" ready=true}) gives the quoted text as the message and the pairs
 * as fields.
 */
public final class KlogFormat implements FormatParser {
    public static final String FORMAT_KLOG = "klog";
    public static final String FORMAT_GLOG = "glog";
    public static final String THREAD_ID = "thread_id";
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_LINE = "source_line";

    /** Whether auto-detection should try klog: a level letter then a digit. */
    public static boolean looksLikeKlog(String line) {
        if (line.length() < 22) {
            return false;
        }
        char c = line.charAt(0);
        char d = line.charAt(1);
        return (c == 'I' || c == 'W' || c == 'E' || c == 'F' || c == 'D') && d >= '0' && d <= '9';
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (!looksLikeKlog(line)) {
            return false;
        }
        int n = line.length();
        Level level = level(line.charAt(0));
        boolean withYear = n > 9 && line.charAt(9) == ' ';
        int i = 1;
        int year = -1;
        if (withYear) {
            year = Timestamps.digits(line, i, 4);
            i += 4;
        } else if (line.charAt(5) != ' ') {
            return false;
        }
        int month = Timestamps.digits(line, i, 2);
        int day = Timestamps.digits(line, i + 2, 2);
        i += 5; // after "mmdd "
        if (i + 8 > n || month < 1 || month > 12 || day < 1 || day > 31 || (withYear && year < 0)) {
            return false;
        }
        int hour = Timestamps.digits(line, i, 2);
        int minute = Timestamps.digits(line, i + 3, 2);
        int second = Timestamps.digits(line, i + 6, 2);
        if (!Timestamps.isClockTime(hour, minute, second) || line.charAt(i + 2) != ':' || line.charAt(i + 5) != ':') {
            return false;
        }
        int tsStart = 1;
        i += 8;
        int millis = 0;
        if (i + 1 < n && line.charAt(i) == '.' && isDigit(line.charAt(i + 1))) {
            i++;
            int scale = 100;
            while (i < n && isDigit(line.charAt(i))) {
                millis += (line.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        int tsEnd = i;
        // threadid, space-padded
        int t = skipSpaces(line, i);
        if (t == i) {
            return false;
        }
        int ts = t;
        while (t < n && isDigit(line.charAt(t))) {
            t++;
        }
        if (t == ts || t >= n || line.charAt(t) != ' ') {
            return false;
        }
        int threadEnd = t;
        // file:line]
        int fs = t + 1;
        int close = line.indexOf("] ", fs);
        if (close < 0 && line.endsWith("]")) {
            close = n - 1;
        }
        int colon = close < 0 ? -1 : line.lastIndexOf(':', close);
        int space = line.indexOf(' ', fs);
        if (colon <= fs || colon + 1 >= close || (space >= 0 && space < colon)) {
            return false;
        }
        for (int k = colon + 1; k < close; k++) {
            if (!isDigit(line.charAt(k))) {
                return false;
            }
        }
        long when;
        if (withYear) {
            when = day > Timestamps.daysInMonth(year, month) ? Timestamps.NONE
                    : Timestamps.epochMillis(year, month, day, hour, minute, Math.min(second, 59), millis);
        } else {
            when = Timestamps.nearestYear(month, day, hour, minute, Math.min(second, 59), millis, ctx.receiveTime);
        }
        if (when == Timestamps.NONE) {
            return false;
        }
        Map<String, String> fields = event.fields;
        event.timestamp = when;
        ctx.putTimestampText(fields, line.substring(tsStart, tsEnd));
        fields.put(THREAD_ID, line.substring(ts, threadEnd));
        fields.put(SOURCE_FILE, line.substring(fs, colon));
        fields.put(SOURCE_LINE, line.substring(colon + 1, close));
        event.level = level;
        event.format = withYear ? FORMAT_GLOG : FORMAT_KLOG;
        int ms = Math.min(close + 2, n);
        event.message = structured(line, ms, event, ctx) ? event.message : line.substring(ms);
        return true;
    }

    /**
     * A structured klog message, {@code "text" k="v" k2=v2}: the text becomes the message, the pairs fields. False
     * (and nothing written) when the message is not in that shape.
     */
    private static boolean structured(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        if (i >= n || line.charAt(i) != '"') {
            return false;
        }
        StringBuilder buf = new StringBuilder();
        int after = quoted(line, i, buf);
        if (after < 0 || (after < n && line.charAt(after) != ' ')) {
            return false;
        }
        String message = buf.toString();
        // Check the pairs' shape before writing any of them.
        int j = after;
        int pairs = 0;
        while (j < n) {
            j = skipSpaces(line, j);
            if (j >= n) {
                break;
            }
            int ks = j;
            while (j < n && line.charAt(j) != '=' && line.charAt(j) != ' ' && line.charAt(j) != '"') {
                j++;
            }
            if (j == ks || j >= n || line.charAt(j) != '=') {
                return false;
            }
            j++;
            if (j < n && line.charAt(j) == '"') {
                j = quoted(line, j, null);
                if (j < 0) {
                    return false;
                }
            } else {
                while (j < n && line.charAt(j) != ' ') {
                    j++;
                }
            }
            pairs++;
        }
        j = after;
        for (int p = 0; p < pairs; p++) {
            j = skipSpaces(line, j);
            int ks = j;
            j = line.indexOf('=', j);
            String key = line.substring(ks, j);
            j++;
            String value;
            if (j < n && line.charAt(j) == '"') {
                buf.setLength(0);
                j = quoted(line, j, buf);
                value = buf.toString();
            } else {
                int vs = j;
                while (j < n && line.charAt(j) != ' ') {
                    j++;
                }
                value = line.substring(vs, j);
            }
            ctx.put(event.fields, key, value);
        }
        event.message = message;
        return true;
    }

    /** Reads a Go-quoted string at {@code i} (on its quote) into {@code out}; the index after it, or -1. */
    private static int quoted(String line, int i, StringBuilder out) {
        int n = line.length();
        i++;
        while (i < n) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < n) {
                char e = line.charAt(++i);
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
            }
            if (out != null) {
                out.append(c);
            }
            i++;
        }
        return -1;
    }

    private static Level level(char c) {
        switch (c) {
            case 'W':
                return Level.WARN;
            case 'E':
                return Level.ERROR;
            case 'F':
                return Level.FATAL;
            case 'D':
                return Level.DEBUG;
            default:
                return Level.INFO;
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * Apache httpd's error log, the 2.4 default and the 2.2 form:
 *
 * <pre>
 * [Sat Jun 15 11:30:00.123456 2024] [proxy:error] [pid 4711:tid 139] [client 10.0.0.1:50312] AH00898: Error ...
 * [Sat Jun 15 11:30:00 2024] [error] [client 10.0.0.1] File does not exist: /var/www/favicon.ico
 * </pre>
 *
 * The level is the bracketed word ({@code trace1}..{@code trace8} are TRACE), with the module before it as
 * {@code module}; {@code [pid N:tid M]} gives {@code pid} and {@code thread_id}; {@code [client a:p]} (or
 * {@code [remote ...]}) {@code client_ip} and {@code client_port}; an {@code AHnnnnn:} error code
 * {@code error_code}; a trailing {@code , referer: ...} {@code referer}. The time, local to the server, is read as UTC.
 */
public final class ApacheErrorFormat implements FormatParser {
    public static final String FORMAT_APACHE_ERROR = "apache_error";

    /** Whether auto-detection should try it: {@code [Www Mmm }. */
    public static boolean looksLikeApacheError(String line) {
        return line.length() > 30 && line.charAt(0) == '[' && line.charAt(4) == ' ' && line.charAt(8) == ' ';
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (!looksLikeApacheError(line)) {
            return false;
        }
        int n = line.length();
        int month = Timestamps.month(line, 5);
        int i = 9;
        if (line.charAt(i) == ' ') {
            i++;
        }
        int day = Timestamps.digits(line, i, 1);
        i++;
        if (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            day = day * 10 + (line.charAt(i) - '0');
            i++;
        }
        if (month < 1 || day < 1 || day > 31 || i + 15 > n || line.charAt(i) != ' ') {
            return false;
        }
        int hour = Timestamps.digits(line, i + 1, 2);
        int minute = Timestamps.digits(line, i + 4, 2);
        int second = Timestamps.digits(line, i + 7, 2);
        if (!Timestamps.isClockTime(hour, minute, second) || line.charAt(i + 3) != ':' || line.charAt(i + 6) != ':') {
            return false;
        }
        i += 9;
        int millis = 0;
        if (i + 1 < n && line.charAt(i) == '.') {
            int scale = 100;
            i++;
            while (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                millis += (line.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        int year = i + 6 <= n && line.charAt(i) == ' ' ? Timestamps.digits(line, i + 1, 4) : -1;
        if (year < 0 || line.charAt(i + 5) != ']' || day > Timestamps.daysInMonth(year, month)) {
            return false;
        }
        int tsEnd = i + 5;
        // [module:level] or [level]
        i = tsEnd + 1;
        if (i + 2 >= n || line.charAt(i) != ' ' || line.charAt(i + 1) != '[') {
            return false;
        }
        int ls = i + 2;
        int le = line.indexOf(']', ls);
        if (le < 0 || le - ls > 64) {
            return false;
        }
        int colon = line.indexOf(':', ls);
        int levelStart = colon > 0 && colon < le ? colon + 1 : ls;
        Level level = level(line, levelStart, le);
        if (level == null) {
            return false;
        }
        Map<String, String> fields = event.fields;
        event.timestamp = Timestamps.epochMillis(year, month, day, hour, minute, Math.min(second, 59), millis);
        event.level = level;
        event.format = FORMAT_APACHE_ERROR;
        fields.put(LogFields.ORIGINAL_TIMESTAMP, line.substring(1, tsEnd));
        if (levelStart > ls) {
            fields.put("module", line.substring(ls, levelStart - 1));
        }
        i = skipSpaces(line, le + 1);
        // [pid N:tid M] [client a:p] [remote a:p], in any order
        while (i < n && line.charAt(i) == '[') {
            int end = line.indexOf(']', i);
            if (end < 0) {
                break;
            }
            if (line.startsWith("pid ", i + 1)) {
                int tid = line.indexOf(":tid ", i);
                if (tid > 0 && tid < end) {
                    fields.put("pid", line.substring(i + 5, tid));
                    fields.put(KlogFormat.THREAD_ID, line.substring(tid + 5, end));
                } else {
                    fields.put("pid", line.substring(i + 5, end));
                }
            } else if (line.startsWith("client ", i + 1)) {
                address(line, i + 8, end, "client_ip", "client_port", fields);
            } else if (line.startsWith("remote ", i + 1)) {
                address(line, i + 8, end, "remote_ip", "remote_port", fields);
            } else {
                break;
            }
            i = skipSpaces(line, end + 1);
        }
        // AH00898:
        if (i + 8 < n && line.charAt(i) == 'A' && line.charAt(i + 1) == 'H' && Timestamps.digits(line, i + 2, 5) >= 0
                && line.charAt(i + 7) == ':') {
            fields.put("error_code", line.substring(i, i + 7));
            i = skipSpaces(line, i + 8);
        }
        int referer = line.lastIndexOf(", referer: ");
        int messageEnd = n;
        if (referer >= i) {
            fields.put("referer", line.substring(referer + 11));
            messageEnd = referer;
        }
        event.message = line.substring(Math.min(i, messageEnd), messageEnd);
        return true;
    }

    private static Level level(String line, int from, int to) {
        if (to - from == 6 && line.startsWith("trace", from) && line.charAt(from + 5) >= '1'
                && line.charAt(from + 5) <= '8') {
            return Level.TRACE;
        }
        return Levels.lookup(line, from, to);
    }

    /** {@code 10.0.0.1:50312} into address and port; an address with more than one colon (IPv6) is kept whole. */
    private static void address(String line, int from, int to, String ipKey, String portKey,
            Map<String, String> fields) {
        int colon = line.indexOf(':', from);
        if (colon > from && colon < to && line.lastIndexOf(':', to) == colon && colon + 1 < to) {
            fields.put(ipKey, line.substring(from, colon));
            fields.put(portKey, line.substring(colon + 1, to));
        } else if (to > from) {
            fields.put(ipKey, line.substring(from, to));
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}

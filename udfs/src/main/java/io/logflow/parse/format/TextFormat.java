package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

/**
 * Free text, the fallback for every line: a leading timestamp (ISO, Apache or syslog style, optionally bracketed) and
 * a level word among the first words are recognised. A level right after the timestamp is cut from the message
 * ({@code 2024-06-15 12:00:00,123 ERROR boom} gives message {@code boom}). Without a level word, a line that starts
 * like an exception, a Python traceback or a Go panic is ERROR; anything else INFO.
 */
public final class TextFormat implements FormatParser {

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        int n = line.length();
        int i = 0;
        boolean bracket = line.charAt(0) == '[';
        int tsStart = bracket ? 1 : 0;
        long ts = Timestamps.scanIso(line, tsStart, ctx.end);
        if (ts == Timestamps.NONE) {
            ts = Timestamps.scanApache(line, tsStart, ctx.end);
        }
        if (ts == Timestamps.NONE) {
            ts = Timestamps.scanSyslog(line, tsStart, ctx.receiveTime, ctx.end);
        }
        if (ts != Timestamps.NONE && (!bracket || (ctx.end[0] < n && line.charAt(ctx.end[0]) == ']'))) {
            event.timestamp = ts;
            ctx.putTimestampText(event.fields, line.substring(tsStart, ctx.end[0]));
            i = ctx.end[0] + (bracket ? 1 : 0);
            i = skipSeparators(line, i);
        }
        Level level = Levels.sniff(line, i, ctx.pos);
        if (level != null && ctx.pos[0] == i) {
            i = skipSeparators(line, ctx.pos[1]);
        }
        event.level = level != null ? level : looksLikeError(line, i) ? Level.ERROR : Level.INFO;
        event.message = i == 0 ? line : line.substring(Math.min(i, n));
        event.format = LogFields.FORMAT_TEXT;
        return true;
    }

    private static int skipSeparators(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '|') {
                i++;
            } else if ((c == '-' || c == ':') && (i + 1 == n || s.charAt(i + 1) == ' ')) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** {@code java.lang.IllegalStateException: ...}, {@code Traceback (most recent call last):}, {@code panic: ...}. */
    static boolean looksLikeError(String s, int i) {
        if (s.startsWith("Traceback (most recent call last)", i) || s.startsWith("panic: ", i)) {
            return true;
        }
        int n = Math.min(s.length(), i + 200);
        int j = i;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == '$'
                || s.charAt(j) == '_')) {
            j++;
        }
        boolean endsLikeType = s.regionMatches(j - 9, "Exception", 0, 9) || s.regionMatches(j - 5, "Error", 0, 5);
        return j > i && endsLikeType && (j == s.length() || s.charAt(j) == ':' || s.charAt(j) == '\n');
    }
}

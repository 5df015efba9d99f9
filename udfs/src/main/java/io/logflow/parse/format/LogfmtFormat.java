package io.logflow.parse.format;

import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;

import java.util.Map;

/**
 * logfmt / key=value lines: {@code ts=2024-06-15T12:00:00Z level=info msg="user logged in" user=42}. Values may be
 * double-quoted with backslash escapes. To leave prose such as "user=bob logged in" to the text parser, a line counts
 * as logfmt only when it starts with a pair, has at least two pairs, and has no more bare words than half its pairs.
 * A bare key is a flag: {@code plonk} gives {@code plonk=true}.
 */
public final class LogfmtFormat implements FormatParser {
    /** The value of a key written without one ({@code debug} in {@code level=info debug}): a flag that is set. */
    public static final String BARE_KEY_VALUE = "true";

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (!startsWithPair(line)) {
            return false;
        }
        Map<String, String> fields = event.fields;
        int n = line.length();
        int i = 0;
        int pairs = 0;
        int bare = 0;
        int flags = 0;
        int[] bareKeys = null; // bounds of bare keys
        StringBuilder buf = null;
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ' && line.charAt(i) != '"') {
                i++;
            }
            int keyEnd = i;
            if (i >= n || line.charAt(i) != '=') {
                // a bare key ("debug"), kept as a flag once the line is known to be logfmt; or a stray quote
                bare++;
                boolean flag = i > keyStart && (i >= n || line.charAt(i) == ' ');
                while (i < n && line.charAt(i) != ' ') {
                    i++;
                }
                if (flag) {
                    if (bareKeys == null) {
                        bareKeys = new int[8];
                    } else if (bareKeys.length < (flags + 1) * 2) {
                        bareKeys = java.util.Arrays.copyOf(bareKeys, bareKeys.length * 2);
                    }
                    bareKeys[flags * 2] = keyStart;
                    bareKeys[flags * 2 + 1] = i;
                    flags++;
                }
                continue;
            }
            i++; // '='
            String value;
            if (i < n && line.charAt(i) == '"') {
                i++;
                int vs = i;
                while (i < n && line.charAt(i) != '"' && line.charAt(i) != '\\') {
                    i++;
                }
                if (i < n && line.charAt(i) == '\\') {
                    // an escape: the value is built from here on
                    if (buf == null) {
                        buf = new StringBuilder();
                    }
                    buf.setLength(0);
                    buf.append(line, vs, i);
                    while (i < n && line.charAt(i) != '"') {
                        char c = line.charAt(i);
                        if (c == '\\' && i + 1 < n) {
                            char e = line.charAt(++i);
                            buf.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                        } else {
                            buf.append(c);
                        }
                        i++;
                    }
                    value = buf.toString();
                } else {
                    value = line.substring(vs, i); // no escapes: the value as written
                }
                i++; // closing quote (or past the end of an unterminated value)
            } else {
                int vs = i;
                while (i < n && line.charAt(i) != ' ') {
                    i++;
                }
                value = line.substring(vs, i);
            }
            if (keyEnd > keyStart) {
                ctx.put(fields, line.substring(keyStart, keyEnd), value);
                pairs++;
            }
        }
        if (pairs < 2 || bare * 2 > pairs) {
            return false;
        }
        event.format = LogFields.FORMAT_LOGFMT;
        FieldRoles.apply(fields, event, ctx);
        for (int f = 0; f < flags; f++) {
            String key = line.substring(bareKeys[f * 2], bareKeys[f * 2 + 1]);
            if (!fields.containsKey(key)) {
                ctx.put(fields, key, BARE_KEY_VALUE);
            }
        }
        if (event.message == null) {
            event.message = line;
        }
        return true;
    }

    /** A key of word characters followed by {@code =} and not {@code ==}. */
    private static boolean startsWithPair(String line) {
        int n = Math.min(line.length(), 128);
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-' || c == '@' || c == '/') {
                i++;
            } else {
                break;
            }
        }
        return i > 0 && i + 1 < line.length() && line.charAt(i) == '=' && line.charAt(i + 1) != '=';
    }
}

package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * Syslog, told apart per line:
 *
 * <ul>
 *   <li>RFC 5424: {@code <165>1 2003-10-11T22:14:15.003Z host app procid msgid [sd-id k="v"] message}
 *   <li>RFC 3164: {@code <34>Oct 11 22:14:15 host tag[pid]: message}, also without the priority as files under
 *       {@code /var/log} have it, and with an RFC 3339 date when a priority is present (rsyslog's high-precision
 *       template). The day may be unpadded ({@code Jun 8}); the hostname may be missing
 *       ({@code <133>Jun 13 16:33:35 haproxy[73411]: ...}); the year, which 3164 omits, is the one that puts the
 *       time nearest the receive time.
 * </ul>
 *
 * A 5424 line whose structured data deviates from the RFC is still an event: what could be read is kept and the
 * deviation is named in {@link #DEVIATION}.
 *
 * The severity in the priority gives the level; without a priority the message is sniffed for one. A message that is
 * a CEF record ({@code CEF:0|...}) is read as one ({@link CefFormat}), keeping the syslog header's fields.
 */
public final class SyslogFormat implements FormatParser {
    /** Names what in an RFC 5424 line's structured data was read leniently, when something was. */
    public static final String DEVIATION = "syslog_deviation";
    private static final String[] FACILITIES = {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
        "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"
    };

    /** The severity's digit as text, without formatting a number per line. */
    private static final String[] SEVERITIES = {"0", "1", "2", "3", "4", "5", "6", "7"};

    /** Whether auto-detection should try syslog: {@code <digit} or a 3164 date at the start. */
    public static boolean looksLikeSyslog(String line) {
        if (line.length() > 2 && line.charAt(0) == '<' && line.charAt(1) >= '0' && line.charAt(1) <= '9') {
            return true;
        }
        return line.length() >= 15 && line.charAt(3) == ' ' && Character.isUpperCase(line.charAt(0))
                && (line.charAt(9) == ':' || line.charAt(8) == ':'); // "Jun 13 16:", "Jun  3 08:" or "Jun 3 08:"
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        Map<String, String> fields = event.fields;
        int n = line.length();
        int i = 0;
        int pri = -1;
        if (line.charAt(0) == '<') {
            int j = 1;
            int v = 0;
            while (j < n && j <= 4 && line.charAt(j) >= '0' && line.charAt(j) <= '9') {
                v = v * 10 + (line.charAt(j) - '0');
                j++;
            }
            if (j == 1 || j >= n || line.charAt(j) != '>' || v > 191) {
                return false;
            }
            pri = v;
            i = j + 1;
        }
        if (pri >= 0 && i + 1 < n && line.charAt(i) >= '1' && line.charAt(i) <= '9' && line.charAt(i + 1) == ' ') {
            if (!parse5424(line, i + 2, event, ctx)) {
                return false;
            }
        } else if (!parse3164(line, i, pri >= 0, event, ctx)) {
            return false;
        }
        if (pri >= 0) {
            event.level = Levels.fromSyslogSeverity(pri & 7);
            int facility = pri >> 3;
            fields.put("facility", facility < FACILITIES.length ? FACILITIES[facility] : Integer.toString(facility));
            fields.put("severity", SEVERITIES[pri & 7]);
        } else {
            Level sniffed = Levels.sniff(event.message, 0, ctx.pos);
            event.level = sniffed != null ? sniffed : Level.INFO;
        }
        if (event.message.startsWith("CEF:")) {
            CefFormat.parseAt(event.message, 0, event, ctx); // CEF over syslog: the CEF record's fields and level
        }
        return true;
    }

    private static boolean parse3164(String line, int i, boolean hasPri, LogEvent event, ParseContext ctx) {
        int n = line.length();
        long ts = Timestamps.scanSyslog(line, i, ctx.receiveTime, ctx.end);
        if (ts == Timestamps.NONE && hasPri) {
            ts = Timestamps.scanIso(line, i, ctx.end);
        }
        if (ts == Timestamps.NONE || ctx.end[0] >= n || line.charAt(ctx.end[0]) != ' ') {
            return false;
        }
        event.timestamp = ts;
        ctx.putTimestampText(event.fields, line.substring(i, ctx.end[0]));
        i = ctx.end[0] + 1;
        // HOSTNAME, unless the next word is already the tag: "haproxy[73411]: ..." (senders that leave it out). A tag
        // has no space and ends in ':', so only a word ending in ':' is tried as one.
        int hs = i;
        while (i < n && line.charAt(i) != ' ') {
            i++;
        }
        int afterTag = i > hs && line.charAt(i - 1) == ':' ? tagEnd(line, hs) : -1;
        if (afterTag < 0) {
            if (i == hs) {
                return false;
            }
            event.fields.put("host", line.substring(hs, i));
            i = skipSpaces(line, i);
            afterTag = tagEnd(line, i);
        } else {
            i = hs;
        }
        // TAG[pid]: the tag is at most 48 characters of [A-Za-z0-9_./-]
        if (afterTag > 0) {
            int bracket = indexOf(line, '[', i, afterTag);
            int tagEnd = bracket > 0 && bracket < afterTag ? bracket : afterTag - 1;
            event.service = line.substring(i, tagEnd);
            if (tagEnd == bracket) {
                event.fields.put("pid", line.substring(bracket + 1, afterTag - 2));
            }
            i = afterTag;
        }
        event.message = line.substring(skipSpaces(line, i));
        event.format = LogFields.FORMAT_SYSLOG_3164;
        return true;
    }

    private static boolean parse5424(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        Map<String, String> fields = event.fields;
        // TIMESTAMP
        if (i < n && line.charAt(i) == '-') {
            i++;
        } else {
            long ts = Timestamps.scanIso(line, i, ctx.end);
            if (ts == Timestamps.NONE) {
                return false;
            }
            event.timestamp = ts;
            ctx.putTimestampText(fields, line.substring(i, ctx.end[0]));
            i = ctx.end[0];
        }
        String[] header = new String[4]; // HOSTNAME APP-NAME PROCID MSGID
        for (int h = 0; h < 4; h++) {
            if (i >= n || line.charAt(i) != ' ') {
                return false;
            }
            i++;
            int s = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            if (i == s) {
                return false;
            }
            header[h] = i - s == 1 && line.charAt(s) == '-' ? null : line.substring(s, i);
        }
        putIfSet(fields, "host", header[0]);
        event.service = header[1];
        putIfSet(fields, "procid", header[2]);
        putIfSet(fields, "msgid", header[3]);
        if (i >= n || line.charAt(i) != ' ') {
            return false;
        }
        i++;
        // STRUCTURED-DATA
        if (i < n && line.charAt(i) == '-') {
            i++;
        } else if (i < n && line.charAt(i) == '[') {
            int sd = i;
            i = parseStructuredData(line, i, event, ctx);
            if (i < 0) {
                // Not even leniently readable: keep what parsed, and the rest of the line as the message.
                fields.put(DEVIATION, "unterminated structured data");
                event.message = line.substring(sd);
                event.format = LogFields.FORMAT_SYSLOG_5424;
                return true;
            }
        } else {
            return false;
        }
        if (i < n && line.charAt(i) == ' ') {
            i++;
        }
        if (i < n && line.charAt(i) == '\uFEFF') {
            i++; // the BOM announcing UTF-8
        }
        event.message = line.substring(Math.min(i, n));
        event.format = LogFields.FORMAT_SYSLOG_5424;
        return true;
    }

    /**
     * {@code [id k="v" k2="v2"][id2 ...]} into {@code sd.id.k}; returns the index after the last element, or -1 when an
     * element is not closed. Deviations senders are known for are read anyway and named in {@link #DEVIATION}: spaces
     * around {@code =} ({@code eventSource= "Application"}) and unquoted values. In a quoted value only {@code \"},
     * {@code \\} and {@code \]} are escapes; any other backslash is kept, as RFC 5424 says.
     */
    private static int parseStructuredData(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        StringBuilder buf = null;
        while (i < n && line.charAt(i) == '[') {
            i++;
            int ids = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != ']') {
                i++;
            }
            String id = line.substring(ids, i);
            while (true) {
                i = skipSpaces(line, i);
                if (i >= n) {
                    return -1;
                }
                if (line.charAt(i) == ']') {
                    i++;
                    break;
                }
                int ks = i;
                while (i < n && line.charAt(i) != '=' && line.charAt(i) != ']' && line.charAt(i) != ' '
                        && line.charAt(i) != '"') {
                    i++;
                }
                String key = line.substring(ks, i);
                int eq = skipSpaces(line, i);
                if (key.isEmpty() || eq >= n || line.charAt(eq) != '=') {
                    return -1;
                }
                i = skipSpaces(line, eq + 1);
                if (eq > ks + key.length() || i > eq + 1) {
                    event.fields.put(DEVIATION, "space around '=' in structured data");
                }
                String value;
                if (i < n && line.charAt(i) == '"') {
                    i++;
                    int vs = i;
                    while (i < n && line.charAt(i) != '"' && line.charAt(i) != '\\') {
                        i++;
                    }
                    if (i < n && line.charAt(i) == '\\') {
                        // a backslash: the value is built from here on
                        if (buf == null) {
                            buf = new StringBuilder();
                        }
                        buf.setLength(0);
                        buf.append(line, vs, i);
                        while (i < n && line.charAt(i) != '"') {
                            char c = line.charAt(i);
                            if (c == '\\' && i + 1 < n) {
                                char e = line.charAt(i + 1);
                                if (e == '"' || e == '\\' || e == ']') {
                                    c = e;
                                    i++;
                                }
                            }
                            buf.append(c);
                            i++;
                        }
                        value = buf.toString();
                    } else {
                        value = line.substring(vs, i); // no backslash: the value as written
                    }
                    if (i >= n) {
                        return -1;
                    }
                    i++; // closing quote
                } else {
                    int vs = i;
                    while (i < n && line.charAt(i) != ' ' && line.charAt(i) != ']') {
                        i++;
                    }
                    value = line.substring(vs, i);
                    event.fields.put(DEVIATION, "unquoted structured-data value");
                }
                ctx.put(event.fields, "sd." + id + "." + key, value);
            }
        }
        return i;
    }

    /** Index of {@code c} in {@code line} from {@code from} up to (not including) {@code to}, or -1. */
    private static int indexOf(String line, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * When a tag ({@code sshd:}, {@code sshd[812]:}) starts at {@code i} and is followed by a space or the end of the
     * line, the index after its colon; otherwise -1.
     */
    private static int tagEnd(String line, int i) {
        int n = line.length();
        int s = i;
        while (i < n && i - s <= 48 && isTagChar(line.charAt(i))) {
            i++;
        }
        if (i == s || i >= n) {
            return -1;
        }
        if (line.charAt(i) == '[') {
            int ps = i + 1;
            int pe = ps;
            while (pe < n && pe - ps <= 16 && line.charAt(pe) != ']' && line.charAt(pe) != ' ') {
                pe++;
            }
            if (pe == ps || pe >= n || line.charAt(pe) != ']') {
                return -1;
            }
            i = pe + 1;
        }
        if (i >= n || line.charAt(i) != ':' || (i + 1 < n && line.charAt(i + 1) != ' ')) {
            return -1;
        }
        return i + 1;
    }

    private static void putIfSet(Map<String, String> fields, String key, String value) {
        if (value != null) {
            fields.put(key, value);
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isTagChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '/' || c == '-';
    }
}

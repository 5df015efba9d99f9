package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;

import java.util.Map;

/**
 * VPC flow log records in the default version 2 format, 14 space-separated fields:
 * {@code 2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070
 * ACCEPT OK}. {@code -} means no value (NODATA and SKIPDATA records). The header line files start with is skipped.
 */
public final class VpcFlowFormat implements FormatParser {
    public static final String REASON_HEADER = "header_line";

    static final String[] NAMES = {
        "version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
        "bytes", "start", "end", "action", "log_status"
    };
    private static final String HEADER = "version account-id interface-id srcaddr dstaddr";

    /** Whether {@link #parse} may take the line: a version 2 record or the header. */
    public static boolean looksLikeVpc(String line) {
        return line.startsWith("2 ") || line.startsWith(HEADER);
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (line.startsWith(HEADER)) {
            ctx.skipReason = REASON_HEADER;
            return true;
        }
        if (!line.startsWith("2 ")) {
            return false;
        }
        int[] starts = new int[NAMES.length];
        int[] ends = new int[NAMES.length];
        int n = line.length();
        int i = 0;
        for (int f = 0; f < NAMES.length; f++) {
            if (i >= n) {
                return false;
            }
            starts[f] = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            ends[f] = i;
            if (ends[f] == starts[f]) {
                return false;
            }
            i++;
        }
        if (i < n) {
            return false; // more than 14 fields: a custom format
        }
        String iface = line.substring(starts[2], ends[2]);
        String account = line.substring(starts[1], ends[1]);
        if (!(iface.equals("-") || iface.startsWith("eni-")) || !(account.equals("-") || isDigits(account))
                || !isDigits(line.substring(starts[10], ends[10]))) {
            return false;
        }
        Map<String, String> fields = event.fields;
        for (int f = 0; f < NAMES.length; f++) {
            if (!(ends[f] - starts[f] == 1 && line.charAt(starts[f]) == '-')) {
                fields.put(NAMES[f], line.substring(starts[f], ends[f]));
            }
        }
        String start = fields.get("start");
        long seconds = Long.parseLong(start);
        if (seconds > 0 && seconds < 100_000_000_000L) {
            event.timestamp = seconds * 1000L;
        }
        String end = fields.get("end");
        if (end != null && isDigits(end) && end.length() < 12) {
            event.durationMs = (Long.parseLong(end) - seconds) * 1000d;
        }
        event.level = Level.INFO;
        event.message = line;
        event.format = LogFields.FORMAT_VPC_FLOW;
        return true;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

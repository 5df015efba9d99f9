package io.logflow.source.files;

import java.nio.charset.StandardCharsets;

/** What a stream holds, told from its first bytes. */
enum ContentKind {
    GZIP,
    ZIP,
    TAR,
    JSON_ARRAY,
    CLOUDWATCH,
    LINES;

    private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_TYPE = "\"messageType\"".getBytes(StandardCharsets.US_ASCII);

    boolean isContainer() {
        return this == GZIP || this == ZIP || this == TAR;
    }

    static ContentKind sniff(byte[] head, int n) {
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZIP;
        }
        if (n >= 262 && startsWith(head, 257, USTAR)) {
            return TAR;
        }
        int i = 0;
        if (n >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i < n && head[i] == '[') {
            // "[2026-11-02 ...] INFO ..." is a text log; a JSON array of records opens an object or is empty
            int j = i + 1;
            while (j < n && (head[j] == ' ' || head[j] == '\n' || head[j] == '\r' || head[j] == '\t')) {
                j++;
            }
            return j < n && (head[j] == '{' || head[j] == ']') ? JSON_ARRAY : LINES;
        }
        if (i < n && head[i] == '{') {
            // a CloudWatch envelope leads with messageType; allow whitespace after the brace
            int j = i + 1;
            while (j < n && (head[j] == ' ' || head[j] == '\n' || head[j] == '\r' || head[j] == '\t')) {
                j++;
            }
            if (startsWith(head, j, MESSAGE_TYPE) && j + MESSAGE_TYPE.length <= n) {
                return CLOUDWATCH;
            }
        }
        return LINES;
    }

    private static boolean startsWith(byte[] head, int offset, byte[] prefix) {
        if (offset + prefix.length > head.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (head[offset + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}

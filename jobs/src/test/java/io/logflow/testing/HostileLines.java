package io.logflow.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Log lines crafted to break stores, beside ordinary ones, for the pipeline tests of every source. Each hostile line is
 * a single line (no line break) and must become exactly one stored event: none of them is bad input, they are only
 * awkward to store. They hold NUL raw and as the JSON escape, the text backslash-{@code u0000} (a Windows path),
 * unpaired surrogates raw and escaped, U+FFFE/U+FFFF, control characters, a bidi override, emoji, an empty key, a large
 * value, identifiers (trace id, service) longer than any index row can hold, and the last millisecond of year 9999. {@link #tooLong} is the exception: it
 * is bad input and must become a {@code line_too_long} failure.
 */
public final class HostileLines {
    private HostileLines() {}

    /** The hostile lines, as the text a source decodes (Java strings: a NUL here is a real NUL character). */
    public static List<String> hostile() {
        List<String> lines = new ArrayList<>();
        lines.add("{\"level\":\"info\",\"message\":\"windows path C:\\\\u0000dir\",\"path\":\"C:\\\\u0000dir\"}");
        lines.add("{\"level\":\"warn\",\"message\":\"nul escape \\u0000 here\",\"k\\u0000ey\":\"v\"}");
        lines.add("{\"level\":\"error\",\"message\":\"lone \\ud800 high\",\"low\":\"\\udc00\",\"\\ud800k\":\"x\"}");
        lines.add("plain text with a raw NUL \u0000 in it");
        lines.add("plain text with a raw unpaired surrogate \uD800 and \uDC00 in it");
        lines.add("noncharacters \uFFFE \uFFFF, bidi \u202Eevil\u202C, emoji \uD83D\uDE00, bell \u0007, esc \u001B[31mred");
        lines.add("level=error msg=\"logfmt \u0000 with nul\" key\u0000=v");
        lines.add("{\"level\":\"info\",\"message\":\"empty key\",\"\":\"empty\",\"a\":\"leaf\",\"a.b\":\"child\"}");
        lines.add("{\"level\":\"info\",\"message\":\"a large value\",\"blob\":\"" + "x".repeat(200_000) + "\"}");
        lines.add("{\"level\":\"error\",\"message\":\"a long trace id\",\"trace_id\":\"" + randomText(12_000, 1)
                + "\",\"request_id\":\"" + randomText(12_000, 2) + "\",\"duration_ms\":12}");
        lines.add("{\"level\":\"error\",\"message\":\"a long service\",\"service\":\"" + randomText(12_000, 3) + "\"}");
        lines.add("{\"level\":\"info\",\"message\":\"" + "m".repeat(200_000) + "\"}");
        lines.add("{\"timestamp\":\"9999-12-31T23:59:59.999Z\",\"level\":\"warn\",\"message\":\"the end of time\"}");
        return lines;
    }

    /** A line longer than the parser takes (256 K characters): the one line of a test that must be a failure. */
    public static String tooLong() {
        return "{\"level\":\"info\",\"message\":\"" + "L".repeat(300_000) + "\"}";
    }

    /** Ordinary lines, {@code n} of them, numbered so each is unique. */
    public static List<String> good(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(i % 2 == 0
                    ? "{\"level\":\"info\",\"message\":\"good line " + i + "\",\"user\":\"u" + i + "\"}"
                    : "good plain line " + i);
        }
        return lines;
    }

    /** Good and hostile lines interleaved: a hostile line after every two good ones, the rest of the good at the end. */
    public static List<String> mixed(int good) {
        List<String> goodLines = good(good);
        List<String> hostile = hostile();
        List<String> out = new ArrayList<>();
        int g = 0;
        for (String h : hostile) {
            for (int k = 0; k < 2 && g < goodLines.size(); k++) {
                out.add(goodLines.get(g++));
            }
            out.add(h);
        }
        while (g < goodLines.size()) {
            out.add(goodLines.get(g++));
        }
        return out;
    }

    /**
     * {@code s} as a JSON string literal that escapes every character outside printable ASCII as {@code \}{@code uXXXX},
     * so a NUL or an unpaired surrogate reaches the decoder as the escape, exactly as a crafted payload would carry it.
     */
    public static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Incompressible letters and digits, so a value's size in an index is its length. */
    private static String randomText(int length, long seed) {
        Random random = new Random(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}

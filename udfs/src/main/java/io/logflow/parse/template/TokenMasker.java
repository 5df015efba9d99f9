package io.logflow.parse.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into tokens with the variable parts masked, the preprocessing step of Drain: quoted strings
 * ({@code <STR>}), UUIDs ({@code <UUID>}), IPv4/IPv6 addresses with an optional port ({@code <IP>}), URLs
 * ({@code <URL>}), paths ({@code <PATH>}), hex numbers and hashes ({@code <HEX>}), and numbers with an optional unit
 * ({@code <NUM>}). In {@code key=value} and {@code key:value} tokens only the value is masked, and surrounding
 * brackets and trailing punctuation are kept, so {@code (took 35ms),} gives {@code (took <NUM>),}.
 */
public final class TokenMasker {
    public static final String STR = "<STR>";
    public static final String UUID = "<UUID>";
    public static final String IP = "<IP>";
    public static final String URL = "<URL>";
    public static final String PATH = "<PATH>";
    public static final String HEX = "<HEX>";
    public static final String NUM = "<NUM>";
    public static final String TS = "<TS>";
    public static final String ANY = "<*>";

    private final int maxTokens;
    private final int maxTokenChars;
    private final StringBuilder sb = new StringBuilder(64);

    public TokenMasker(int maxTokens, int maxTokenChars) {
        this.maxTokens = maxTokens;
        this.maxTokenChars = maxTokenChars;
    }

    /** The masked tokens of {@code message}; at most {@code maxTokens}, the last standing for the rest. */
    public List<String> tokens(String message) {
        List<String> out = new ArrayList<>(16);
        int n = message.length();
        int i = 0;
        while (i < n) {
            char c = message.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            if (out.size() == maxTokens - 1) {
                out.add(ANY); // everything after is one variable tail
                return out;
            }
            if (c == '"' || c == '\'') {
                int close = closingQuote(message, i);
                if (close > 0) {
                    out.add(STR);
                    i = close + 1;
                    // glue punctuation right after the quote: "abc", -> <STR>,
                    while (i < n && isTrailingPunct(message.charAt(i))) {
                        out.set(out.size() - 1, out.get(out.size() - 1) + message.charAt(i));
                        i++;
                    }
                    continue;
                }
            }
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) {
                i++;
            }
            out.add(i - start > maxTokenChars ? ANY : mask(message, start, i));
        }
        return out;
    }

    /** One whitespace-free token, masked. */
    String mask(String s, int from, int to) {
        // keep leading brackets and trailing punctuation around the masked core
        int a = from;
        while (a < to && (s.charAt(a) == '(' || s.charAt(a) == '[' || s.charAt(a) == '{' || s.charAt(a) == '<')) {
            a++;
        }
        int b = to;
        while (b > a && (isTrailingPunct(s.charAt(b - 1)) || s.charAt(b - 1) == ')' || s.charAt(b - 1) == ']'
                || s.charAt(b - 1) == '}' || s.charAt(b - 1) == '>')) {
            b--;
        }
        if (a >= b) {
            return s.substring(from, to);
        }
        // key=value: mask the value only
        int eq = -1;
        for (int k = a; k < b; k++) {
            if (s.charAt(k) == '=') {
                eq = k;
                break;
            }
        }
        int v = eq >= 0 ? eq + 1 : a;
        String masked = v < b ? classify(s, v, b) : null;
        if (masked == null && eq < 0) {
            // key:value, but not URLs or IPv6 which classify handles whole
            int colon = s.indexOf(':', a);
            if (colon > a && colon < b - 1) {
                String value = classify(s, colon + 1, b);
                if (value != null) {
                    v = colon + 1;
                    masked = value;
                }
            }
        }
        if (masked == null) {
            return s.substring(from, to);
        }
        sb.setLength(0);
        sb.append(s, from, v).append(masked).append(s, b, to);
        return sb.toString();
    }

    /** The mask for {@code s[from, to)}, or null when it is a constant word. */
    static String classify(String s, int from, int to) {
        int len = to - from;
        if (len == 0) {
            return null;
        }
        if (len == 36 && isUuid(s, from)) {
            return UUID;
        }
        if (s.startsWith("http://", from) || s.startsWith("https://", from)) {
            return URL;
        }
        if (isIpv4(s, from, to)) {
            return IP;
        }
        if (isClock(s, from, to)) {
            return NUM;
        }
        if (isIpv6(s, from, to)) {
            return IP;
        }
        if (len >= 16 && isDigit(s.charAt(from))
                && io.logflow.parse.Timestamps.scanIso(s, from, new int[1]) != io.logflow.parse.Timestamps.NONE) {
            return TS;
        }
        char c = s.charAt(from);
        if ((c == '/' && len > 1) || s.startsWith("./", from) || s.startsWith("~/", from)
                || (len > 2 && s.charAt(from + 1) == ':' && s.charAt(from + 2) == '\\')) {
            return PATH;
        }
        if (len > 2 && c == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X') && isHex(s, from + 2, to)) {
            return HEX;
        }
        if (isNumber(s, from, to)) {
            return NUM;
        }
        if (len >= 8 && isHex(s, from, to) && hasDigit(s, from, to)) {
            return HEX;
        }
        return null;
    }

    private static boolean isNumber(String s, int from, int to) {
        int i = from;
        if (s.charAt(i) == '-' || s.charAt(i) == '+') {
            i++;
        }
        int digits = 0;
        while (i < to && (isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == ',')) {
            digits += isDigit(s.charAt(i)) ? 1 : 0;
            i++;
        }
        if (digits == 0) {
            return false;
        }
        // a unit: 35ms, 2.5s, 80%, 512MB
        int unit = to - i;
        if (unit == 0) {
            return true;
        }
        if (unit > 3) {
            return false;
        }
        for (int k = i; k < to; k++) {
            char c = s.charAt(k);
            if (!(c == '%' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 'µ')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(String s, int from) {
        for (int k = 0; k < 36; k++) {
            char c = s.charAt(from + k);
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHexChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String s, int from, int to) {
        int octets = 0;
        int digits = 0;
        int i = from;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && octets < 3) {
                octets++;
                digits = 0;
            } else if (c == ':' && octets == 3 && digits > 0) {
                return i + 1 < to && isDigits(s, i + 1, to); // a port
            } else {
                return false;
            }
        }
        return octets == 3 && digits > 0;
    }

    /** {@code 12:00}, {@code 12:00:01}, {@code 12:00:01.250}. */
    private static boolean isClock(String s, int from, int to) {
        int colons = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
            } else if (!isDigit(c) && c != '.' && c != ',') {
                return false;
            }
        }
        return colons >= 1 && colons <= 2 && isDigit(s.charAt(from)) && isDigit(s.charAt(to - 1));
    }

    /** Two or more colons and a hex letter or {@code ::}, e.g. {@code fe80::1}, {@code 2001:db8:0:0:0:0:2:1}. */
    private static boolean isIpv6(String s, int from, int to) {
        int colons = 0;
        boolean letter = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
            } else if (isHexChar(c)) {
                letter |= !isDigit(c);
            } else {
                return false;
            }
        }
        return colons >= 2 && (letter || s.indexOf("::", from) >= 0 && s.indexOf("::", from) < to);
    }

    private static int closingQuote(String s, int open) {
        char q = s.charAt(open);
        int limit = Math.min(s.length(), open + 1024);
        for (int i = open + 1; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                // a closing single quote must end a word, so "don't" is not a quote
                return q == '"' || i + 1 == s.length() || !Character.isLetterOrDigit(s.charAt(i + 1)) ? i : -1;
            }
        }
        return -1;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHexChar(s.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isTrailingPunct(char c) {
        return c == ',' || c == ';' || c == '.' || c == ':' || c == '!' || c == '?';
    }
}

package io.logflow.parse;

/**
 * Removes ANSI terminal escape sequences (colours and cursor control) that loggers writing to a terminal leave in a
 * line: CSI {@code ESC [ params intermediates final} ({@code \u001B[31m}), OSC {@code ESC ] ... BEL} or
 * {@code ... ESC \}, {@code ESC ( B} and the like, and two-character {@code ESC x} sequences. One pass, no regular
 * expression.
 */
public final class AnsiEscapes {
    private static final char ESC = '\u001B';
    private static final char BEL = '\u0007';

    private AnsiEscapes() {}

    /** The text without escape sequences; the argument itself when it has none. */
    public static String strip(String s) {
        int first = s.indexOf(ESC);
        if (first < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        out.append(s, 0, first);
        int i = first;
        while (i < n) {
            char c = s.charAt(i);
            if (c != ESC) {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                break; // a lone ESC at the end
            }
            char kind = s.charAt(i + 1);
            i += 2;
            if (kind >= 0x20 && kind <= 0x2F) {
                // ESC intermediates final: character set designations like ESC ( B
                while (i < n && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) {
                    i++;
                }
                if (i < n && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x7E) {
                    i++;
                }
            } else if (kind == '[') {
                while (i < n && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x3F) {
                    i++; // parameters
                }
                while (i < n && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) {
                    i++; // intermediates
                }
                if (i < n && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7E) {
                    i++; // final byte
                }
            } else if (kind == ']') {
                while (i < n && s.charAt(i) != BEL && !(s.charAt(i) == ESC && i + 1 < n && s.charAt(i + 1) == '\\')) {
                    i++;
                }
                i += i < n && s.charAt(i) == BEL ? 1 : 2;
            }
        }
        return out.toString();
    }
}

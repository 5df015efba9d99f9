package io.logflow.model;

/**
 * Makes text storable in every store the job writes: PostgreSQL {@code text} and {@code jsonb} reject NUL (raw, or as
 * the JSON escape {@code \u0000}), and the PostgreSQL driver and JSON encoders turn an unpaired UTF-16 surrogate into
 * {@code ?} or an error. Both are replaced by U+FFFD, so a value changes only where it could not have been stored,
 * and the caller records that it happened.
 *
 * <p>Strings are made storable once, where they leave decoding and parsing; sinks may rely on it. Every method
 * returns its argument itself when there is nothing to do, so the common case allocates nothing.
 */
public final class Storable {
    private Storable() {}

    public static final char REPLACEMENT = '\uFFFD';

    /** True when {@code s} is null or holds neither NUL nor an unpaired surrogate. */
    public static boolean isStorable(String s) {
        return s == null || firstUnstorable(s) < 0;
    }

    /** {@code s} with every NUL and unpaired surrogate replaced by U+FFFD; {@code s} itself when it has none. */
    public static String text(String s) {
        if (s == null) {
            return null;
        }
        int first = firstUnstorable(s);
        return first < 0 ? s : replaceFrom(s, first);
    }

    /**
     * At most {@code maxChars} UTF-16 units of {@code s}, never ending in the first half of a surrogate pair (which
     * would leave it unpaired): the cut moves one unit back instead.
     */
    public static String truncate(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Bytes of {@code s} in UTF-8, without encoding it: a surrogate pair is 4, an unpaired surrogate 3 (the U+FFFD
     * it becomes when encoded).
     */
    public static int utf8Length(String s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Index of the first NUL or unpaired surrogate, or -1. */
    static int firstUnstorable(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            // One comparison for every ordinary character: NUL wraps around to 0xFFFF, and 1..0xD7FF stay below.
            if ((char) (c - 1) < 0xD7FF) {
                continue;
            }
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a valid pair
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String replaceFrom(String s, int first) {
        int n = s.length();
        StringBuilder out = new StringBuilder(n).append(s, 0, first);
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

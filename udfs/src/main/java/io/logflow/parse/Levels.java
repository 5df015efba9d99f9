package io.logflow.parse;

import io.logflow.model.Level;

/** Level names and numbers as log libraries write them, normalised; and level sniffing in free text. */
public final class Levels {
    // Matched case-insensitively without allocating: most lookups happen while sniffing text.
    private static final String[] NAMES = {
        "TRACE", "FINEST", "VERBOSE", "DEBUG", "FINE", "FINER", "DBG", "INFO", "INFORMATION", "NOTICE", "INF",
        "WARN", "WARNING", "WRN", "ERROR", "ERR", "SEVERE", "FATAL", "CRITICAL", "CRIT", "ALERT", "EMERG",
        "EMERGENCY", "PANIC"
    };
    private static final Level[] LEVELS = {
        Level.TRACE, Level.TRACE, Level.TRACE, Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.INFO,
        Level.INFO, Level.INFO, Level.INFO, Level.WARN, Level.WARN, Level.WARN, Level.ERROR, Level.ERROR,
        Level.ERROR, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL
    };

    /** How many leading words of a free-text line {@link #sniff} looks at. */
    private static final int SNIFF_WORDS = 8;

    private Levels() {}

    /**
     * A level name in any case ({@code warning}, {@code ERR}, {@code crit}...), a pino/bunyan number ({@code 30}) or a
     * syslog severity digit ({@code 3}); null if it is none.
     */
    public static Level fromName(String name) {
        if (name == null) {
            return null;
        }
        int from = 0;
        int to = name.length();
        while (from < to && name.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && name.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == to || to - from > 11) {
            return null;
        }
        if (isDigits(name, from, to)) {
            int n = Integer.parseInt(name, from, to, 10);
            return n <= 7 ? fromSyslogSeverity(n) : fromNumber(n);
        }
        return lookup(name, from, to);
    }

    /** pino / bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
    public static Level fromNumber(int n) {
        if (n >= 60) {
            return Level.FATAL;
        } else if (n >= 50) {
            return Level.ERROR;
        } else if (n >= 40) {
            return Level.WARN;
        } else if (n >= 30) {
            return Level.INFO;
        } else if (n >= 20) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /** Syslog severity 0 emerg .. 7 debug. */
    public static Level fromSyslogSeverity(int severity) {
        switch (severity) {
            case 0:
            case 1:
            case 2:
                return Level.FATAL;
            case 3:
                return Level.ERROR;
            case 4:
                return Level.WARN;
            case 5:
            case 6:
                return Level.INFO;
            default:
                return Level.DEBUG;
        }
    }

    /** The level named by {@code s[from, to)} in any case, or null. */
    public static Level lookup(CharSequence s, int from, int to) {
        int len = to - from;
        for (int k = 0; k < NAMES.length; k++) {
            String name = NAMES[k];
            if (name.length() == len && equalsIgnoreCase(s, from, name)) {
                return LEVELS[k];
            }
        }
        return null;
    }

    /**
     * Finds a level word among the first words of free text at {@code from}. To avoid reading "no error" as ERROR a word
     * counts only when it is upper case, or bracketed ({@code [warn]}, {@code <error>}), or followed by a colon
     * ({@code error: disk full}). Returns null when none is found; otherwise {@code pos[0]}/{@code pos[1]} get the
     * word's bounds including its brackets or colon.
     */
    public static Level sniff(CharSequence s, int from, int[] pos) {
        int n = s.length();
        int i = from;
        for (int word = 0; word < SNIFF_WORDS && i < n; word++) {
            while (i < n && !isLetter(s.charAt(i))) {
                i++;
            }
            int start = i;
            boolean upper = true;
            while (i < n && isLetter(s.charAt(i))) {
                if (s.charAt(i) >= 'a') {
                    upper = false;
                }
                i++;
            }
            int end = i;
            if (end - start < 3 || end - start > 11) {
                continue;
            }
            char before = start > 0 ? s.charAt(start - 1) : ' ';
            char after = end < n ? s.charAt(end) : ' ';
            boolean bracketed = (before == '[' && after == ']') || (before == '<' && after == '>')
                    || (before == '(' && after == ')');
            boolean separated = (before == ' ' || before == '\t' || before == '|' || start == from)
                    && (after == ' ' || after == '\t' || after == ':' || after == '|' || end == n || bracketed);
            if (!(bracketed || separated) || !(upper || bracketed || after == ':')) {
                continue;
            }
            Level level = lookup(s, start, end);
            if (level != null) {
                pos[0] = bracketed ? start - 1 : start;
                pos[1] = bracketed || after == ':' ? end + 1 : end;
                return level;
            }
        }
        return null;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigits(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(CharSequence s, int from, String upperName) {
        for (int k = 0; k < upperName.length(); k++) {
            char c = s.charAt(from + k);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - 32);
            }
            if (c != upperName.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}

package io.logflow.parse;

/**
 * Timestamp values as log lines write them, to UTC epoch millis. Hand-written scanners: no java.time parsing and no
 * exceptions on the hot path, because most sniffing attempts fail and exceptions are expensive.
 *
 * <p>Every {@code scan*} method reads at {@code from}, returns {@link #NONE} when the text there is not a timestamp,
 * and otherwise writes the index just after the timestamp into {@code end[0]}.
 */
public final class Timestamps {
    /** Returned when a value is not a timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    /** Epoch values outside [1980, 2200) are counters or durations, not timestamps. */
    private static final long MIN_PLAUSIBLE = 315_532_800_000L;
    private static final long MAX_PLAUSIBLE = 7_258_118_400_000L;

    private static final long DAY_MS = 86_400_000L;

    private Timestamps() {}

    /** Whether epoch millis lie in [1980, 2200): anything else is not a log's time, and may not even be storable. */
    public static boolean isPlausible(long ms) {
        return ms >= MIN_PLAUSIBLE && ms < MAX_PLAUSIBLE;
    }

    /** Epoch seconds, millis, micros or nanos, told apart by magnitude; {@link #NONE} when implausible. */
    public static long fromEpoch(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return NONE;
        }
        double abs = Math.abs(value);
        long ms;
        if (abs < 1e11) { // seconds until year 5138
            ms = (long) (value * 1000d);
        } else if (abs < 1e14) {
            ms = (long) value;
        } else if (abs < 1e17) {
            ms = (long) (value / 1000d);
        } else {
            ms = (long) (value / 1_000_000d);
        }
        return isPlausible(ms) ? ms : NONE;
    }

    /**
     * A whole value: ISO-8601 (offset optional, none means UTC; {@code T} or space; {@code .} or {@code ,} before the
     * fraction; {@code /} date separators), Apache {@code 10/Oct/2000:13:55:36 -0700}, or an epoch number as text.
     * Syslog dates without a year need {@link #parse(String, long)}.
     */
    public static long parse(String text) {
        return parse(text, NONE);
    }

    /** As {@link #parse(String)}, also accepting syslog {@code Oct 11 22:14:15} resolved against {@code receiveTime}. */
    public static long parse(String text, long receiveTime) {
        if (text == null) {
            return NONE;
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            return NONE;
        }
        int[] end = new int[1];
        long ms = scanIso(s, 0, end);
        if (ms == NONE) {
            ms = scanApache(s, 0, end);
        }
        if (ms == NONE && receiveTime != NONE) {
            ms = scanSyslog(s, 0, receiveTime, end);
        }
        if (ms != NONE) {
            return end[0] == s.length() ? ms : NONE;
        }
        return parseEpoch(s);
    }

    /** Digits with an optional fraction, as epoch s/ms/µs/ns; {@link #NONE} otherwise. */
    public static long parseEpoch(String s) {
        int n = s.length();
        if (n == 0 || n > 24) {
            return NONE;
        }
        int dots = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return NONE;
            }
        }
        if (dots > 1 || s.charAt(0) == '.' || s.charAt(n - 1) == '.') {
            return NONE;
        }
        if (dots == 0 && n <= 18) {
            long v = Long.parseLong(s); // safe: only digits, at most 18 of them
            return fromEpoch((double) v);
        }
        return fromEpoch(Double.parseDouble(s));
    }

    /**
     * ISO-8601 like {@code 2024-06-15T12:00:00.123+02:00}, {@code 2024-06-15 12:00:00,123}, {@code 2024/06/15 12:00:00}
     * or {@code 2024-06-15T12:00Z}. A missing offset means UTC.
     */
    public static long scanIso(CharSequence s, int from, int[] end) {
        int n = s.length();
        int i = from;
        if (i + 16 > n) {
            return NONE;
        }
        int year = digits(s, i, 4);
        char sep = s.charAt(i + 4);
        if (year < 0 || (sep != '-' && sep != '/') || s.charAt(i + 7) != sep) {
            return NONE;
        }
        int month = digits(s, i + 5, 2);
        int day = digits(s, i + 8, 2);
        char t = s.charAt(i + 10);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || (t != 'T' && t != ' ' && t != 't')) {
            return NONE;
        }
        int hour = digits(s, i + 11, 2);
        int minute = digits(s, i + 14, 2);
        if (hour < 0 || hour > 23 || s.charAt(i + 13) != ':' || minute < 0 || minute > 59) {
            return NONE;
        }
        i += 16;
        int second = 0;
        int millis = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0 || second > 60) {
                return NONE;
            }
            second = Math.min(second, 59); // a leap second folds into the one before
            i += 3;
            if (i + 1 < n && (s.charAt(i) == '.' || s.charAt(i) == ',') && isDigit(s.charAt(i + 1))) {
                i++;
                int scale = 100;
                while (i < n && isDigit(s.charAt(i))) {
                    millis += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                    i++;
                }
            }
        }
        long offsetMs = 0;
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' || c == 'z') {
                i++;
            } else if (c == '+' || c == '-') {
                int[] off = new int[1];
                int after = scanOffset(s, i, off);
                if (after > 0) {
                    offsetMs = off[0] * 60_000L;
                    i = after;
                }
            } else if (c == ' ' && i + 4 <= n && regionEqualsIgnoreCase(s, i + 1, "UTC")) {
                i += 4;
            }
        }
        end[0] = i;
        return epochMillis(year, month, day, hour, minute, second, millis) - offsetMs;
    }

    /** Apache/Nginx {@code 10/Oct/2000:13:55:36 -0700} (the offset is optional). */
    public static long scanApache(CharSequence s, int from, int[] end) {
        int n = s.length();
        int i = from;
        if (i + 20 > n) {
            return NONE;
        }
        int day = digits(s, i, 2);
        int month = s.charAt(i + 2) == '/' && s.charAt(i + 6) == '/' ? month(s, i + 3) : -1;
        int year = digits(s, i + 7, 4);
        if (day < 1 || month < 1 || year < 0 || day > daysInMonth(year, month) || s.charAt(i + 11) != ':') {
            return NONE;
        }
        int hour = digits(s, i + 12, 2);
        int minute = digits(s, i + 15, 2);
        int second = digits(s, i + 18, 2);
        if (!isClockTime(hour, minute, second) || s.charAt(i + 14) != ':' || s.charAt(i + 17) != ':') {
            return NONE;
        }
        i += 20;
        long offsetMs = 0;
        if (i + 1 < n && s.charAt(i) == ' ' && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
            int[] off = new int[1];
            int after = scanOffset(s, i + 1, off);
            if (after > 0) {
                offsetMs = off[0] * 60_000L;
                i = after;
            }
        }
        end[0] = i;
        return epochMillis(year, month, day, hour, minute, Math.min(second, 59), 0) - offsetMs;
    }

    /** Hours, minutes and seconds of a wall-clock time; 60 seconds allows a leap second. */
    public static boolean isClockTime(int hour, int minute, int second) {
        return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
    }

    /**
     * Syslog RFC 3164 {@code Oct 11 22:14:15} (day space-padded, zero-padded or not padded at all: {@code Jun 8
     * 11:54:08}; optional fraction), in UTC. The line has no year: it is the one that puts the time nearest the
     * receive time ({@link #nearestYear}).
     */
    public static long scanSyslog(CharSequence s, int from, long receiveTime, int[] end) {
        int n = s.length();
        int i = from;
        if (i + 14 > n || s.charAt(i + 3) != ' ') {
            return NONE;
        }
        int month = month(s, i);
        if (month < 0) {
            return NONE;
        }
        i += 4;
        if (s.charAt(i) == ' ') {
            i++; // space-padded day
        }
        int day = digits(s, i, 1);
        i++;
        if (i < n && isDigit(s.charAt(i))) {
            day = day * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (day < 1 || day > 31 || i + 9 > n || s.charAt(i) != ' ') {
            return NONE;
        }
        int hour = digits(s, i + 1, 2);
        int minute = digits(s, i + 4, 2);
        int second = digits(s, i + 7, 2);
        if (!isClockTime(hour, minute, second) || s.charAt(i + 3) != ':' || s.charAt(i + 6) != ':') {
            return NONE;
        }
        i += 9;
        int millis = 0;
        if (i + 1 < n && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
            i++;
            int scale = 100;
            while (i < n && isDigit(s.charAt(i))) {
                millis += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        long ms = nearestYear(month, day, hour, minute, Math.min(second, 59), millis, receiveTime);
        if (ms == NONE) {
            return NONE;
        }
        end[0] = i;
        return ms;
    }

    /**
     * A date written without a year (syslog, klog), in UTC: of the receive time's year and the ones before and after,
     * the one that puts the time nearest the receive time. A December line read in January is last year's; a January
     * line read on 31 December from a sender whose clock runs ahead is next year's. {@link #NONE} when the date exists
     * in none of them (30 February).
     */
    public static long nearestYear(int month, int day, int hour, int minute, int second, int millis,
            long receiveTime) {
        int year = yearOf(receiveTime);
        if (day <= daysInMonth(year, month)) {
            long ms = epochMillis(year, month, day, hour, minute, second, millis);
            if (Math.abs(ms - receiveTime) < 182 * DAY_MS) {
                return ms; // the same date a year before or after is at least 365 days away from it, so further
            }
        }
        long best = NONE;
        long bestDistance = Long.MAX_VALUE;
        for (int y = year - 1; y <= year + 1; y++) {
            if (day > daysInMonth(y, month)) {
                continue;
            }
            long ms = epochMillis(y, month, day, hour, minute, second, millis);
            long distance = Math.abs(ms - receiveTime);
            if (distance < bestDistance) {
                best = ms;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** UTC epoch millis of a civil date-time (proleptic Gregorian). */
    public static long epochMillis(int year, int month, int day, int hour, int minute, int second, int millis) {
        return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
    }

    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static int yearOf(long epochMillis) {
        long days = Math.floorDiv(epochMillis, DAY_MS) + 719468;
        long era = (days >= 0 ? days : days - 146096) / 146097;
        long doe = days - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        return (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    }

    /** {@code +hh:mm}, {@code +hhmm} or {@code +hh} at {@code i}; minutes into {@code out[0]}; end index or -1. */
    private static int scanOffset(CharSequence s, int i, int[] out) {
        int n = s.length();
        int sign = s.charAt(i) == '-' ? -1 : 1;
        int hh = i + 3 <= n ? digits(s, i + 1, 2) : -1;
        if (hh < 0 || hh > 18) {
            return -1;
        }
        int j = i + 3;
        int mm = 0;
        if (j + 3 <= n && s.charAt(j) == ':' && digits(s, j + 1, 2) >= 0) {
            mm = digits(s, j + 1, 2);
            j += 3;
        } else if (j + 2 <= n && digits(s, j, 2) >= 0) {
            mm = digits(s, j, 2);
            j += 2;
        }
        if (mm > 59) {
            return -1;
        }
        out[0] = sign * (hh * 60 + mm);
        return j;
    }

    /** The month (1-12) of an English abbreviation like {@code Oct} at {@code i}, in any case; -1 if none. */
    public static int month(CharSequence s, int i) {
        if (i + 3 > s.length()) {
            return -1;
        }
        char a = s.charAt(i);
        char b = s.charAt(i + 1);
        char c = s.charAt(i + 2);
        if ((a | b | c) >= 0x80) {
            return -1; // of the characters outside ASCII only U+0130 and U+212A lower-case into it, to 'i' and 'k'
        }
        // One switch on the three letters in lower case instead of twelve comparisons.
        switch (asciiLower(a) << 16 | asciiLower(b) << 8 | asciiLower(c)) {
            case 'j' << 16 | 'a' << 8 | 'n': return 1;
            case 'f' << 16 | 'e' << 8 | 'b': return 2;
            case 'm' << 16 | 'a' << 8 | 'r': return 3;
            case 'a' << 16 | 'p' << 8 | 'r': return 4;
            case 'm' << 16 | 'a' << 8 | 'y': return 5;
            case 'j' << 16 | 'u' << 8 | 'n': return 6;
            case 'j' << 16 | 'u' << 8 | 'l': return 7;
            case 'a' << 16 | 'u' << 8 | 'g': return 8;
            case 's' << 16 | 'e' << 8 | 'p': return 9;
            case 'o' << 16 | 'c' << 8 | 't': return 10;
            case 'n' << 16 | 'o' << 8 | 'v': return 11;
            case 'd' << 16 | 'e' << 8 | 'c': return 12;
            default: return -1;
        }
    }

    private static int asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
    }

    static boolean regionEqualsIgnoreCase(CharSequence s, int i, String lower) {
        if (i + lower.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            if (Character.toLowerCase(s.charAt(i + k)) != Character.toLowerCase(lower.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code count} decimal digits at {@code i}; -1 if any is not a digit. */
    public static int digits(CharSequence s, int i, int count) {
        if (i < 0 || i + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < count; k++) {
            char c = s.charAt(i + k);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Days in a month of the proleptic Gregorian calendar. */
    public static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }
}

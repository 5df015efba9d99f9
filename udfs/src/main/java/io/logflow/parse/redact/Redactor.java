package io.logflow.parse.redact;

import io.logflow.model.Storable;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@link #MASK} before an event reaches any sink. Hand-written scanners, linear in the input:
 *
 * <ul>
 *   <li>{@code key=value}, {@code key: value}, {@code "key":"value"} where the key is sensitive (see
 *       {@link #isSensitiveKey}); cookie values are masked one by one and keep their names; authorization values keep
 *       their scheme ({@code Bearer [REDACTED]}).
 *   <li>{@code Bearer <token>} and {@code Basic <credentials>} anywhere.
 *   <li>Free-standing AWS secret access keys (40 characters of base64 with upper case, lower case and digits) and JWTs.
 *   <li>Configured extra key names and patterns ({@link RedactionRules}).
 * </ul>
 *
 * Not thread-safe (it reuses a buffer); each parser holds its own.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";

    private final RedactionRules rules;
    private final Pattern[] extraPatterns;
    /**
     * The shortest text the built-in passes can change: a sensitive key, a separator and one character ("pwd=x").
     * Shorter values (levels, status codes, methods) skip them.
     */
    private final int shortestSecret;
    /**
     * The fewest letters a sensitive key has: 3 ({@code pwd}), or fewer for a configured key. A key in free text with
     * fewer letters (the {@code 11} and {@code 2024-06-15T10} of times) is not sensitive without a look.
     */
    private final int fewestKeyLetters;
    /** The shortest sensitive key of {@link #keyKind}'s list, all letters: it bounds the two fields above. */
    private static final String SHORTEST_BUILT_IN_KEY = "pwd";
    private final StringBuilder keyBuf = new StringBuilder(32);
    /** {@link #cachedKeyKind}'s slots: a key met in free text, and its verdict. */
    private final String[] textKeys = new String[256];
    private final int[] textKeyKinds = new int[256];
    /**
     * Attribute keys repeat from record to record: their verdicts are cached in a two-way table indexed by the key's
     * hash code (which the field map has already computed), a key and its verdict per slot.
     */
    private final String[] fieldKeys = new String[FIELD_KEY_SLOTS];
    private final int[] fieldKeyKinds = new int[FIELD_KEY_SLOTS];
    private static final int FIELD_KEY_SLOTS = 1024;

    /** See {@link #returnedStorable()}. */
    private boolean returnedStorable;
    /** See {@link #keyWasStorable()}. */
    private boolean keyWasStorable;

    public Redactor(RedactionRules rules) {
        this.rules = rules;
        int builtIn = SHORTEST_BUILT_IN_KEY.length();
        int shortestKey = Math.min(builtIn, rules.extraKeys.stream().mapToInt(String::length).min().orElse(builtIn));
        this.shortestSecret = shortestKey + "=x".length();
        this.fewestKeyLetters = Math.min(builtIn, rules.extraKeys.stream()
                .mapToInt(k -> (int) k.chars().filter(Redactor::isLetter).count()).min().orElse(builtIn));
        this.extraPatterns = new Pattern[rules.extraPatterns.size()];
        for (int i = 0; i < extraPatterns.length; i++) {
            extraPatterns[i] = Pattern.compile(rules.extraPatterns.get(i));
        }
    }

    public boolean isEnabled() {
        return rules.enabled;
    }

    /** Whether only the built-in rules apply: no configured key names, no configured patterns. */
    public boolean hasOnlyBuiltInRules() {
        return rules.extraKeys.isEmpty() && extraPatterns.length == 0;
    }

    /** Redacts every field: by key when the key is sensitive, else by scanning the value. */
    public void redactFields(Map<String, String> fields) {
        if (!rules.enabled || fields == null) {
            return;
        }
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String value = e.getValue();
            if (value == null) {
                continue;
            }
            String redacted = redactValue(e.getKey(), value);
            if (redacted != value) {
                e.setValue(redacted);
            }
        }
    }

    /** The value of attribute {@code key} (dotted keys are judged by their last segment), redacted. */
    public String redactValue(String key, String value) {
        returnedStorable = false;
        keyWasStorable = false;
        if (!rules.enabled || value == null) {
            return value;
        }
        int h = key.hashCode();
        int slot = (h ^ (h >>> 16)) & (FIELD_KEY_SLOTS - 1);
        String known = fieldKeys[slot];
        int verdict;
        if (known == key || key.equals(known)) {
            verdict = fieldKeyKinds[slot];
        } else if (fieldKeys[slot ^ 1] == key || key.equals(fieldKeys[slot ^ 1])) {
            verdict = fieldKeyKinds[slot ^ 1];
        } else {
            verdict = keyKind(key, key.lastIndexOf('.') + 1, key.length())
                    | (Storable.isStorable(key) ? STORABLE_KEY : 0);
            int to = known == null ? slot : slot ^ 1; // two ways: a pair of keys that collide both stay
            fieldKeys[to] = key;
            fieldKeyKinds[to] = verdict;
        }
        keyWasStorable = (verdict & STORABLE_KEY) != 0;
        int kind = verdict & ~STORABLE_KEY;
        if (kind != NOT_SENSITIVE) {
            return maskValue(kind, value, 0, value.length());
        }
        return redact(value);
    }

    /** Free text with secrets masked; the same instance when nothing was found. */
    public String redact(String text) {
        returnedStorable = false;
        if (!rules.enabled || text == null || text.isEmpty()) {
            return text;
        }
        // Cheap checks decide which passes can find anything; most values are short plain words. The run check
        // looks at one character in 24.
        String out = text;
        int found;
        if (text.length() < shortestSecret) {
            found = scanShort(text); // for the storable verdict alone: too short for any pass
        } else {
            found = text.length() < SHORT_TEXT ? scanShort(text) : scanLong(text) | MAY_BE_UNSTORABLE;
            out = (found & HAS_SEPARATOR) != 0 ? redactKeyValues(out) : out;
            if ((found & HAS_B) != 0) {
                String schemes = redactSchemes(out);
                // A masked credential can leave a key and its separator standing alone ("Bearer x.cookie:password:v"
                // becomes "Bearer [REDACTED]:password:v"): look for pairs once more, so redacting is idempotent.
                out = schemes != out && (found & HAS_SEPARATOR) != 0 ? redactKeyValues(schemes) : schemes;
            }
            out = mayHoldTokenShape(out) ? redactTokenShapes(out) : out;
        }
        for (Pattern p : extraPatterns) {
            java.util.regex.Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll(MASK);
            }
        }
        returnedStorable = out == text && (found & MAY_BE_UNSTORABLE) == 0;
        return out;
    }

    /**
     * Whether the last {@link #redact} or {@link #redactValue} returned its argument unchanged after a scan of every
     * character that found neither NUL nor a surrogate, so that it is storable ({@link io.logflow.model.Storable})
     * without a scan of its own. False whenever that is not known.
     */
    public boolean returnedStorable() {
        return returnedStorable;
    }

    /**
     * Whether the key of the last {@link #redactValue} holds neither NUL nor an unpaired surrogate: its verdict is
     * cached with the key's kind, so a caller that must make keys storable need not look the key up again. False
     * whenever that is not known (redaction off, a null value).
     */
    public boolean keyWasStorable() {
        return keyWasStorable;
    }

    /** Whether the values of this key are masked. */
    public boolean isSensitiveKey(String key) {
        return keyKind(key, 0, key.length()) != NOT_SENSITIVE;
    }

    // ---- key = value pairs in free text

    private static final int NOT_SENSITIVE = 0;
    private static final int PLAIN = 1;
    private static final int COOKIE = 2;
    private static final int AUTHORIZATION = 3;
    /** In {@link #fieldKeyKinds}, beside the kind: the key itself is storable. */
    private static final int STORABLE_KEY = 8;

    private String redactKeyValues(String s) {
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        int nextEquals = s.indexOf('=');
        int nextColon = s.indexOf(':');
        for (int i = 0; i < n; i++) {
            // Jump to the next separator: indexOf is a vectorised intrinsic, and most characters are not separators.
            if (nextEquals >= 0 && nextEquals < i) {
                nextEquals = s.indexOf('=', i);
            }
            if (nextColon >= 0 && nextColon < i) {
                nextColon = s.indexOf(':', i);
            }
            i = nextEquals < 0 ? nextColon : nextColon < 0 ? nextEquals : Math.min(nextEquals, nextColon);
            if (i < 0) {
                break;
            }
            char c = s.charAt(i);
            // the key ends before the separator, possibly inside quotes
            int keyEnd = i;
            if (keyEnd > 0 && (s.charAt(keyEnd - 1) == '"' || s.charAt(keyEnd - 1) == '\'')) {
                keyEnd--;
            }
            int keyStart = keyEnd;
            int letters = 0;
            while (keyStart > 0 && keyStart > keyEnd - 64 && isKeyChar(s.charAt(keyStart - 1))) {
                keyStart--;
                letters += isLetter(s.charAt(keyStart)) ? 1 : 0;
            }
            if (keyStart == keyEnd || letters < fewestKeyLetters) {
                continue;
            }
            int kind = cachedKeyKind(s, lastSegment(s, keyStart, keyEnd), keyEnd);
            if (kind == NOT_SENSITIVE) {
                continue;
            }
            int v = i + 1;
            if (c == '=' && v < n && s.charAt(v) == '=') {
                continue; // "a == b" is a comparison, not an assignment
            }
            while (v < n && (s.charAt(v) == ' ' || s.charAt(v) == '\t')) {
                v++;
            }
            if (v >= n) {
                break;
            }
            int valueStart;
            int valueEnd;
            char q = s.charAt(v);
            if (q == '"' || q == '\'') {
                valueStart = v + 1;
                valueEnd = valueStart;
                while (valueEnd < n && s.charAt(valueEnd) != q) {
                    valueEnd += s.charAt(valueEnd) == '\\' ? 2 : 1;
                }
                valueEnd = Math.min(valueEnd, n);
            } else {
                valueStart = v;
                valueEnd = v;
                while (valueEnd < n) {
                    if (s.charAt(valueEnd) == '[' && s.startsWith(MASK, valueEnd)) {
                        valueEnd += MASK.length(); // our own mask is part of the value, not its end
                    } else if (endsValue(kind, s.charAt(valueEnd))) {
                        break;
                    } else {
                        valueEnd++;
                    }
                }
            }
            if (valueEnd <= valueStart || isAlreadyMasked(s, valueStart, valueEnd)) {
                i = Math.max(i, valueEnd - 1);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
            }
            out.append(s, copied, valueStart).append(maskValue(kind, s, valueStart, valueEnd));
            copied = valueEnd;
            i = valueEnd - 1;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    private static boolean endsValue(int kind, char c) {
        if (c == '\n' || c == '\r' || c == '"') {
            return true;
        }
        if (kind == COOKIE || kind == AUTHORIZATION) {
            return c == '}' || c == ']'; // a header value runs to the end of the line
        }
        return c == ' ' || c == '\t' || c == '&' || c == ',' || c == ';' || c == '}' || c == ']' || c == ')'
                || c == '\'';
    }

    private String maskValue(int kind, CharSequence s, int from, int to) {
        if (kind == COOKIE) {
            return maskCookies(s, from, to);
        }
        if (kind == AUTHORIZATION) {
            int sp = from;
            while (sp < to && s.charAt(sp) != ' ') {
                sp++;
            }
            if (sp < to && sp - from <= 16) {
                return s.subSequence(from, sp) + " " + MASK; // keep the scheme: it tells Bearer from Basic
            }
        }
        return MASK;
    }

    /** {@code a=1; b=2} becomes {@code a=[REDACTED]; b=[REDACTED]}; Set-Cookie attributes keep their names too. */
    private static String maskCookies(CharSequence s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from + 16);
        int i = from;
        while (i < to) {
            int semi = i;
            while (semi < to && s.charAt(semi) != ';') {
                semi++;
            }
            int eq = i;
            while (eq < semi && s.charAt(eq) != '=') {
                eq++;
            }
            if (eq < semi) {
                sb.append(s, i, eq + 1).append(MASK);
            } else {
                sb.append(s, i, semi); // a bare attribute such as HttpOnly
            }
            if (semi < to) {
                sb.append(';');
            }
            i = semi + 1;
        }
        return sb.toString();
    }

    // ---- Bearer / Basic credentials anywhere

    private static String redactSchemes(String s) {
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        int nextLower = s.indexOf('b');
        int nextUpper = s.indexOf('B');
        for (int i = 0; i + 7 < n; i++) {
            // Jump to the next 'b' or 'B', as redactKeyValues does to its separators: most characters are neither.
            if (nextLower >= 0 && nextLower < i) {
                nextLower = s.indexOf('b', i);
            }
            if (nextUpper >= 0 && nextUpper < i) {
                nextUpper = s.indexOf('B', i);
            }
            i = nextLower < 0 ? nextUpper : nextUpper < 0 ? nextLower : Math.min(nextLower, nextUpper);
            if (i < 0 || i + 7 >= n) {
                break;
            }
            int len;
            if (regionIgnoreCase(s, i, "bearer ")) {
                len = 7;
            } else if (regionIgnoreCase(s, i, "basic ")) {
                len = 6;
            } else {
                continue;
            }
            if (i > 0 && Character.isLetterOrDigit(s.charAt(i - 1))) {
                continue;
            }
            int v = i + len;
            int end = v;
            while (end < n && isCredentialChar(s.charAt(end))) {
                end++;
            }
            if (end - v < 8) {
                continue; // "basic auth", "bearer token": prose, not a credential
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, v).append(MASK);
            copied = end;
            i = end - 1;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    // ---- AWS secret access keys and JWTs standing alone

    static String redactTokenShapes(String s) {
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!isBase64Char(c) && c != '-' && c != '_') {
                i++;
                continue;
            }
            int start = i;
            int end;
            if (c == 'e' && s.startsWith("eyJ", i) && (i == 0 || !isJwtChar(s.charAt(i - 1)))) {
                int dots = 0;
                end = i;
                while (end < n && (isJwtChar(s.charAt(end)) || s.charAt(end) == '.')) {
                    dots += s.charAt(end) == '.' ? 1 : 0;
                    end++;
                }
                if (dots == 2 && end - start >= 24 && s.charAt(end - 1) != '.') {
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(s, copied, start).append(MASK);
                    copied = end;
                    i = end;
                    continue;
                }
            }
            // a run of base64 characters, bounded by anything else
            boolean upper = false;
            boolean lower = false;
            boolean digit = false;
            int slashes = 0;
            end = i;
            while (end < n && isBase64Char(s.charAt(end))) {
                char d = s.charAt(end);
                upper |= d >= 'A' && d <= 'Z';
                lower |= d >= 'a' && d <= 'z';
                digit |= d >= '0' && d <= '9';
                slashes += d == '/' || d == '+' ? 1 : 0;
                end++;
            }
            boolean bounded = (start == 0 || !isJwtChar(s.charAt(start - 1)))
                    && (end == n || !isJwtChar(s.charAt(end)) || s.charAt(end) == '=');
            // AWS_SECRET_CHARS random base64 characters; a path ("/api/v1/...") starts with a slash and has many
            if (end - start == AWS_SECRET_CHARS && upper && lower && digit && slashes <= 4 && s.charAt(start) != '/'
                    && bounded) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, start).append(MASK);
                copied = end;
            }
            i = Math.max(end, i + 1);
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '+';
    }

    private static boolean isJwtChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    // ---- key classification

    /**
     * {@link #keyKind} through a small direct-mapped cache of the keys met in free text ("user", "status", the hours of
     * a time...): they repeat from line to line, and a hit costs a hash and a compare instead of a dozen name checks.
     */
    private int cachedKeyKind(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        int slot = (h ^ (h >>> 16)) & (textKeys.length - 1);
        String cached = textKeys[slot];
        if (cached != null && cached.length() == to - from && s.startsWith(cached, from)) {
            return textKeyKinds[slot];
        }
        int kind = keyKind(s, from, to);
        textKeys[slot] = s.substring(from, to);
        textKeyKinds[slot] = kind;
        return kind;
    }

    private int keyKind(CharSequence s, int from, int to) {
        keyBuf.setLength(0);
        for (int i = from; i < to && keyBuf.length() < 64; i++) {
            char c = s.charAt(i);
            if (c == '_' || c == '-' || c == '.' || c == '"' || c == '\'') {
                continue;
            }
            keyBuf.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        StringBuilder k = keyBuf;
        if (k.length() == 0) {
            return NOT_SENSITIVE;
        }
        if (is(k, "cookie") || is(k, "setcookie") || is(k, "cookies")) {
            return COOKIE;
        }
        if (is(k, "authorization") || is(k, "proxyauthorization")) {
            return AUTHORIZATION;
        }
        if (endsWith(k, "token")
                || k.indexOf("password") >= 0
                || k.indexOf("passwd") >= 0
                || is(k, "pwd")
                || k.indexOf("secret") >= 0
                || endsWith(k, "apikey")
                || endsWith(k, "credentials")
                || is(k, "privatekey")
                || is(k, "sessionid")
                || (!rules.extraKeys.isEmpty() && rules.extraKeys.contains(k.toString()))) {
            return PLAIN;
        }
        return NOT_SENSITIVE;
    }

    private static boolean is(StringBuilder k, String name) {
        return k.length() == name.length() && endsWith(k, name);
    }

    private static boolean endsWith(StringBuilder k, String suffix) {
        int off = k.length() - suffix.length();
        if (off < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (k.charAt(off + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lastSegment(CharSequence s, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            if (s.charAt(i) == '.') {
                return i + 1;
            }
        }
        return from;
    }

    private static boolean isAlreadyMasked(CharSequence s, int from, int to) {
        return to - from >= MASK.length() && regionIgnoreCase(s, from, MASK);
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                || c == '.';
    }

    private static final int HAS_SEPARATOR = 1;
    private static final int HAS_B = 2;
    /**
     * Below this length one plain loop beats four {@code indexOf} calls, each with its own set-up, and its storable
     * verdict spares the parser a scan of its own: log lines' messages are mostly shorter (160 against 64 before: the
     * parser benchmark's text corpus +13 %, JSON and mixed +4 %).
     */
    private static final int SHORT_TEXT = 160;

    /** A NUL or a surrogate, found by {@link #scanShort}, or not looked for. */
    private static final int MAY_BE_UNSTORABLE = 4;

    /**
     * Which passes {@code text} can interest: {@link #HAS_SEPARATOR} ({@code =} or {@code :}), {@link #HAS_B}; and
     * {@link #MAY_BE_UNSTORABLE} when it holds a NUL or a surrogate, in the same loop.
     */
    static int scanShort(String text) {
        int found = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // NUL is in the table; above it, (char) (c - 1) >= 0xD7FF holds for the surrogates 0xD800-0xDFFF
            found |= c < ASCII_SCAN.length ? ASCII_SCAN[c] : (char) (c - 1) >= 0xD7FF ? MAY_BE_UNSTORABLE : 0;
        }
        return found;
    }

    /** {@link #scanShort}'s verdict for each ASCII character. */
    private static final byte[] ASCII_SCAN = new byte[128];

    static {
        ASCII_SCAN['='] = HAS_SEPARATOR;
        ASCII_SCAN[':'] = HAS_SEPARATOR;
        ASCII_SCAN['b'] = HAS_B;
        ASCII_SCAN['B'] = HAS_B;
        ASCII_SCAN[0] = MAY_BE_UNSTORABLE;
    }

    static int scanLong(String text) {
        int found = text.indexOf('=') >= 0 || text.indexOf(':') >= 0 ? HAS_SEPARATOR : 0;
        return found | (text.indexOf('b') >= 0 || text.indexOf('B') >= 0 ? HAS_B : 0);
    }

    /** An AWS secret access key's length, in base64 characters. */
    private static final int AWS_SECRET_CHARS = 40;

    /**
     * Whether {@link #redactTokenShapes} can find anything in {@code s}: a JWT starts with {@code eyJ}, and a secret
     * key is a run of 40 base64 characters. Request ids and other UUIDs, whose hyphens cut every base64 run short,
     * are common in log lines and pass neither test.
     */
    static boolean mayHoldTokenShape(String s) {
        return s.indexOf("eyJ") >= 0 || hasBase64Run(s, AWS_SECRET_CHARS);
    }

    /**
     * Whether {@code s} has {@code min} base64 characters in a row. Such a run covers one of the positions
     * {@code min-1, 2*min-1, ...}, so only those are probed, and the run is measured around a probe that hits.
     */
    static boolean hasBase64Run(String s, int min) {
        int n = s.length();
        for (int probe = min - 1; probe < n; probe += min) {
            if (!isBase64Char(s.charAt(probe))) {
                continue;
            }
            int start = probe;
            while (start > 0 && probe - start < min && isBase64Char(s.charAt(start - 1))) {
                start--;
            }
            int end = probe + 1;
            while (end < n && end - start < min && isBase64Char(s.charAt(end))) {
                end++;
            }
            if (end - start >= min) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCredentialChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '+'
                || c == '=' || c == '.' || c == '-' || c == '_' || c == '~';
    }

    private static boolean regionIgnoreCase(CharSequence s, int i, String lower) {
        if (i + lower.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            char c = s.charAt(i + k);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            char l = lower.charAt(k);
            if (l >= 'A' && l <= 'Z') {
                l = (char) (l + 32);
            }
            if (c != l) {
                return false;
            }
        }
        return true;
    }
}

package io.logflow.parse.template;

/**
 * Splits a message into tokens with the variable parts masked, the preprocessing step of the miner. It knows no data
 * set's vocabulary, only shapes:
 *
 * <ul>
 *   <li>Whitespace separates chunks. A chunk that is a URL ({@code <URL>}), an absolute path ({@code <PATH>}) or a
 *       UUID ({@code <UUID>}) is masked whole, keeping surrounding brackets and trailing punctuation.</li>
 *   <li>Other chunks are cut after the delimiters {@code = , ; | # & " ' ( ) [ ] { }} and after a {@code :} that a
 *       non-digit follows, so {@code key=value} pairs, lists, {@code a##b} and compact JSON become several tokens;
 *       each token keeps its trailing delimiters ({@code "took=", "<NUM>,"}).</li>
 *   <li>In a token, a hex run of 6+ characters holding a digit and a letter, or one after {@code 0x}, becomes
 *       {@code <HEX>}; every other run of digits (with {@code .} or {@code ,} between digits, and a leading sign
 *       where no letter precedes it) becomes {@code <NUM>}: {@code blk_-1608} gives {@code blk_<NUM>}, {@code 35ms}
 *       gives {@code <NUM>ms}, {@code 10.0.0.1:80} gives {@code <NUM>:<NUM>}.</li>
 * </ul>
 *
 * <p>Letters are never masked, so two messages that differ in a word of letters never give the same tokens.
 * Tokens longer than {@value #MAX_TOKEN_CHARS} characters keep a head and a hash of the whole; past
 * {@value #MAX_TOKENS} tokens, the rest of the message is one token holding a hash of its masked tokens. Both keep
 * distinct inputs distinct (up to a 32-bit hash) while bounding what a template holds.
 *
 * <p>Not thread-safe: the tokens are written into a reused {@link Tokens} holder.
 */
public final class TokenMasker {
    public static final String NUM = "<NUM>";
    public static final String HEX = "<HEX>";
    public static final String URL = "<URL>";
    public static final String PATH = "<PATH>";
    public static final String UUID = "<UUID>";
    public static final int MAX_TOKENS = 96;
    public static final int MAX_TOKEN_CHARS = 64;
    private static final int HEAD_CHARS = 48;

    /** The tokens of one message: {@code token[i]}, and whether whitespace preceded it in the message. */
    public static final class Tokens {
        public String[] token = new String[32];
        public boolean[] spaceBefore = new boolean[32];
        public int size;

        void add(String t, boolean space) {
            if (size == token.length) {
                token = java.util.Arrays.copyOf(token, size * 2);
                spaceBefore = java.util.Arrays.copyOf(spaceBefore, size * 2);
            }
            token[size] = t;
            spaceBefore[size++] = space;
        }

        /** The tokens joined as they stood in the message. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < size; i++) {
                if (i > 0 && spaceBefore[i]) {
                    sb.append(' ');
                }
                sb.append(token[i]);
            }
            return sb.toString();
        }
    }

    private final StringBuilder sb = new StringBuilder(64);
    private final int maxTokens;

    public TokenMasker() {
        this(MAX_TOKENS);
    }

    TokenMasker(int maxTokens) {
        this.maxTokens = Math.max(2, maxTokens);
    }

    /** Fills {@code out} with the masked tokens of {@code message} (not null). */
    public void tokens(String message, Tokens out) {
        out.size = 0;
        int n = message.length();
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = message.charAt(i);
            if (isSpace(c)) {
                space = true;
                i++;
                continue;
            }
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) {
                i++;
            }
            chunk(message, start, i, space, out);
            space = false;
            if (out.size >= maxTokens) {
                foldTail(message, i, out);
                return;
            }
        }
    }

    /** Past the cap: the last token and the rest of the message become one hash token. */
    private void foldTail(String message, int from, Tokens out) {
        int keep = maxTokens - 1;
        long h = 0x84222325L;
        for (int k = keep; k < out.size; k++) {
            h = hash(h, out.token[k]);
        }
        Tokens rest = new Tokens();
        new TokenMasker(Integer.MAX_VALUE).tokens(message.substring(from), rest);
        for (int k = 0; k < rest.size; k++) {
            h = hash(h, rest.token[k]);
        }
        out.size = keep;
        out.add("<TAIL#" + hex32(h) + ">", true);
    }

    private void chunk(String s, int from, int to, boolean space, Tokens out) {
        int a = from;
        while (a < to && isOpen(s.charAt(a))) {
            a++;
        }
        int b = to;
        while (b > a && (isTrailingPunct(s.charAt(b - 1)) || isClose(s.charAt(b - 1)))) {
            b--;
        }
        String whole = a < b ? wholeChunk(s, a, b) : null;
        if (whole != null) {
            out.add(capped(s.substring(from, a) + whole + s.substring(b, to)), space);
            return;
        }
        // cut after delimiter runs
        int pieceStart = from;
        int k = from;
        while (k < to) {
            if (isDelimiter(s, k, to)) {
                // the delimiter run ends the piece, unless the piece is only delimiters so far
                int end = k + 1;
                while (end < to && isDelimiter(s, end, to)) {
                    end++;
                }
                if (hasCore(s, pieceStart, k)) {
                    out.add(capped(mask(s, pieceStart, end)), pieceStart == from && space);
                    pieceStart = end;
                }
                k = end;
            } else {
                k++;
            }
        }
        if (pieceStart < to) {
            out.add(capped(mask(s, pieceStart, to)), pieceStart == from && space);
        }
    }

    private static boolean hasCore(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDelimiterChar(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** URL, absolute path or UUID, masked whole; null for anything else. */
    private static String wholeChunk(String s, int a, int b) {
        int len = b - a;
        if (s.startsWith("http://", a) || s.startsWith("https://", a)) {
            return URL;
        }
        if (len == 36 && isUuid(s, a)) {
            return UUID;
        }
        if (s.charAt(a) == '/' && len > 1 && s.indexOf('/', a + 1) > 0 && s.indexOf('/', a + 1) < b
                && noneOf(s, a, b, "=,;|\"'")) {
            return PATH;
        }
        return null;
    }

    /** The token {@code s[from, to)} with its digit and hex runs masked. */
    String mask(String s, int from, int to) {
        int i = from;
        int copied = from;
        sb.setLength(0);
        while (i < to) {
            char c = s.charAt(i);
            if (!isAlnum(c)) {
                i++;
                continue;
            }
            int run = i;
            boolean digit = false;
            boolean letter = false;
            boolean hexOnly = true;
            while (i < to && isAlnum(s.charAt(i))) {
                char d = s.charAt(i);
                digit |= isDigit(d);
                letter |= !isDigit(d);
                hexOnly &= isHexChar(d);
                i++;
            }
            if (!digit) {
                continue; // a word: kept as it is
            }
            int runLen = i - run;
            boolean hexPrefix = runLen > 2 && s.charAt(run) == '0' && (s.charAt(run + 1) == 'x' || s.charAt(run + 1) == 'X')
                    && isHex(s, run + 2, i);
            if (hexPrefix || (hexOnly && letter && runLen >= 6)) {
                sb.append(s, copied, run).append(HEX);
                copied = i;
                continue;
            }
            // mask each digit run inside the alphanumeric run, with . or , between digits and a free-standing sign
            int k = run;
            while (k < i) {
                if (!isDigit(s.charAt(k))) {
                    k++;
                    continue;
                }
                int numStart = k;
                if (numStart > copied && (s.charAt(numStart - 1) == '-' || s.charAt(numStart - 1) == '+')
                        && (numStart - 1 == from || !isAlnum(s.charAt(numStart - 2)))) {
                    numStart--;
                }
                while (k < i && isDigit(s.charAt(k))) {
                    k++;
                }
                // 1.5, 10.0.0.1, 1,024 continue the number across the alphanumeric run's end
                while (k + 1 < to && (s.charAt(k) == '.' || s.charAt(k) == ',') && isDigit(s.charAt(k + 1))) {
                    k++;
                    while (k < to && isDigit(s.charAt(k))) {
                        k++;
                    }
                }
                sb.append(s, copied, numStart).append(NUM);
                copied = k;
                if (k > i) {
                    i = k;
                }
            }
        }
        if (copied == from) {
            return s.substring(from, to);
        }
        sb.append(s, copied, to);
        return sb.toString();
    }

    private String capped(String token) {
        if (token.length() <= MAX_TOKEN_CHARS) {
            return token;
        }
        int head = HEAD_CHARS;
        if (Character.isHighSurrogate(token.charAt(head - 1))) {
            head--;
        }
        return token.substring(0, head) + "<#" + hex32(hash(0x84222325L, token)) + ">";
    }

    static long hash(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x1f) * 0x100000001b3L; // a separator, so "ab","c" and "a","bc" differ
    }

    private static String hex32(long h) {
        String hex = Integer.toHexString((int) (h ^ (h >>> 32)));
        return "0".repeat(8 - hex.length()) + hex;
    }

    private static boolean isDelimiter(String s, int k, int to) {
        char c = s.charAt(k);
        if (c == ':') {
            return k + 1 >= to || !isDigit(s.charAt(k + 1));
        }
        return isDelimiterChar(c);
    }

    private static boolean isDelimiterChar(char c) {
        switch (c) {
            case '=': case ',': case ';': case '|': case '#': case '&': case '"': case '\'':
            case '(': case ')': case '[': case ']': case '{': case '}': case ':':
                return true;
            default:
                return false;
        }
    }

    private static boolean noneOf(String s, int from, int to, String chars) {
        for (int i = from; i < to; i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
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

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHexChar(s.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

    private static boolean isOpen(char c) {
        return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\'';
    }

    private static boolean isClose(char c) {
        return c == ')' || c == ']' || c == '}' || c == '>' || c == '"' || c == '\'';
    }

    private static boolean isTrailingPunct(char c) {
        return c == ',' || c == ';' || c == '.' || c == ':' || c == '!' || c == '?';
    }
}

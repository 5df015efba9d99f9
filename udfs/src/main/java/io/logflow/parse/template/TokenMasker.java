package io.logflow.parse.template;

/**
 * Splits a message into tokens with the variable parts masked, the preprocessing step of the miner. It knows no data
 * set's vocabulary, only shapes:
 *
 * <ul>
 *   <li>Whitespace separates chunks. A chunk that is a URL ({@code scheme://...}, {@code <URL>}), an absolute path
 *       ({@code <PATH>}), a UUID ({@code <UUID>}) or colon-separated hex (IPv6, MAC; {@code <HEX>}) is masked whole,
 *       keeping surrounding brackets and trailing punctuation.</li>
 *   <li>Other chunks are cut after the delimiters {@code = , ; | # & " ' ( ) [ ] { }} and after a {@code :} not between
 *       two digits, so {@code key=value} pairs, lists, {@code a##b} and compact JSON become several tokens;
 *       each token keeps its trailing delimiters ({@code "took=", "<NUM>,"}).</li>
 *   <li>In a token, a hex run of 6+ characters holding a digit and a letter, or one after {@code 0x}, becomes
 *       {@code <HEX>}; every other run of digits (with {@code .} or {@code ,} between digits, and a leading sign
 *       where no letter precedes it) becomes {@code <NUM>}, or {@code <IP>} when it is a dotted quad:
 *       {@code blk_-1608} gives {@code blk_<NUM>}, {@code 35ms} gives {@code <NUM>ms}, {@code 10.0.0.1:80} gives
 *       {@code <IP>:<NUM>}.</li>
 * </ul>
 *
 * <p>Letters are never masked, so two messages that differ in a word of letters never give the same tokens.
 * Tokens longer than {@value #MAX_TOKEN_CHARS} characters keep a head and a hash of the whole; past
 * {@value #MAX_TOKENS} tokens, the rest of the message is one token holding a hash of its masked tokens. Both keep
 * distinct inputs distinct (up to a 32-bit hash) while bounding what a template holds.
 *
 * <p>Cost: the line is copied once into a reused {@code char[]} and scanned over it; a word (letters and
 * {@code . - _ ! ?}, maybe framed as {@code (word} or {@code word:}) becomes a token as it is, a chunk of words and
 * digits is masked in one pass, only other chunks are cut at delimiters. A token the masker made recently is
 * returned as the same String (a 512-slot cache), so a repeated token allocates nothing and compares by identity.
 * None of this changes a token: the output depends on the message only.
 *
 * <p>Not thread-safe: the tokens are written into a reused {@link Tokens} holder, and the buffers and cache are
 * the masker's.
 */
public final class TokenMasker {
    public static final String NUM = "<NUM>";
    public static final String IP = "<IP>";
    public static final String HEX = "<HEX>";
    public static final String URL = "<URL>";
    public static final String PATH = "<PATH>";
    public static final String UUID = "<UUID>";
    public static final int MAX_TOKENS = 96;
    public static final int MAX_TOKEN_CHARS = 64;
    private static final int HEAD_CHARS = 48;
    /** Slots of the token cache, a power of two. */
    private static final int INTERNED = 512;
    /** A longer message gets a buffer of its own, not kept. */
    private static final int KEPT_BUFFER_CHARS = 4096;
    /** Starts the hash that ends a token cut to {@link #MAX_TOKEN_CHARS}. */
    static final String CAPPED = "<#";

    /** The tokens of one message: {@code token[i]}, and whether whitespace preceded it in the message. */
    public static final class Tokens {
        public String[] token = new String[32];
        public boolean[] spaceBefore = new boolean[32];
        public int size;
        /**
         * Whether the message held a NUL or a surrogate, so that it may not be storable (see
         * {@link io.logflow.model.Storable}): the masker looks at every character anyway, so its caller need not.
         */
        public boolean mayBeUnstorable;
        /** Whether {@code token[i]} holds a {@code <}, which every mask starts with: asked of the last token often. */
        private boolean[] holdsMask = new boolean[32];

        void add(String t, boolean space) {
            add(t, space, t.indexOf('<') >= 0);
        }

        /** A word's letters and punctuation hold no {@code <}: its caller knows without looking. */
        void addWord(String t, boolean space) {
            add(t, space, false);
        }

        private void add(String t, boolean space, boolean mask) {
            if (size == token.length) {
                token = java.util.Arrays.copyOf(token, size * 2);
                spaceBefore = java.util.Arrays.copyOf(spaceBefore, size * 2);
                holdsMask = java.util.Arrays.copyOf(holdsMask, size * 2);
            }
            token[size] = t;
            holdsMask[size] = mask;
            spaceBefore[size++] = space;
        }

        /** Whether the last token holds a {@code <} (false when there is none). */
        boolean lastHoldsMask() {
            return size > 0 && holdsMask[size - 1];
        }

        /** Replaces the last token with one that holds a mask. */
        void replaceLast(String t) {
            token[size - 1] = t;
            holdsMask[size - 1] = true;
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

    /** The message being split, as characters (reused up to {@link #KEPT_BUFFER_CHARS}). */
    private char[] chars = new char[256];
    /** A masked token being built: {@code maskBuffer[0, masked)}. */
    private char[] maskBuffer = new char[128];
    private int masked;
    /**
     * Tokens made before, by their characters' hash (direct-mapped, the newest wins a slot): a token seen again is the
     * same String, so nothing is allocated for it and comparing it with a template's token is mostly an identity check.
     */
    private String[] interned;
    /** The characters of {@link #interned}'s strings, slot by slot. */
    private char[][] internedChars;
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
        boolean suspect = false; // a NUL or a surrogate seen
        int n = message.length();
        char[] s = n <= chars.length ? chars : n <= KEPT_BUFFER_CHARS ? (chars = new char[n]) : new char[n];
        message.getChars(0, n, s, 0);
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = s[i];
            if (isSpace(c)) {
                space = true;
                i++;
                continue;
            }
            int start = i;
            boolean letters = true; // letters and . - _ ! ?: the common word, kept as it is
            boolean simple = true; // no delimiter, no / : < > ( ) [ ]: masking digits is all there is to do
            boolean slashOrColon = false; // what a URL, path, IPv6 or MAC address needs
            int notWord = 0; // characters other than letters and . - _ ! ?
            while (i < n) {
                c = s[i];
                if (c < 0x80) {
                    int kind = KIND[c];
                    if (kind == SPACE) {
                        break;
                    }
                    if (kind != WORD) {
                        notWord++;
                        letters = false;
                        simple &= kind == DIGIT; // all else ASCII is a delimiter or a / : < > ( ) [ ]
                        slashOrColon |= c == '/' || c == ':';
                        suspect |= kind == NUL;
                    }
                } else {
                    notWord++;
                    letters = false; // and still simple: no delimiter is beyond ASCII
                    suspect |= Character.isSurrogate(c);
                }
                i++;
            }
            // After a value a word may be its unit (chunk joins them) or, 36 long, a UUID; else it is just a word.
            if ((letters || i - start < 36 && isFramedWord(s, start, i, notWord)) && (!out.lastHoldsMask()
                    || i - start != 36 && !isUnitAfterValue(s, start, i, out))) {
                String word = capped(intern(s, start, i));
                if (i - start <= MAX_TOKEN_CHARS) {
                    out.addWord(word, space); // emit()'s checks concern tokens with a mask, and a word holds none
                } else {
                    emit(word, space, out); // cut to a head and a hash mask
                }
            } else if (simple && !letters && i - start != 36) {
                emit(capped(mask(s, start, i)), space, out);
            } else {
                chunk(s, start, i, slashOrColon, space, out);
            }
            space = false;
            if (out.size >= maxTokens) {
                out.mayBeUnstorable = suspect;
                foldTail(message, i, out); // adds what it finds in the rest of the message
                return;
            }
        }
        out.mayBeUnstorable = suspect;
    }

    /**
     * A word with one of {@code ( "} before it or one of {@code : , ; )} after it, or both ({@code failed:},
     * {@code (main}): {@link #chunk} would give it as it is, as one token, so it takes the path of a word. Shorter
     * than a UUID, it cannot hold one; without a digit, nothing in it is masked; the {@code "} before it and the
     * {@code : , ;} after it are delimiters with nothing to cut off; {@code ( )} are none.
     */
    private static boolean isFramedWord(char[] s, int from, int to, int notWord) {
        int a = s[from] == '(' || s[from] == '"' ? from + 1 : from;
        char last = s[to - 1];
        int b = last == ':' || last == ',' || last == ';' || last == ')' ? to - 1 : to;
        return b > a && notWord == (a - from) + (to - b);
    }

    private static final byte OTHER = 0;
    private static final byte WORD = 1;
    private static final byte DIGIT = 2;
    private static final byte SPACE = 3;
    private static final byte DELIMITER = 4;
    /** NUL, otherwise as {@link #OTHER}: a message holding one is not storable. */
    private static final byte NUL = 5;
    /**
     * What an ASCII character is to {@link #tokens}: a word's (letters and {@code . - _ ! ?}), a digit, a space, a
     * delimiter.
     */
    private static final byte[] KIND = new byte[0x80];

    static {
        for (char c = 0; c < 0x80; c++) {
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '_'
                    || c == '!' || c == '?';
            KIND[c] = word ? WORD : isDigit(c) ? DIGIT : isSpace(c) ? SPACE : delimiter(c) ? DELIMITER : OTHER;
        }
        KIND[0] = NUL;
    }

    /**
     * Past the cap: the last token and the rest of the message become one hash token; a NUL or surrogate in the rest
     * is added to {@link Tokens#mayBeUnstorable}.
     */
    private void foldTail(String message, int from, Tokens out) {
        int keep = maxTokens - 1;
        long h = 0x84222325L;
        for (int k = keep; k < out.size; k++) {
            h = hash(h, out.token[k]);
        }
        Tokens rest = new Tokens();
        new TokenMasker(Integer.MAX_VALUE).tokens(message.substring(from), rest);
        out.mayBeUnstorable |= rest.mayBeUnstorable;
        for (int k = 0; k < rest.size; k++) {
            h = hash(h, rest.token[k]);
        }
        out.size = keep;
        out.add("<TAIL#" + hex32(h) + ">", true);
    }

    /** Cuts and masks the chunk {@code s[from, to)}; {@code slashOrColon}: whether it holds a / or :. */
    private void chunk(char[] s, int from, int to, boolean slashOrColon, boolean space, Tokens out) {
        int a = from;
        while (a < to && isOpen(s[a])) {
            a++;
        }
        int b = to;
        while (b > a && (isTrailingPunct(s[b - 1]) || isClose(s[b - 1]))) {
            b--;
        }
        if (a == from && isUnitAfterValue(s, from, to, out)) {
            // 18.4 KB, 35 ms: the unit joins its number (and stays: a unit is a word)
            String number = out.token[--out.size];
            emit(capped(number + " " + new String(s, from, to - from)), out.spaceBefore[out.size], out);
            return;
        }
        String whole = a < b && (b - a == 36 || slashOrColon && mayBeWhole(s, a, b)) ? wholeChunk(s, a, b) : null;
        if (whole != null) {
            emit(capped(new String(s, from, a - from) + whole + new String(s, b, to - b)), space, out);
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
                    piece(mask(s, pieceStart, end), pieceStart == from, space, out);
                    pieceStart = end;
                }
                k = end;
            } else {
                k++;
            }
        }
        if (pieceStart < to) {
            piece(mask(s, pieceStart, to), pieceStart == from, space, out);
        }
    }

    /**
     * Whether the chunk {@code s[from, to)}, without brackets before it or punctuation after, is a unit of time, size
     * or rate and the last token a value: {@code 35 ms}, {@code 18.4 KB.}
     */
    private static boolean isUnitAfterValue(char[] s, int from, int to, Tokens out) {
        if (!out.lastHoldsMask() || isOpen(s[from])) {
            return false;
        }
        int b = to;
        while (b > from && (isTrailingPunct(s[b - 1]) || isClose(s[b - 1]))) {
            b--;
        }
        return from < b && b - from <= MAX_UNIT_CHARS && isUnit(s, from, b) && isValue(out.token[out.size - 1]);
    }

    /**
     * Adds a piece of a chunk; a list of values ({@code 1,2,3}, {@code 7##8##9}) is one token, the last value's, so
     * a list of one and a list of many give the same tokens.
     */
    private void piece(String masked, boolean first, boolean space, Tokens out) {
        boolean before = first && space;
        if (!first && isValue(masked) && isValue(out.token[out.size - 1])) {
            out.size--;
            before = out.spaceBefore[out.size];
        }
        emit(capped(masked), before, out);
    }

    /**
     * A run of equal tokens holding a mask ({@code cn<NUM> cn<NUM> cn<NUM>}) is a list of values: one token. An aside
     * in parentheses that starts with a value joins the token before it, so it does not shift the tokens after.
     */
    private void emit(String token, boolean spaceBefore, Tokens out) {
        if (out.lastHoldsMask() && token.equals(out.token[out.size - 1])) {
            return; // equal tokens holding a mask: the second holds one too
        }
        if (out.size > 0 && spaceBefore && isAside(token)) {
            // an aside that starts with a value, (18.4 KB), is often optional: it joins the token before
            out.replaceLast(capped(out.token[out.size - 1] + " " + token));
            return;
        }
        out.add(token, spaceBefore);
    }

    /** {@code (<NUM>)}, {@code (<NUM> KB)}: a value, maybe with its unit, in parentheses. */
    private static boolean isAside(String token) {
        if (!token.startsWith("(<")) {
            return false;
        }
        int close = token.lastIndexOf(')');
        if (close < 0) {
            return false;
        }
        int space = token.lastIndexOf(' ');
        return space < 0 ? isValue(token) : isValue(token.substring(0, space)) && isUnit(token, space + 1, close);
    }

    /** Only masks and punctuation: {@code <NUM>,}, {@code <HEX>##}, {@code <NUM>:<NUM>}. */
    private static boolean isValue(String token) {
        int i = 0;
        int n = token.length();
        boolean mask = false;
        while (i < n) {
            char c = token.charAt(i);
            if (c == '<') {
                int close = token.indexOf('>', i);
                if (close < 0 || !isMaskName(token, i + 1, close)) {
                    return false;
                }
                mask = true;
                i = close + 1;
            } else if (isAlnum(c)) {
                return false;
            } else {
                i++;
            }
        }
        return mask;
    }

    private static boolean isMaskName(String s, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < 'A' || s.charAt(i) > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCore(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDelimiterChar(s[i])) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #wholeChunk} could match: it needs a {@code /} or {@code :}, or 36 characters. */
    private static boolean mayBeWhole(char[] s, int a, int b) {
        if (b - a == 36) {
            return true;
        }
        for (int i = a; i < b; i++) {
            char c = s[i];
            if (c == '/' || c == ':') {
                return true;
            }
        }
        return false;
    }

    /** URL, absolute path or UUID, masked whole; null for anything else. */
    private static String wholeChunk(char[] s, int a, int b) {
        int len = b - a;
        int scheme = schemeEnd(s, a, b);
        if (scheme > a && s[scheme] == ':' && s[scheme + 1] == '/' && s[scheme + 2] == '/') {
            return URL;
        }
        if (len == 36 && isUuid(s, a)) {
            return UUID;
        }
        if (isColonHex(s, a, b)) {
            return HEX; // IPv6 and MAC addresses
        }
        if (s[a] == '/' && len > 1 && indexOf(s, '/', a + 1, b) > 0) {
            return PATH;
        }
        return null;
    }

    /** The token {@code s[from, to)} with its digit and hex runs masked. */
    String mask(char[] s, int from, int to) {
        int i = from;
        int copied = from;
        masked = 0;
        while (i < to) {
            char c = s[i];
            if (!isAlnum(c)) {
                i++;
                continue;
            }
            if (i + 36 <= to && isUuid(s, i) && (i + 36 == to || !isAlnum(s[i + 36]))) {
                put(s, copied, i, UUID);
                i += 36;
                copied = i;
                continue;
            }
            int run = i;
            boolean digit = false;
            boolean letter = false;
            boolean hexOnly = true;
            while (i < to && isAlnum(s[i])) {
                char d = s[i];
                digit |= isDigit(d);
                letter |= !isDigit(d);
                hexOnly &= isHexChar(d);
                i++;
            }
            if (!digit) {
                continue; // a word: kept as it is
            }
            int runLen = i - run;
            boolean hexPrefix = runLen > 2 && s[run] == '0' && (s[run + 1] == 'x' || s[run + 1] == 'X')
                    && isHex(s, run + 2, i);
            if (hexPrefix || (hexOnly && letter && runLen >= 6)) {
                put(s, copied, run, HEX);
                copied = i;
                continue;
            }
            // mask each digit run inside the alphanumeric run, with . or , between digits and a free-standing sign
            int k = run;
            while (k < i) {
                if (!isDigit(s[k])) {
                    k++;
                    continue;
                }
                int numStart = k;
                if (numStart > copied && isSign(s[numStart - 1])
                        && (numStart - 1 == from || !isAlnum(s[numStart - 2]))) {
                    numStart--;
                }
                while (k < i && isDigit(s[k])) {
                    k++;
                }
                // 1.5, 10.0.0.1, 1,024 continue the number across the alphanumeric run's end
                int groups = 1;
                while (k + 1 < to && (s[k] == '.' || s[k] == ',') && isDigit(s[k + 1])) {
                    k++;
                    groups++;
                    while (k < to && isDigit(s[k])) {
                        k++;
                    }
                }
                put(s, copied, numStart, groups == 4 && isIpv4(s, numStart, k) ? IP : NUM);
                copied = k;
                if (k > i) {
                    i = k;
                }
            }
        }
        if (copied == from) {
            return intern(s, from, to);
        }
        put(s, copied, to, "");
        return intern(maskBuffer, 0, masked);
    }

    /** Appends {@code s[from, to)} and then {@code mask} to {@link #maskBuffer}. */
    private void put(char[] s, int from, int to, String mask) {
        int need = masked + (to - from) + mask.length();
        if (need > maskBuffer.length) {
            maskBuffer = java.util.Arrays.copyOf(maskBuffer, Math.max(need, maskBuffer.length * 2));
        }
        System.arraycopy(s, from, maskBuffer, masked, to - from);
        masked += to - from;
        mask.getChars(0, mask.length(), maskBuffer, masked);
        masked += mask.length();
    }

    /** {@code new String(s, from, to - from)}, or the equal String made before. */
    private String intern(char[] s, int from, int to) {
        int len = to - from;
        if (len > MAX_TOKEN_CHARS) {
            return new String(s, from, len); // to be capped: a new string anyway
        }
        if (len == 0) {
            return "";
        }
        // a few characters pick the slot (a collision only costs a new String): the length, both ends, the middle
        int h = len * 0x9E3779B1 + s[from] * 31 * 31 + s[from + (len >> 1)] * 31 + s[to - 1];
        if (interned == null) {
            interned = new String[INTERNED];
            internedChars = new char[INTERNED][];
        }
        h *= 0x9E3779B1;
        int slot = (h ^ (h >>> 16)) & (INTERNED - 1);
        char[] known = internedChars[slot];
        if (known != null && known.length == len && sameChars(known, s, from)) {
            return interned[slot];
        }
        String t = new String(s, from, len);
        interned[slot] = t;
        internedChars[slot] = java.util.Arrays.copyOfRange(s, from, to);
        return t;
    }

    /** {@code known} equals {@code s[from, from + known.length)}: a loop, cheaper than the library's checks here. */
    private static boolean sameChars(char[] known, char[] s, int from) {
        for (int k = 0; k < known.length; k++) {
            if (known[k] != s[from + k]) {
                return false;
            }
        }
        return true;
    }

    private static String capped(String token) {
        if (token.length() <= MAX_TOKEN_CHARS) {
            return token;
        }
        int head = HEAD_CHARS;
        if (Character.isHighSurrogate(token.charAt(head - 1))) {
            head--;
        }
        return token.substring(0, head) + CAPPED + hex32(hash(0x84222325L, token)) + ">";
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

    private static boolean isDelimiter(char[] s, int k, int to) {
        char c = s[k];
        if (c == ':') {
            // 12:00:01 and host:80 stay one token
            boolean betweenDigits = k > 0 && k + 1 < to && isDigit(s[k - 1]) && isDigit(s[k + 1]);
            boolean port = k > 0 && isAlnum(s[k - 1]) && isPort(s, k + 1, to);
            return !betweenDigits && !port;
        }
        return isDelimiterChar(c);
    }

    /** Digits up to the chunk's end, but for closing punctuation. */
    private static boolean isPort(char[] s, int from, int to) {
        int i = from;
        while (i < to && isDigit(s[i])) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < to && (isTrailingPunct(s[i]) || isClose(s[i]))) {
            i++;
        }
        return i == to;
    }

    private static final String[] UNITS = {"ns", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins",
        "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "day", "days", "b", "byte", "bytes", "kb", "mb", "gb",
        "tb", "kib", "mib", "gib", "tib", "bps", "kbps", "mbps", "gbps"};
    private static final int MAX_UNIT_CHARS = 7;

    /** A unit of time, size or rate, in any case. */
    private static boolean isUnit(char[] s, int from, int to) {
        int len = to - from;
        char first = s[from];
        if (first < 0x80 && !UNIT_FIRST[first | 0x20]) {
            return false; // most words after a value (failed, retries, done...) are no unit: one look tells
        }
        long ascii = 0; // the unit in lower case, a character a byte
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c >= 0x80) {
                return isUnit(new String(s, from, len), 0, len); // case folding beyond ASCII: as String does it
            }
            ascii = ascii << 8 | (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        for (long code : UNIT_CODES) {
            if (code == ascii) { // no character is 0, so equal codes are equal units
                return true;
            }
        }
        return false;
    }

    /** {@link #UNITS}, a character a byte, as {@link #isUnit(char[], int, int)} compares them. */
    private static final long[] UNIT_CODES = new long[UNITS.length];

    /** The first letters of {@link #UNITS}, in lower case: {@code UNIT_FIRST[c | 0x20]}. */
    private static final boolean[] UNIT_FIRST = new boolean[0x80];

    static {
        for (int u = 0; u < UNITS.length; u++) {
            for (char c : UNITS[u].toCharArray()) {
                UNIT_CODES[u] = UNIT_CODES[u] << 8 | c;
            }
            UNIT_FIRST[UNITS[u].charAt(0)] = true;
        }
    }

    private static boolean isUnit(String s, int from, int to) {
        int len = to - from;
        for (String unit : UNITS) {
            if (unit.length() == len && s.regionMatches(true, from, unit, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /** Before a number: a sign, or a bound such as {@code <1}, {@code ~5}. */
    private static boolean isSign(char c) {
        return c == '-' || c == '+' || c == '<' || c == '>' || c == '~';
    }

    private static boolean isDelimiterChar(char c) {
        return c < 0x80 && KIND[c] == DELIMITER;
    }

    private static boolean delimiter(char c) {
        switch (c) {
            case '=': case ',': case ';': case '|': case '#': case '&': case '"': case '\'':
            case '[': case ']':
            case '{': case '}': case ':':
                return true;
            default:
                return false;
        }
    }

    /** The end of a URI scheme at {@code from} (a letter, then letters, digits, {@code + - .}), or -1. */
    private static int schemeEnd(char[] s, int from, int to) {
        if (!isAlnum(s[from]) || isDigit(s[from])) {
            return -1;
        }
        int i = from;
        while (i < to && (isAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
            i++;
        }
        return i + 3 <= to ? i : -1;
    }

    private static int indexOf(char[] s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Four groups of one to three digits joined by dots. */
    private static boolean isIpv4(char[] s, int from, int to) {
        int dots = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (isDigit(c)) {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0) {
                dots++;
                digits = 0;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    /** Hex groups joined by two or more colons, holding a digit: {@code fe80::1}, {@code 00:a2:ee:1a:71:8c}. */
    private static boolean isColonHex(char[] s, int from, int to) {
        int colons = 0;
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c == ':') {
                colons++;
            } else if (!isHexChar(c)) {
                return false;
            }
            digit |= isDigit(c);
        }
        return colons >= 2 && digit;
    }

    private static boolean isUuid(char[] s, int from) {
        for (int k = 0; k < 36; k++) {
            char c = s[from + k];
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHexChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHexChar(s[i])) {
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

package io.logflow.parse.template;

import io.logflow.model.Storable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An online log template miner after Drain (He et al., ICWS 2017) whose template ids are identities: a template keeps
 * the id it was founded with while it generalises.
 *
 * <h2>Matching</h2>
 * A line is masked and split into tokens ({@link TokenMasker}) and goes to a leaf by its token count and first token
 * (a first token that is not a word, see {@link #isWord}, goes to the count's wildcard leaf). In the leaf:
 * <ol>
 *   <li>a template that <em>covers</em> the line (equal or wildcard at every position) takes it unchanged;</li>
 *   <li>else the most similar template that may absorb it ({@link #similar}) takes it, its differing positions
 *       becoming wildcards, unless the generalised template would then cover a line another template of the leaf
 *       covers (then the next most similar is tried);</li>
 *   <li>else the line founds a template of its own.</li>
 * </ol>
 * A template may absorb a line when at least half of the positions agree (a wildcard agrees with anything) and no
 * two <em>words</em> differ: tokens whose letters form one run are taken for constants ({@code VM Paused} and
 * {@code VM Resumed} stay apart). Three kinds of differing words are let through as values: the value of a
 * {@code key=value}, month and weekday names, and a single differing word in a line where at least
 * {@value #WORDS_AGREEING} other words agree ({@code Failed password for root from} / {@code ... for admin from}).
 *
 * <p>Templates in a leaf therefore never overlap, so a line is covered by at most one template, and a line seen before
 * goes to the same template again as long as that is held (templates only ever generalise). That is what makes the
 * raw-message cache a pure shortcut: it never changes an answer.
 *
 * <h2>Ids</h2>
 * The id is a 64-bit hash of the seed and the founding line's masked tokens, fixed at founding (16 hex digits). It
 * depends on nothing but those (no JVM, no iteration order, no serialization), so the same input order gives the same
 * ids everywhere, and a template evicted and founded again by the same line gets its id back. Should two held
 * templates hash alike, the younger's hash is re-mixed until unique.
 *
 * <h2>Bounds</h2>
 * At most {@code maxTemplates} templates; founding one more evicts the least recently matched, and its leaf goes when
 * empty. A line has at most {@value TokenMasker#MAX_TOKENS} tokens of at most {@value TokenMasker#MAX_TOKEN_CHARS}
 * characters (longer ones end in a hash), a template's text at most 2,000 characters, its example 1,000. The
 * raw-message cache holds at most {@value #CACHE_ENTRIES} entries of at most {@value #CACHE_KEY_CHARS} characters
 * (references to the callers' messages), the shape cache {@value #SHAPES} (some 3 KB); neither is snapshotted. A
 * template takes some 0.2–0.3 KB in a snapshot.
 *
 * <p>A snapshot ({@link TemplateMinerSerializer}) holds everything that decides answers, so a restored miner continues
 * exactly as the original would. Not thread-safe.
 */
public final class TemplateMiner {
    public static final int DEFAULT_MAX_TEMPLATES = 1000;
    /** Event time after which a template's {@code lastSeen} is reported again. */
    public static final long REPORT_INTERVAL_MILLIS = 60_000;
    static final int CACHE_ENTRIES = 512;
    static final int CACHE_KEY_CHARS = 256;
    /** Slots of the shape cache, a power of two. */
    static final int SHAPES = 256;

    final long seed;
    final int maxTemplates;
    long nextSeq;
    /** Least recently matched first. */
    Cluster eldest;
    Cluster newest;
    int size;
    /** Clusters by {@link #leafKey}, each list in founding order. */
    final Map<Long, List<Cluster>> leaves = new HashMap<>();
    final Map<String, Cluster> byId = new HashMap<>();

    /**
     * One masker per thread, shared by the miners the thread runs: its buffers and token cache (some tens of KB at
     * most) are per thread, not per miner. Its answers depend on the message only.
     */
    private static final ThreadLocal<TokenMasker> MASKER = ThreadLocal.withInitial(TokenMasker::new);
    private final TokenMasker.Tokens tokens = new TokenMasker.Tokens();
    /**
     * The raw-message cache: the template each slot's message went to, by the message's hash (the newest message wins a
     * slot). An array, not a map: most messages are seen once, and storing them should cost no more than a reference.
     */
    private final String[] rawKeys = new String[CACHE_ENTRIES];
    private final Cluster[] rawClusters = new Cluster[CACHE_ENTRIES];
    /**
     * The template that last took each masked shape ({@link #shape}), by the shape's hash. A leaf holds at most one
     * template that covers a line, so when the one found here covers the line it is the answer the leaf would give:
     * like the raw-message cache, a shortcut that never changes an answer, and not snapshotted.
     */
    private final long[] shapeKeys = new long[SHAPES];
    private final Cluster[] shapeClusters = new Cluster[SHAPES];
    /** {@link #stemStart} of the current line's tokens, {@link Cluster#UNKNOWN_STEM} until asked. */
    private int[] lineStems = new int[32];

    /**
     * The seed of a scope's miner (a routing key, a workspace): a 64-bit FNV-1a of its UTF-16 units, the same in every
     * JVM, so the ids a scope's templates get do not depend on where it is mined.
     */
    public static long seedOf(String scope) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < scope.length(); i++) {
            h = (h ^ scope.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    public TemplateMiner(long seed) {
        this(seed, DEFAULT_MAX_TEMPLATES);
    }

    public TemplateMiner(long seed, int maxTemplates) {
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be at least 1, was " + maxTemplates);
        }
        this.seed = seed;
        this.maxTemplates = maxTemplates;
    }

    /** Seed 0, for ad-hoc use where ids need no scope. */
    public TemplateMiner() {
        this(0);
    }

    /** {@link #add(String, long)} at event time 0, for ad-hoc use where time does not matter. */
    public TemplateMatch add(String message) {
        return add(message, 0);
    }

    /**
     * Learns from {@code message} (null is taken as ""), seen at event time {@code timeMillis}, and returns the
     * template it belongs to now. Never throws. The message is made storable first (see {@link Storable}).
     */
    public TemplateMatch add(String message, long timeMillis) {
        String raw = message == null ? "" : message;
        int rawSlot = -1; // longer messages are not cached, so not looked for
        if (raw.length() <= CACHE_KEY_CHARS) {
            rawSlot = rawSlot(raw);
            Cluster c = rawClusters[rawSlot];
            if (c != null && c.held && raw.equals(rawKeys[rawSlot])) {
                return matched(c, false, timeMillis);
            }
        }
        TokenMasker masker = MASKER.get();
        masker.tokens(raw, tokens);
        String line = raw;
        if (tokens.mayBeUnstorable) { // rare: a NUL or a surrogate, maybe unpaired
            line = Storable.text(raw);
            if (line != raw) {
                masker.tokens(line, tokens);
            }
        }
        String route = route(tokens);
        long shape = shape(tokens);
        int slot = (int) (shape ^ (shape >>> 32)) & (SHAPES - 1);
        Cluster match = shapeClusters[slot];
        boolean changed = false;
        boolean founded = false;
        if (match == null || shapeKeys[slot] != shape || !match.held || !covers(match, route)) {
            match = null;
            List<Cluster> leaf = leaves.get(leafKey(tokens.size, route));
            if (leaf != null) {
                match = covering(leaf, route);
                if (match == null) {
                    match = absorbing(leaf, route);
                    changed = match != null;
                }
            }
            founded = match == null;
            if (founded) {
                match = found(line, route);
            }
            shapeKeys[slot] = shape;
            shapeClusters[slot] = match;
        }
        if (rawSlot >= 0) {
            rawKeys[rawSlot] = raw;
            rawClusters[rawSlot] = match;
        }
        return founded ? founded(match, timeMillis) : matched(match, changed, timeMillis);
    }

    /**
     * The raw-message cache's slot for {@code raw}: a hash of its length and nine of its characters, not of all (the
     * job's messages are new strings, so {@link String#hashCode} would read every character of each). Messages that
     * differ elsewhere share a slot, which costs a cache miss, never a wrong answer: the slot's message is compared.
     */
    private static int rawSlot(String raw) {
        int n = raw.length();
        int h = n;
        if (n > 0) {
            int step = n >> 3;
            for (int i = n - 1, k = 0; k < 9 && i >= 0; k++, i -= Math.max(step, 1)) {
                h = h * 31 + raw.charAt(i);
            }
        }
        h *= 0x9E3779B1;
        return (h ^ (h >>> 16)) & (CACHE_ENTRIES - 1);
    }

    /** How many templates the miner holds. */
    public int size() {
        return size;
    }

    /** How many leaves the index holds (for tests of its bounds). */
    int leafCount() {
        return leaves.size();
    }

    /** How many raw messages the cache holds (for tests of its bounds). */
    int cacheSize() {
        int n = 0;
        for (String k : rawKeys) {
            n += k == null ? 0 : 1;
        }
        return n;
    }

    /**
     * A hash of the masked tokens: lines of one shape ({@code user <NUM> done}) are many more than their templates, so
     * the template that last took a shape is tried first.
     */
    private static long shape(TokenMasker.Tokens tokens) {
        long h = tokens.size;
        for (int i = 0; i < tokens.size; i++) {
            h = (h ^ tokens.token[i].hashCode()) * 0x9E3779B97F4A7C15L;
        }
        return h;
    }

    /** Whether {@code c} covers the current line: its route and token count, and at each position equal or wild. */
    private boolean covers(Cluster c, String route) {
        int n = tokens.size;
        String[] t = tokens.token;
        if (c.tokens.length != n || !c.route.equals(route)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!c.wild[i] && !c.tokens[i].equals(t[i])) {
                return false;
            }
        }
        return true;
    }

    /** The template of the leaf that covers the line (at most one does), or null. */
    private Cluster covering(List<Cluster> leaf, String route) {
        for (int k = 0, m = leaf.size(); k < m; k++) {
            Cluster c = leaf.get(k);
            if (covers(c, route)) { // a template of another route whose key hashes alike does not
                return c;
            }
        }
        return null;
    }

    /** The most similar template that may absorb the line without overlapping another; it is generalised. */
    private Cluster absorbing(List<Cluster> leaf, String route) {
        int n = tokens.size;
        String[] t = tokens.token;
        Cluster[] order = null;
        double[] scores = null;
        int candidates = 0;
        if (lineStems.length < n) {
            lineStems = new int[Math.max(n, lineStems.length * 2)];
        }
        java.util.Arrays.fill(lineStems, 0, n, Cluster.UNKNOWN_STEM);
        for (int k = 0, m = leaf.size(); k < m; k++) {
            Cluster c = leaf.get(k);
            if (!c.route.equals(route)) {
                continue;
            }
            double score = similar(c, t, n);
            if (score < 0) {
                continue;
            }
            if (order == null) {
                order = new Cluster[m];
                scores = new double[m];
            }
            // insertion sort: higher score first, then more wildcards, then older
            int at = candidates++;
            while (at > 0 && (scores[at - 1] < score
                    || (scores[at - 1] == score && order[at - 1].wildcards < c.wildcards))) {
                order[at] = order[at - 1];
                scores[at] = scores[at - 1];
                at--;
            }
            order[at] = c;
            scores[at] = score;
        }
        for (int k = 0; k < candidates; k++) {
            Cluster c = order[k];
            boolean[] wild = c.wild.clone();
            for (int i = 0; i < n; i++) {
                wild[i] |= !c.tokens[i].equals(t[i]);
            }
            if (!overlapsAnother(leaf, c, wild)) {
                System.arraycopy(wild, 0, c.wild, 0, n);
                int w = 0;
                for (boolean b : wild) {
                    w += b ? 1 : 0;
                }
                c.wildcards = w;
                c.text = c.text();
                return c;
            }
        }
        return null;
    }

    /**
     * How alike the line is to the template, or -1 when it may not join it: the share of positions that agree (a
     * wildcard agrees), at least one half, and no two differing words but the exceptions of the class doc.
     */
    private double similar(Cluster c, String[] t, int n) {
        int equal = 0;
        int constants = 0;
        int words = 0;
        for (int i = 0; i < n; i++) {
            if (c.wild[i] || c.tokens[i].equals(t[i])) {
                equal++;
                if (!c.wild[i] && lineStem(i) >= 0) {
                    constants++;
                }
            } else if (differentWords(c.tokens[i], c.stem(i), t[i], lineStem(i)) && !(i > 0 && t[i - 1].endsWith("="))
                    && !(Calendar.isName(c.tokens[i]) && Calendar.isName(t[i]))) {
                words++;
            }
        }
        if (words > 0 && (words > 1 || constants < WORDS_AGREEING)) {
            return -1;
        }
        double sim = n == 0 ? 1 : (double) equal / n;
        return sim >= 0.5 ? sim : -1;
    }

    /** Agreeing words that let one differing word through as a value. */
    static final int WORDS_AGREEING = 5;

    /**
     * True when the token's letters form one run (letters and inner underscores), whatever masks and punctuation
     * surround it: {@code failed}, {@code 'Active'}, {@code ssh<NUM>}, {@code onExtend:<NUM>}, but not
     * {@code proxy.example.com:<NUM>}. Such a token most likely is a constant.
     */
    static boolean isWord(String token) {
        return stemStart(token) >= 0;
    }

    /**
     * Two word tokens with different letters, or long tokens (cut by the masker) with different heads: a different
     * constant.
     */
    static boolean differentWords(String a, String b) {
        return differentWords(a, stemStart(a), b, stemStart(b));
    }

    /** {@link #differentWords(String, String)} given {@link #stemStart} of both. */
    private static boolean differentWords(String a, int sa, String b, int sb) {
        int ca = a.indexOf(TokenMasker.CAPPED);
        int cb = b.indexOf(TokenMasker.CAPPED);
        if (ca >= 0 || cb >= 0) {
            // a long token: its head names it, its hash may be a value
            return ca != cb || !a.regionMatches(0, b, 0, ca);
        }
        if (sa < 0 || sb < 0) {
            return false;
        }
        int ea = stemEnd(a, sa);
        int eb = stemEnd(b, sb);
        return ea - sa != eb - sb || !a.regionMatches(sa, b, sb, ea - sa);
    }

    /** {@link #stemStart} of the line's token {@code i}, computed when first asked for this line. */
    private int lineStem(int i) {
        int stem = lineStems[i];
        if (stem == Cluster.UNKNOWN_STEM) {
            stem = stemStart(tokens.token[i]);
            lineStems[i] = stem;
        }
        return stem;
    }

    /** Where the token's only run of letters starts, or -1 when it has none or several. */
    static int stemStart(String token) {
        int start = -1;
        int n = token.length();
        int i = 0;
        while (i < n) {
            char c = token.charAt(i);
            if (c == '<') {
                int close = token.indexOf('>', i);
                if (close > i && isMask(token, i, close)) {
                    i = close + 1;
                    continue;
                }
            }
            if (isLetter(c)) {
                if (start >= 0) {
                    return -1;
                }
                start = i;
                i = stemEnd(token, i);
            } else if (c < 0x80 ? c >= '0' && c <= '9' : Character.isDigit(c)) {
                return -1;
            } else {
                i++;
            }
        }
        return start;
    }

    private static int stemEnd(String token, int start) {
        int i = start;
        while (i < token.length() && (isLetter(token.charAt(i))
                || (token.charAt(i) == '_' && i + 1 < token.length() && isLetter(token.charAt(i + 1))))) {
            i++;
        }
        return i;
    }

    /** {@link Character#isLetter(char)}, answered for ASCII without a table lookup. */
    private static boolean isLetter(char c) {
        if (c < 0x80) {
            int lower = (c | 0x20) - 'a';
            return lower >= 0 && lower < 26;
        }
        return Character.isLetter(c);
    }

    private static boolean isMask(String token, int open, int close) {
        for (int i = open + 1; i < close; i++) {
            char c = token.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return close - open > 2;
    }

    private static boolean overlapsAnother(List<Cluster> leaf, Cluster self, boolean[] wild) {
        for (int k = 0, m = leaf.size(); k < m; k++) {
            Cluster other = leaf.get(k);
            if (other != self && other.route.equals(self.route) && other.overlaps(self.tokens, wild)) {
                return true;
            }
        }
        return false;
    }

    private Cluster found(String line, String route) {
        int n = tokens.size;
        String[] t = java.util.Arrays.copyOf(tokens.token, n);
        boolean[] space = java.util.Arrays.copyOf(tokens.spaceBefore, n);
        if (size >= maxTemplates) {
            evict(eldest);
        }
        Cluster c = new Cluster(nextSeq++, uniqueId(t), route, t, new boolean[n], space,
                Storable.truncate(line, Cluster.MAX_EXAMPLE_CHARS));
        hold(c);
        return c;
    }

    /** Adds {@code c} as the newest template (founding, or restoring in recency order). */
    void hold(Cluster c) {
        leaves.computeIfAbsent(c.leafKey(), k -> new ArrayList<>(2)).add(c);
        byId.put(c.id, c);
        c.older = newest;
        if (newest != null) {
            newest.newer = c;
        } else {
            eldest = c;
        }
        newest = c;
        size++;
    }

    private void evict(Cluster c) {
        unlink(c);
        size--;
        c.held = false;
        byId.remove(c.id);
        long key = c.leafKey();
        List<Cluster> leaf = leaves.get(key);
        leaf.remove(c);
        if (leaf.isEmpty()) {
            leaves.remove(key);
        }
    }

    private void unlink(Cluster c) {
        if (c.older != null) {
            c.older.newer = c.newer;
        } else {
            eldest = c.newer;
        }
        if (c.newer != null) {
            c.newer.older = c.older;
        } else {
            newest = c.older;
        }
        c.older = null;
        c.newer = null;
    }

    private void touch(Cluster c) {
        if (c != newest) {
            unlink(c);
            c.older = newest;
            newest.newer = c;
            newest = c;
        }
    }

    private TemplateMatch founded(Cluster c, long time) {
        c.count = 1;
        c.firstSeen = time;
        c.lastSeen = time;
        c.reportedSeen = time;
        return new TemplateMatch(c.id, c.text, 1, time, time, c.example, true);
    }

    private TemplateMatch matched(Cluster c, boolean changed, long time) {
        touch(c);
        c.count++;
        c.firstSeen = Math.min(c.firstSeen, time);
        c.lastSeen = Math.max(c.lastSeen, time);
        boolean report = changed || c.lastSeen - c.reportedSeen >= REPORT_INTERVAL_MILLIS;
        if (report) {
            c.reportedSeen = c.lastSeen;
        }
        return new TemplateMatch(c.id, c.text, c.count, c.firstSeen, c.lastSeen, c.example, report);
    }

    private static String route(TokenMasker.Tokens tokens) {
        String first = tokens.size == 0 ? "" : tokens.token[0];
        return isWord(first) ? first : Cluster.WILDCARD;
    }

    /** Token count and the route's hash (specified by {@link String#hashCode}, so the same in every JVM). */
    static long leafKey(int tokenCount, String route) {
        return ((long) tokenCount << 32) | (route.hashCode() & 0xffffffffL);
    }

    private String uniqueId(String[] t) {
        long h = TemplateIds.hash(seed, t);
        while (byId.containsKey(TemplateIds.hex(h))) {
            h = TemplateIds.remix(h);
        }
        return TemplateIds.hex(h);
    }
}

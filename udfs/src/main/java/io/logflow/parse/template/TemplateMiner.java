package io.logflow.parse.template;

import io.logflow.model.Storable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An online log template miner after Drain (He et al., ICWS 2017). A message is masked and split into tokens
 * ({@link TokenMasker}); a fixed-depth prefix tree routes it by token count and then by its first tokens (tokens with
 * digits or masks go down a wildcard branch; a node with {@code maxChildren} children sends new tokens there too); the
 * leaf's clusters are compared by token similarity, and the message joins the most similar cluster at or above the
 * threshold, turning the positions that differ into {@code <*>}, or founds a new cluster.
 *
 * <p>State is bounded: at most {@code maxTemplates} clusters, the least recently matched evicted first, with the tree
 * nodes only it used. The id is a 64-bit FNV-1a hash of the template text, so the same template has the same id in
 * every task and every run; when a template generalises (gains a {@code <*>}) its id changes with its text.
 *
 * <p>Not thread-safe: one miner per task.
 */
public final class TemplateMiner {
    public static final int DEFAULT_DEPTH = 4;
    public static final double DEFAULT_SIMILARITY = 0.5;
    public static final int DEFAULT_MAX_CHILDREN = 100;
    public static final int DEFAULT_MAX_TEMPLATES = 10_000;
    private static final int MAX_TOKENS = 64;
    private static final int MAX_TOKEN_CHARS = 96;

    /** A template as it stood when a message matched it. */
    public static final class Template {
        public final String id;
        public final String text;

        Template(String id, String text) {
            this.id = id;
            this.text = text;
        }

        @Override
        public String toString() {
            return id + " " + text;
        }
    }

    private static final class Node {
        final Node parent;
        final Object key; // Integer token count under the root, else the token
        final Map<Object, Node> children = new HashMap<>();
        List<Cluster> clusters; // leaves only

        Node(Node parent, Object key) {
            this.parent = parent;
            this.key = key;
        }
    }

    private static final class Cluster {
        final String[] tokens;
        final Node leaf;
        Template template;

        Cluster(String[] tokens, Node leaf) {
            this.tokens = tokens;
            this.leaf = leaf;
            this.template = build(tokens);
        }
    }

    private final int tokenLayers;
    private final double similarity;
    private final int maxChildren;
    private final int maxTemplates;
    private final TokenMasker masker = new TokenMasker(MAX_TOKENS, MAX_TOKEN_CHARS);
    private final Node root = new Node(null, null);
    /** Every cluster in least-recently-matched order; the eldest is evicted. */
    private final LinkedHashMap<Cluster, Boolean> lru = new LinkedHashMap<>(64, 0.75f, true);

    public TemplateMiner() {
        this(DEFAULT_DEPTH, DEFAULT_SIMILARITY, DEFAULT_MAX_CHILDREN, DEFAULT_MAX_TEMPLATES);
    }

    /**
     * @param depth tree depth as in Drain3: the root, the token-count layer, {@code depth - 3} token layers and the
     *     leaf (so the default 4 routes by the first token only)
     * @param similarity fraction of equal tokens for a message to join a cluster, in (0, 1]
     */
    public TemplateMiner(int depth, double similarity, int maxChildren, int maxTemplates) {
        if (depth < 3 || similarity <= 0 || similarity > 1 || maxChildren < 2 || maxTemplates < 1) {
            throw new IllegalArgumentException("depth >= 3, 0 < similarity <= 1, maxChildren >= 2, maxTemplates >= 1");
        }
        this.tokenLayers = depth - 3;
        this.similarity = similarity;
        this.maxChildren = maxChildren;
        this.maxTemplates = maxTemplates;
    }

    /**
     * Learns from {@code message} and returns the template it now belongs to. The message is made storable first (NUL
     * and unpaired surrogates become U+FFFD, see {@link Storable}), and tokens are only ever cut at ASCII characters or
     * replaced whole, so a template's text is storable whatever the input.
     */
    public Template add(String message) {
        List<String> tokens = masker.tokens(message == null ? "" : Storable.text(message));
        Node leaf = descend(tokens);
        Cluster best = null;
        double bestSim = -1;
        int bestWildcards = -1;
        for (Cluster c : leaf.clusters) {
            int equal = 0;
            int wildcards = 0;
            for (int i = 0; i < c.tokens.length; i++) {
                String t = c.tokens[i];
                if (t.equals(TokenMasker.ANY)) {
                    wildcards++;
                } else if (t.equals(tokens.get(i))) {
                    equal++;
                }
            }
            double sim = c.tokens.length == 0 ? 1.0 : (double) (equal + wildcards) / c.tokens.length;
            if (sim > bestSim || (sim == bestSim && wildcards > bestWildcards)) {
                best = c;
                bestSim = sim;
                bestWildcards = wildcards;
            }
        }
        if (best != null && bestSim >= similarity) {
            boolean changed = false;
            for (int i = 0; i < best.tokens.length; i++) {
                if (!best.tokens[i].equals(tokens.get(i)) && !best.tokens[i].equals(TokenMasker.ANY)) {
                    best.tokens[i] = TokenMasker.ANY;
                    changed = true;
                }
            }
            if (changed) {
                best.template = build(best.tokens);
            }
            lru.get(best); // touch
            return best.template;
        }
        Cluster created = new Cluster(tokens.toArray(new String[0]), leaf);
        leaf.clusters.add(created);
        lru.put(created, Boolean.TRUE);
        if (lru.size() > maxTemplates) {
            evictEldest();
        }
        return created.template;
    }

    /** How many templates the miner holds. */
    public int size() {
        return lru.size();
    }

    /** How many tree nodes the miner holds (for tests of its bounds). */
    int nodeCount() {
        int count = 0;
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            count++;
            todo.addAll(n.children.values());
        }
        return count;
    }

    private Node descend(List<String> tokens) {
        Node node = child(root, tokens.size(), true);
        int layers = Math.min(tokenLayers, tokens.size());
        for (int i = 0; i < layers; i++) {
            String token = tokens.get(i);
            String key = isVariable(token) ? TokenMasker.ANY : token;
            Node next = node.children.get(key);
            if (next == null) {
                next = node.children.size() < maxChildren - 1 || key.equals(TokenMasker.ANY)
                        ? child(node, key, true)
                        : child(node, TokenMasker.ANY, true); // the last slot is kept for the wildcard branch
            }
            node = next;
        }
        if (node.clusters == null) {
            node.clusters = new ArrayList<>(2);
        }
        return node;
    }

    private static Node child(Node node, Object key, boolean create) {
        Node c = node.children.get(key);
        if (c == null && create) {
            c = new Node(node, key);
            node.children.put(key, c);
        }
        return c;
    }

    private void evictEldest() {
        Iterator<Cluster> it = lru.keySet().iterator();
        Cluster eldest = it.next();
        it.remove();
        Node node = eldest.leaf;
        node.clusters.remove(eldest);
        // drop the branch when nothing uses it any more
        while (node.parent != null && node.children.isEmpty() && (node.clusters == null || node.clusters.isEmpty())) {
            node.parent.children.remove(node.key);
            node = node.parent;
        }
    }

    private static boolean isVariable(String token) {
        if (token.indexOf('<') >= 0 && token.indexOf('>') > 0) {
            return true; // contains a mask
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static Template build(String[] tokens) {
        String text = String.join(" ", tokens);
        return new Template(id(text), text);
    }

    /** 64-bit FNV-1a over the UTF-16 code units, as 16 hex digits. */
    public static String id(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }
}

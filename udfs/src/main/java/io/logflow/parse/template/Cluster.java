package io.logflow.parse.template;

/**
 * One template held by a {@link TemplateMiner}: its tokens (a wildcard where its lines differ), its id and what a
 * caller reports about it. Clusters form the miner's recency list through {@link #older}/{@link #newer}.
 */
final class Cluster {
    static final String WILDCARD = "<*>";
    static final int MAX_TEXT_CHARS = 2000;
    static final int MAX_EXAMPLE_CHARS = 1000;
    /** In {@link #stems}: not computed yet. */
    static final int UNKNOWN_STEM = -2;

    /** Founding order: a leaf holds its clusters in this order, which decides ties. */
    final long seq;
    final String id;
    /** The first token when it is a word, else {@link #WILDCARD}: with the token count, it picks the leaf. */
    final String route;
    final String[] tokens;
    final boolean[] wild;
    final boolean[] spaceBefore;
    final String example;
    int wildcards;
    long count;
    long firstSeen;
    long lastSeen;
    /** {@link #lastSeen} when the template was last reported. */
    long reportedSeen;
    String text;
    boolean held = true;
    Cluster older;
    Cluster newer;
    /** {@link TemplateMiner#stemStart} of each token, computed when first asked (not snapshotted: derived). */
    private int[] stems;

    Cluster(long seq, String id, String route, String[] tokens, boolean[] wild, boolean[] spaceBefore,
            String example) {
        this.seq = seq;
        this.id = id;
        this.route = route;
        this.tokens = tokens;
        this.wild = wild;
        this.spaceBefore = spaceBefore;
        this.example = example;
        int w = 0;
        for (boolean b : wild) {
            w += b ? 1 : 0;
        }
        this.wildcards = w;
        this.text = text();
    }

    /** {@link TemplateMiner#stemStart} of token {@code i}. */
    int stem(int i) {
        if (stems == null) {
            stems = new int[tokens.length];
            java.util.Arrays.fill(stems, UNKNOWN_STEM);
        }
        int stem = stems[i];
        if (stem == UNKNOWN_STEM) {
            stem = TemplateMiner.stemStart(tokens[i]);
            stems[i] = stem;
        }
        return stem;
    }

    long leafKey() {
        return TemplateMiner.leafKey(tokens.length, route);
    }

    String text() {
        StringBuilder sb = new StringBuilder(tokens.length * 8);
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0 && spaceBefore[i]) {
                sb.append(' ');
            }
            sb.append(wild[i] ? WILDCARD : tokens[i]);
            if (sb.length() > MAX_TEXT_CHARS) {
                break;
            }
        }
        return io.logflow.model.Storable.truncate(sb.toString(), MAX_TEXT_CHARS);
    }

    /** True when some line could match both templates: at every position they agree or one is a wildcard. */
    boolean overlaps(String[] otherTokens, boolean[] otherWild) {
        for (int i = 0; i < tokens.length; i++) {
            if (!wild[i] && !otherWild[i] && !tokens[i].equals(otherTokens[i])) {
                return false;
            }
        }
        return true;
    }
}

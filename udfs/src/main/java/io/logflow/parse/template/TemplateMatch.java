package io.logflow.parse.template;

/**
 * The template a line was matched to, as it stood right after the line: immutable, a new one per line, so a caller
 * may keep it. The strings are the template's own (shared, not copied per line).
 */
public final class TemplateMatch {
    /** The cluster's id, 16 lowercase hex digits, fixed when the cluster was founded. */
    public final String id;
    /** The template's current text ({@code <*>} where its lines differ), storable, at most 2,000 characters. */
    public final String text;
    /** Lines matched to this template while held: since it was founded, carried through snapshots. */
    public final long count;
    /** Least and greatest event time of its lines. */
    public final long firstSeen;
    public final long lastSeen;
    /** The line that founded the template, storable, at most 1,000 characters. */
    public final String example;
    /**
     * True when the template was founded by this line, its text changed with it, or its {@code lastSeen} moved 60 s
     * or more of event time past the last report: the caller upserts the template's row then.
     */
    public final boolean report;

    TemplateMatch(String id, String text, long count, long firstSeen, long lastSeen, String example, boolean report) {
        this.id = id;
        this.text = text;
        this.count = count;
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
        this.example = example;
        this.report = report;
    }

    @Override
    public String toString() {
        return id + " " + text + " (" + count + (report ? ", report)" : ")");
    }
}

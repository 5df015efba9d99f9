package io.logflow.parse.format;

import io.logflow.model.LogEvent;

/** One line format. Implementations scan by hand, never throw on bad input and keep no per-record state. */
public interface FormatParser {
    /**
     * Parses {@code line} (already stripped, never empty) into {@code event}, whose {@code fields} map is empty and
     * whose {@code timestamp} is {@code Timestamps.NONE}.
     *
     * @return false when the line is not in this format (the event may then hold partial values and is discarded);
     *     true when it is, in which case {@code ctx.failureReason} or {@code ctx.skipReason} may say it is broken or to
     *     be skipped
     */
    boolean parse(String line, LogEvent event, ParseContext ctx);
}

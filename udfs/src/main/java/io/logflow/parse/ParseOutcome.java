package io.logflow.parse;

import io.logflow.model.LogEvent;
import io.logflow.model.Storable;

/** What parsing one record gave: an event, a failure with a reason, or a counted skip (a blank line). */
public final class ParseOutcome {
    public enum Kind {
        EVENT,
        FAILURE,
        SKIP
    }

    public final Kind kind;
    public final LogEvent event;
    /** Stable reason code for FAILURE and SKIP. */
    public final String reason;
    /** Human-readable detail of a FAILURE; storable (see {@link Storable}) like every string the parser gives. */
    public final String detail;

    private ParseOutcome(Kind kind, LogEvent event, String reason, String detail) {
        this.kind = kind;
        this.event = event;
        this.reason = reason;
        this.detail = detail;
    }

    public static ParseOutcome event(LogEvent event) {
        return new ParseOutcome(Kind.EVENT, event, null, null);
    }

    public static ParseOutcome failure(String reason, String detail) {
        // Details quote the input (a JSON error names the character it stopped at, a source passes on its own).
        return new ParseOutcome(Kind.FAILURE, null, Storable.text(reason), Storable.text(detail));
    }

    public static ParseOutcome skip(String reason) {
        return new ParseOutcome(Kind.SKIP, null, reason, null);
    }
}

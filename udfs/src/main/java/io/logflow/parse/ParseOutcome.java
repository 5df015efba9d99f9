package io.logflow.parse;

import io.logflow.model.LogEvent;

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
        return new ParseOutcome(Kind.FAILURE, null, reason, detail);
    }

    public static ParseOutcome skip(String reason) {
        return new ParseOutcome(Kind.SKIP, null, reason, null);
    }
}

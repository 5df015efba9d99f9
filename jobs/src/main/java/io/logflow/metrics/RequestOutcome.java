package io.logflow.metrics;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;

/**
 * What became of one request: the events of a workspace that shared a request id. A Flink POJO; it is also the
 * tracker's state while the request is open.
 */
public class RequestOutcome {
    /** Failure reasons, as stored in {@code failed_requests.reason}. */
    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";

    /** The columns of the {@code request_outcomes} view, in order; its event time is {@link #startedAt}. */
    public static final TypeInformation<Row> ROW_TYPE = Types.ROW_NAMED(
            new String[] {"workspace_id", "request_id", "service", "failed", "reason", "first_message",
                    "error_message", "events", "duration_ms"},
            Types.STRING, Types.STRING, Types.STRING, Types.BOOLEAN, Types.STRING, Types.STRING,
            Types.STRING, Types.INT, Types.DOUBLE);

    public String workspaceId;
    public String requestId;
    public String service;
    /** Event time of its first event (or of its start event, when a start pattern is set). */
    public long startedAt;
    public int events;
    public String firstMessage;
    /** The first ERROR or FATAL message, or null. */
    public String errorMessage;
    public Double durationMs;
    public boolean started;
    public boolean completed;
    /** Decided and emitted; the state stays until the timeout so that stragglers do not open a new request. */
    public boolean decided;

    public RequestOutcome() {}

    public boolean failed() {
        return errorMessage != null || !completed;
    }

    /** Null when it succeeded. */
    public String reason() {
        if (errorMessage != null) {
            return ERROR;
        }
        return completed ? null : TIMEOUT;
    }

    public Row toRow() {
        return Row.of(workspaceId, requestId, service, failed(), reason(), firstMessage, errorMessage, events,
                durationMs);
    }
}

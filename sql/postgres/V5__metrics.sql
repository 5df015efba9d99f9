-- logflow schema, version 5: the windowed aggregates the job computes in Flink SQL (sql/flink/metrics.sql) and the
-- requests it found failed. Dashboards (deploy/grafana) and analysts read these tables.
--
-- Every metrics_* row is upserted by the job on its primary key (the window and its dimensions), so a replay, a
-- backfill or a restore from a savepoint rewrites the same rows instead of adding new ones.
--   workspace_id: the event's workspace, '-' when enrichment is off.
--   service:      the event's service, else its CloudWatch log group, else '-'.
--   window_start/window_end: event time as UTC wall-clock `timestamp` (the Flink JDBC connector cannot write
--                            timestamptz without depending on the TaskManager's time zone), end exclusive.
-- Events later than the watermark (metrics.out-of-orderness) are stored in log_events but not counted here; the
-- job counts them in its lateEvents metric.

-- Volume per minute: events, message bytes (UTF-8), and how many of them were ERROR/FATAL and WARN.
CREATE TABLE metrics_minute (
    window_start timestamp   NOT NULL,
    window_end   timestamp   NOT NULL,
    workspace_id text        NOT NULL,
    service      text        NOT NULL,
    level        text        NOT NULL,
    events       bigint      NOT NULL,
    bytes        bigint      NOT NULL,
    errors       bigint      NOT NULL,
    warnings     bigint      NOT NULL,
    PRIMARY KEY (window_start, workspace_id, service, level)
);

-- The same counts per UTC day and per ISO week (Monday 00:00 UTC). While a day or week is still open the job
-- rewrites its row as it goes (metrics.rollup-update-interval), so the row holds the counts so far.
CREATE TABLE metrics_day (
    window_start timestamp   NOT NULL,
    window_end   timestamp   NOT NULL,
    workspace_id text        NOT NULL,
    service      text        NOT NULL,
    level        text        NOT NULL,
    events       bigint      NOT NULL,
    bytes        bigint      NOT NULL,
    errors       bigint      NOT NULL,
    warnings     bigint      NOT NULL,
    PRIMARY KEY (window_start, workspace_id, service, level)
);

CREATE TABLE metrics_week (
    window_start timestamp   NOT NULL,
    window_end   timestamp   NOT NULL,
    workspace_id text        NOT NULL,
    service      text        NOT NULL,
    level        text        NOT NULL,
    events       bigint      NOT NULL,
    bytes        bigint      NOT NULL,
    errors       bigint      NOT NULL,
    warnings     bigint      NOT NULL,
    PRIMARY KEY (window_start, workspace_id, service, level)
);

-- Durations per minute, over the events that carry one (duration_ms): the percentiles come from APPROX_PERCENTILE,
-- a DDSketch with 1% relative error (a p99 of 200 ms is reported between 198 and 202 ms).
CREATE TABLE metrics_latency_minute (
    window_start    timestamp        NOT NULL,
    window_end      timestamp        NOT NULL,
    workspace_id    text             NOT NULL,
    service         text             NOT NULL,
    events          bigint           NOT NULL,
    duration_avg_ms double precision NOT NULL,
    duration_max_ms double precision NOT NULL,
    duration_p50_ms double precision NOT NULL,
    duration_p90_ms double precision NOT NULL,
    duration_p99_ms double precision NOT NULL,
    PRIMARY KEY (window_start, workspace_id, service)
);

-- Requests per minute of their first event: all of them, and those that failed (logged an ERROR/FATAL, or had no
-- completion event within requests.timeout).
CREATE TABLE metrics_requests_minute (
    window_start    timestamp   NOT NULL,
    window_end      timestamp   NOT NULL,
    workspace_id    text        NOT NULL,
    service         text        NOT NULL,
    requests        bigint      NOT NULL,
    failed_requests bigint      NOT NULL,
    timed_out       bigint      NOT NULL,
    PRIMARY KEY (window_start, workspace_id, service)
);

-- The 20 most frequent message templates (LOG_TEMPLATE) per hour and workspace; rank 1 is the most frequent, ties
-- go to the template that sorts first. sample_message is one message of that template (the smallest).
CREATE TABLE metrics_templates_hour (
    window_start   timestamp   NOT NULL,
    window_end     timestamp   NOT NULL,
    workspace_id   text        NOT NULL,
    rank           integer     NOT NULL,
    template       text        NOT NULL,
    events         bigint      NOT NULL,
    sample_message text,
    PRIMARY KEY (window_start, workspace_id, rank)
);

-- One row per failed request: the events that shared a request id, their first message, and why it failed.
--   reason: 'error' (it logged an ERROR or FATAL; error_message is the first such message) or 'timeout' (no
--           completion event within requests.timeout of its first event).
CREATE TABLE failed_requests (
    workspace_id  text        NOT NULL,
    request_id    text        NOT NULL,
    started_at    timestamp   NOT NULL,
    service       text        NOT NULL,
    reason        text        NOT NULL CHECK (reason IN ('error', 'timeout')),
    first_message text,
    error_message text,
    events        integer     NOT NULL,
    duration_ms   double precision,
    PRIMARY KEY (workspace_id, request_id, started_at)
);

CREATE INDEX metrics_minute_workspace ON metrics_minute (workspace_id, window_start);
CREATE INDEX failed_requests_time ON failed_requests (workspace_id, started_at);

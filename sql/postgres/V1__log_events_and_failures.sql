-- logflow schema, version 1: the events the job stores and the records it gave up on.
-- Applied by Flyway: `java -jar logflow-jobs.jar migrate --postgres.url ...`, the demo and the tests.

-- One row per log event. event_id is deterministic from the source coordinates, so the sink inserts with
-- ON CONFLICT (event_id) DO NOTHING and a replay never duplicates a row.
CREATE TABLE log_events (
    event_id     uuid             PRIMARY KEY,
    workspace_id text,
    event_time   timestamptz      NOT NULL,
    ingest_time  timestamptz      NOT NULL,
    level        text             CHECK (level IN ('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')),
    service      text,
    log_group    text,
    log_stream   text,
    message      text,
    trace_id     text,
    span_id      text,
    request_id   text,
    duration_ms  double precision,
    fields       jsonb,
    format       text,
    source       text             NOT NULL,
    source_ref   text             NOT NULL,
    routing_key  text
);

CREATE INDEX log_events_event_time ON log_events (event_time);
CREATE INDEX log_events_workspace_time ON log_events (workspace_id, event_time);
CREATE INDEX log_events_level_time ON log_events (level, event_time);
CREATE INDEX log_events_trace_id ON log_events (trace_id) WHERE trace_id IS NOT NULL;

-- One row per record that did not become an event: the stage, a stable reason code, and the raw input (bounded).
-- failure_id is deterministic from the stage and the source coordinates, so a replay does not duplicate failures.
CREATE TABLE ingest_failures (
    failure_id   uuid        PRIMARY KEY,
    stage        text        NOT NULL,
    reason       text        NOT NULL,
    detail       text,
    source       text,
    source_ref   text,
    workspace_id text,
    raw          bytea,
    raw_size     integer     NOT NULL DEFAULT 0,
    failed_at    timestamptz NOT NULL
);

CREATE INDEX ingest_failures_reason_time ON ingest_failures (reason, failed_at);

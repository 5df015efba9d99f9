-- logflow schema, version 6: views that Flink SQL reads through its JDBC connector (sql/flink/catalog.sql), for the
-- tables whose types it cannot read as they are. They change only the types, not the rows: analyst_<table>.
-- (The metrics_* tables and failed_requests hold UTC `timestamp`s already; Flink reads them directly.)
--   * timestamptz is turned into a UTC `timestamp`. The connector turns timestamptz into a Flink TIMESTAMP in the
--     JVM's default time zone, so a TaskManager that is not on UTC would move every time. A `timestamp` keeps its
--     wall clock in every zone, and Flink filters on it (pushed down as parameters) compare the same wall clock.
--   * uuid and jsonb become text. The 3.3 Postgres dialect reads a column declared STRING with a plain (String) cast,
--     which fails on java.util.UUID and PGobject.
-- Time filters on analyst_log_events.event_time reach Postgres as conditions on (event_time AT TIME ZONE 'UTC'),
-- which the index on event_time does not serve. Narrow such queries by workspace_id or level too, or add an
-- expression index when analysts scan large ranges often.

CREATE VIEW analyst_log_events AS
SELECT event_id::text AS event_id, workspace_id,
       event_time AT TIME ZONE 'UTC' AS event_time, ingest_time AT TIME ZONE 'UTC' AS ingest_time,
       level, service, log_group, log_stream, message, trace_id, span_id, request_id, duration_ms,
       fields::text AS fields, format, source, source_ref, routing_key
FROM log_events;

CREATE VIEW analyst_ingest_failures AS
SELECT failure_id::text AS failure_id, stage, reason, detail, source, source_ref, workspace_id, raw, raw_size,
       failed_at AT TIME ZONE 'UTC' AS failed_at, record::text AS record,
       replayed_at AT TIME ZONE 'UTC' AS replayed_at
FROM ingest_failures;

CREATE VIEW analyst_uploads AS
SELECT path, version, status, bytes, lines, events, failures, skipped, error,
       first_seen AT TIME ZONE 'UTC' AS first_seen, started_at AT TIME ZONE 'UTC' AS started_at,
       finished_at AT TIME ZONE 'UTC' AS finished_at, updated_at AT TIME ZONE 'UTC' AS updated_at
FROM uploads;

CREATE VIEW analyst_workspaces AS
SELECT id, name, description, aws_account_id, log_groups, upload_prefixes, status,
       verified_at AT TIME ZONE 'UTC' AS verified_at, verified_log_group,
       last_event_at AT TIME ZONE 'UTC' AS last_event_at,
       created_at AT TIME ZONE 'UTC' AS created_at, updated_at AT TIME ZONE 'UTC' AS updated_at
FROM workspaces;

-- logflow schema, version 7: log_events and ingest_failures partitioned by UTC day, so that retention drops whole
-- partitions (no DELETE, no VACUUM storm) and a query with a time range reads only its days.
--
--   log_events       PARTITION BY RANGE (event_time),  primary key (event_id, event_time)
--   ingest_failures  PARTITION BY RANGE (failed_at),   primary key (failure_id, failed_at)
--
-- Partitions are named <table>_pYYYYMMDD and cover [day 00:00 UTC, next day 00:00 UTC). Each table has a DEFAULT
-- partition (<table>_default) that takes a row whose day has no partition yet (an event from last year, a clock in
-- the future), so no write ever fails for a missing partition. logflow_ensure_partitions creates the partitions of
-- the coming days (the job and `migrate` call it) and moves rows of such a day out of the default partition first.
-- logflow_drop_partitions drops the days older than a retention (`postgres.retention`, `logflow retention`).
--
-- A primary key of a partitioned table must contain the partition key, so an id is unique per day, not overall. An
-- event's id and time are both deterministic from its source coordinates, except when the line had no time of its own
-- and the source none either: then event_time is the receive time (fields.timestamp_source = 'ingest'), which a
-- replay changes. The event sink keeps such an event only if no other partition holds its id (see StagedCopyWriter).
-- Failures are written the same way, always: their failed_at is the time the failure was made.
-- Existing rows are kept: they are moved into the new tables, one partition per day they cover.

-- Creates the partition of `day` (UTC) of `parent` if it is missing, moving the rows of that day out of the default
-- partition first (attaching would fail while the default holds any). Returns true if it created one.
CREATE FUNCTION logflow_create_partition(parent regclass, day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    parent_name text := (SELECT relname FROM pg_class WHERE oid = parent);
    name        text := parent_name || '_p' || to_char(day, 'YYYYMMDD');
    key_column  text := (SELECT a.attname FROM pg_partitioned_table p
                         JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                         WHERE p.partrelid = parent);
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(quote_ident(name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved',
                   parent_name || '_default', key_column, lower_bound, key_column, upper_bound, name);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   parent, name, lower_bound, upper_bound);
    RETURN true;
END $$;

-- Makes sure log_events and ingest_failures have the partitions of today and the next `days_ahead` days (UTC).
-- Safe to call from many places at once: one caller at a time works, the others wait and then find them made.
-- Returns how many partitions it created.
CREATE FUNCTION logflow_ensure_partitions(days_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    today   date := (now() AT TIME ZONE 'UTC')::date;
    created integer := 0;
    d       integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('logflow_partitions'));
    FOR d IN 0 .. greatest(days_ahead, 0) LOOP
        created := created + logflow_create_partition('log_events', today + d)::integer
                           + logflow_create_partition('ingest_failures', today + d)::integer;
    END LOOP;
    RETURN created;
END $$;

-- Drops the daily partitions of log_events and ingest_failures that end at or before `cutoff`, and deletes the rows
-- before `cutoff` that wait in the default partitions. Returns the dropped partitions' names.
CREATE FUNCTION logflow_drop_partitions(cutoff timestamptz) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    part   record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('logflow_partitions'));
    FOR part IN
        SELECT c.relname AS name, p.relname AS parent
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname IN ('log_events', 'ingest_failures')
          AND c.relname ~ '_p[0-9]{8}$'
          AND (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', part.name);
        RETURN NEXT part.name;
    END LOOP;
    DELETE FROM log_events_default WHERE event_time < cutoff;
    DELETE FROM ingest_failures_default WHERE failed_at < cutoff;
END $$;

-- The views of version 6 name the tables that are replaced; they are made again below.
DROP VIEW analyst_log_events;
DROP VIEW analyst_ingest_failures;

ALTER TABLE log_events RENAME TO log_events_v6;
ALTER TABLE log_events_v6 RENAME CONSTRAINT log_events_pkey TO log_events_v6_pkey;
ALTER INDEX log_events_event_time RENAME TO log_events_v6_event_time;
ALTER INDEX log_events_workspace_time RENAME TO log_events_v6_workspace_time;
ALTER INDEX log_events_level_time RENAME TO log_events_v6_level_time;
ALTER INDEX log_events_trace_id RENAME TO log_events_v6_trace_id;

CREATE TABLE log_events (
    event_id     uuid             NOT NULL,
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
    routing_key  text,
    PRIMARY KEY (event_id, event_time)
) PARTITION BY RANGE (event_time);

CREATE TABLE log_events_default PARTITION OF log_events DEFAULT;

-- A day's rows arrive roughly in time order, so a BRIN index on the time is a few pages per partition and serves
-- time ranges; tenant and level queries keep their btrees (which also serve ORDER BY event_time within them).
CREATE INDEX log_events_event_time ON log_events USING brin (event_time);
CREATE INDEX log_events_workspace_time ON log_events (workspace_id, event_time);
CREATE INDEX log_events_level_time ON log_events (level, event_time);
CREATE INDEX log_events_trace_id ON log_events (trace_id) WHERE trace_id IS NOT NULL;

ALTER TABLE ingest_failures RENAME TO ingest_failures_v6;
ALTER TABLE ingest_failures_v6 RENAME CONSTRAINT ingest_failures_pkey TO ingest_failures_v6_pkey;
ALTER INDEX ingest_failures_reason_time RENAME TO ingest_failures_v6_reason_time;
ALTER INDEX ingest_failures_replayable RENAME TO ingest_failures_v6_replayable;

CREATE TABLE ingest_failures (
    failure_id   uuid        NOT NULL,
    stage        text        NOT NULL,
    reason       text        NOT NULL,
    detail       text,
    source       text,
    source_ref   text,
    workspace_id text,
    raw          bytea,
    raw_size     integer     NOT NULL DEFAULT 0,
    failed_at    timestamptz NOT NULL,
    record       jsonb,
    replayed_at  timestamptz,
    PRIMARY KEY (failure_id, failed_at)
) PARTITION BY RANGE (failed_at);

CREATE TABLE ingest_failures_default PARTITION OF ingest_failures DEFAULT;

CREATE INDEX ingest_failures_reason_time ON ingest_failures (reason, failed_at);
CREATE INDEX ingest_failures_replayable ON ingest_failures (reason, failed_at) WHERE replayed_at IS NULL;
-- No index on workspace_id: its writers cannot isolate a row, and a failure's workspace may be any text (too long
-- for an index). A tenant's query reads the days it asks for.

-- The existing rows: a partition for each day they cover, then the rows themselves.
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT DISTINCT (event_time AT TIME ZONE 'UTC')::date FROM log_events_v6 LOOP
        PERFORM logflow_create_partition('log_events', d);
    END LOOP;
    FOR d IN SELECT DISTINCT (failed_at AT TIME ZONE 'UTC')::date FROM ingest_failures_v6 LOOP
        PERFORM logflow_create_partition('ingest_failures', d);
    END LOOP;
END $$;

INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, level, service, log_group, log_stream,
                        message, trace_id, span_id, request_id, duration_ms, fields, format, source, source_ref,
                        routing_key)
SELECT event_id, workspace_id, event_time, ingest_time, level, service, log_group, log_stream,
       message, trace_id, span_id, request_id, duration_ms, fields, format, source, source_ref, routing_key
FROM log_events_v6;

INSERT INTO ingest_failures (failure_id, stage, reason, detail, source, source_ref, workspace_id, raw, raw_size,
                             failed_at, record, replayed_at)
SELECT failure_id, stage, reason, detail, source, source_ref, workspace_id, raw, raw_size,
       failed_at, record, replayed_at
FROM ingest_failures_v6;

DROP TABLE log_events_v6;
DROP TABLE ingest_failures_v6;

SELECT logflow_ensure_partitions(2);

-- As in version 6, on the new tables.
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

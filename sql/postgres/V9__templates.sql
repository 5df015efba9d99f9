-- logflow schema, version 9: log templates with ids that stay put.
--
-- The job mines each routing key's messages (a log group, an upload path) into templates kept in its checkpointed
-- state: a template keeps its id while it generalises (gains <*>), so counting by template_id over time does not
-- split when the text changes. Every event carries the id of its template.

ALTER TABLE log_events ADD COLUMN template_id text;

-- The templates as the job last reported them: when founded, when their text changed, and about once a minute of
-- event time while lines match them. events counts the lines one task matched since the template was founded (up to
-- a minute behind); a template forgotten (templates.max-per-source, templates.idle-ttl) and founded again by the same
-- line gets the same id and counts on from the larger count. example is the line that founded it.
CREATE TABLE log_templates (
    workspace_id text        NOT NULL,
    template_id  text        NOT NULL,
    template     text        NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    events       bigint      NOT NULL,
    example      text,
    routing_key  text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, template_id)
);
CREATE INDEX log_templates_last_seen ON log_templates (workspace_id, last_seen);

ALTER TABLE log_templates ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspace ON log_templates FOR SELECT USING (workspace_id = (SELECT logflow_reader_workspace()));

-- The hourly ranking counts by template id; template is the text of the id's latest event in the hour.
ALTER TABLE metrics_templates_hour ADD COLUMN template_id text;

CREATE OR REPLACE VIEW analyst_log_events AS
SELECT event_id::text AS event_id, workspace_id,
       event_time AT TIME ZONE 'UTC' AS event_time, ingest_time AT TIME ZONE 'UTC' AS ingest_time,
       level, service, log_group, log_stream, message, trace_id, span_id, request_id, duration_ms,
       fields::text AS fields, format, source, source_ref, routing_key, template_id
FROM log_events;
ALTER VIEW analyst_log_events SET (security_invoker = true);

CREATE VIEW analyst_log_templates AS
SELECT workspace_id, template_id, template, first_seen AT TIME ZONE 'UTC' AS first_seen,
       last_seen AT TIME ZONE 'UTC' AS last_seen, events, example, routing_key
FROM log_templates;
ALTER VIEW analyst_log_templates SET (security_invoker = true);

-- Retention (postgres.retention, `logflow retention`) also forgets templates no line has matched since the cutoff.
CREATE OR REPLACE FUNCTION logflow_drop_partitions(cutoff timestamptz) RETURNS SETOF text
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
    DELETE FROM log_templates WHERE last_seen < cutoff;
END $$;

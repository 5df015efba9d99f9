-- logflow schema, version 8: row-level security, so that a reader role bound to one workspace sees that workspace's
-- rows only. `logflow workspace grant <id> --role <name>` creates such a role and binds it here.
--
-- The job writes as the owner of the tables, which row-level security does not restrict (it is not FORCEd), so the
-- writer is unchanged. Other roles see nothing of a table with RLS unless a policy lets them: the policies below are
-- for SELECT only, and a reader is granted SELECT only (on the tables and views named in `workspace grant`).
-- Partitions carry no policy but are not granted to readers, so a reader cannot go around the parent table.
--
-- What a tenant sees:
--   log_events, ingest_failures, metrics_*, failed_requests: rows whose workspace_id is its workspace (a failure
--     from before enrichment has none, and rows of metrics computed without enrichment have '-': no tenant sees them);
--   uploads: the files whose path starts with one of its workspace's upload prefixes, or holds one right after a
--     '/' (uploads has no workspace column; the prefix `acme/` matches file:/data/logs/acme/web/app.log, not
--     .../notacme/...). A folder named like a prefix deeper in another tenant's path (.../globex/acme/...) would match
--     too: give tenants prefixes that are whole first folders or full URIs (s3://bucket/acme/);
--   workspaces: its own row; workspace_readers: its own binding;
--   the analyst_* views: the same, as they run with the reader's rights (security_invoker, PostgreSQL 15 or later).

-- Which workspace each reader role sees. One workspace per role.
CREATE TABLE workspace_readers (
    role_name    text        PRIMARY KEY,
    workspace_id text        NOT NULL,
    granted_at   timestamptz NOT NULL DEFAULT now()
);

-- The workspace of the current role, or null (sees nothing). Inlined by the planner into each policy as a sub-select
-- evaluated once per query, so an index on workspace_id serves the filter.
CREATE FUNCTION logflow_reader_workspace() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT workspace_id FROM workspace_readers WHERE role_name = current_user::text
$$;

ALTER TABLE workspace_readers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_binding ON workspace_readers FOR SELECT USING (role_name = current_user::text);

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspace ON workspaces FOR SELECT USING (id = (SELECT logflow_reader_workspace()));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['log_events', 'ingest_failures', 'metrics_minute', 'metrics_day', 'metrics_week',
                             'metrics_latency_minute', 'metrics_requests_minute', 'metrics_templates_hour',
                             'failed_requests'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_workspace ON %I FOR SELECT '
                       'USING (workspace_id = (SELECT logflow_reader_workspace()))', t);
    END LOOP;
END $$;

ALTER TABLE uploads ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_uploads ON uploads FOR SELECT USING (EXISTS (
    SELECT 1 FROM workspaces w, unnest(w.upload_prefixes) AS prefix
    WHERE w.id = (SELECT logflow_reader_workspace())
      AND prefix <> ''
      AND (starts_with(uploads.path, prefix) OR strpos(uploads.path, '/' || prefix) > 0)));

-- The views run with the rights (and row-level security) of whoever reads them, not of their owner.
ALTER VIEW analyst_log_events SET (security_invoker = true);
ALTER VIEW analyst_ingest_failures SET (security_invoker = true);
ALTER VIEW analyst_uploads SET (security_invoker = true);
ALTER VIEW analyst_workspaces SET (security_invoker = true);

-- logflow schema, version 4: what a replay needs.
--   record: the input of the failing stage as JSON (for ENRICH failures the event as parsed, with its event id),
--           so `logflow replay` can feed it through the pipeline again with the id it would have had.
--   replayed_at: set once a replay stored the record's event; such failures are not selected again.
ALTER TABLE ingest_failures ADD COLUMN record jsonb;
ALTER TABLE ingest_failures ADD COLUMN replayed_at timestamptz;

CREATE INDEX ingest_failures_replayable ON ingest_failures (reason, failed_at) WHERE replayed_at IS NULL;

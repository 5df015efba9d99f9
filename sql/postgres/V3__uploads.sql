-- logflow schema, version 3: one row per uploaded file (per version of it), written by the job as it reads.
--   status: PROCESSING while a reader is on it, DONE when every record is accounted for, FAILED when reading stopped
--   early (truncated, corrupt, a decompression bomb); error then says why.
--   When DONE or FAILED: lines = events + failures + skipped.
CREATE TABLE uploads (
    path         text        NOT NULL,
    version      text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'DONE', 'FAILED')),
    bytes        bigint      NOT NULL DEFAULT 0,
    lines        bigint      NOT NULL DEFAULT 0,
    events       bigint      NOT NULL DEFAULT 0,
    failures     bigint      NOT NULL DEFAULT 0,
    skipped      bigint      NOT NULL DEFAULT 0,
    error        text,
    first_seen   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (path, version)
);

CREATE INDEX uploads_status ON uploads (status, updated_at);

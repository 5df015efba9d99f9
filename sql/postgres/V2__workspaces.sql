-- logflow schema, version 2: the registered workspaces (tenants).
-- The job is the only writer: it mirrors the compacted registrations topic (upsert by id, delete on a tombstone) and
-- marks a workspace verified when its validation line arrives. `workspace list|status` read this table.

CREATE TABLE workspaces (
    id                 text        PRIMARY KEY,
    name               text        NOT NULL,
    description        text,
    -- the 12-digit AWS account owning log_groups; null for a workspace of upload prefixes only
    aws_account_id     text,
    -- exact CloudWatch log group names, or prefixes ending in '*'
    log_groups         text[]      NOT NULL DEFAULT '{}',
    -- URI prefixes of uploaded files, e.g. s3://bucket/tenant/
    upload_prefixes    text[]      NOT NULL DEFAULT '{}',
    status             text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    -- set when a line 'logflow-validation workspace=<id> nonce=<nonce>' arrived through one of its log groups
    verified_at        timestamptz,
    verification_nonce text,
    verified_log_group text,
    -- reserved for the job's last-seen tracking; `workspace status` also looks at log_events
    last_event_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX workspaces_aws_account ON workspaces (aws_account_id);

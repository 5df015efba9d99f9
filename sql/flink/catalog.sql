-- logflow's tables and functions for Flink SQL: the init script of an analyst's session (SQL client, SQL Gateway).
-- Do not load this file as it is: `logflow catalog` prints it with the connection options filled in from the job's
-- own configuration (the same keys, files and LOGFLOW_* variables as the job; the password from the environment):
--
--   sql-client.sh gateway --endpoint http://gateway:8083 \
--     -i <(java -cp "logflow-jobs.jar:$FLINK_HOME/lib/*" io.logflow.app.Main catalog --config logflow.properties)
--
-- ${sink:<table>} stands for the connector options of that table, as in sql/flink/metrics.sql: the JDBC connector on
-- the job's database (postgres.url) as the analysts' read-only role (catalog.postgres.user, its password from
-- LOGFLOW_CATALOG_POSTGRES_PASSWORD), table-name <table>; ${sink:dlq} is the Kafka dead-letter topic
-- (kafka.bootstrap-servers, dlq.kafka.topic), and its table is left out when dlq.kafka.enabled is false. The job
-- jar holds the functions, the JDBC and Kafka connectors and the Postgres driver; the Kafka table's json format
-- comes from flink-json in the distribution's lib/.
--
-- Times are UTC TIMESTAMP(3). log_events, ingest_failures, uploads and workspaces are read through their
-- analyst_<table> views (migration V6), which give their timestamptz columns as UTC and ids and JSON as STRING; the
-- metrics_* tables and failed_requests store UTC timestamps already. The JDBC tables are bounded: each query reads
-- what is there when it starts.
-- Run the queries in sql/queries/ in batch mode (SET 'execution.runtime-mode' = 'batch'; the default here).

SET 'execution.runtime-mode' = 'batch';
SET 'table.local-time-zone' = 'UTC';

-- Functions (udfs/src/main/java/io/logflow/udf).
CREATE FUNCTION IF NOT EXISTS PARSE_LOG AS 'io.logflow.udf.ParseLogFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS LOG_LEVEL AS 'io.logflow.udf.LogLevelFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS LOG_TEMPLATE AS 'io.logflow.udf.LogTemplateFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS REDACT AS 'io.logflow.udf.RedactFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS PARSE_TS AS 'io.logflow.udf.ParseTsFunction' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS APPROX_PERCENTILE AS 'io.logflow.udf.ApproxPercentileFunction' LANGUAGE JAVA;

-- One row per stored log event. fields is the event's JSON object of extra fields as text: read a key with
-- JSON_VALUE(fields, '$."http.status"').
CREATE TABLE IF NOT EXISTS log_events (
    event_id     STRING,
    workspace_id STRING,
    event_time   TIMESTAMP(3),
    ingest_time  TIMESTAMP(3),
    level        STRING,
    service      STRING,
    log_group    STRING,
    log_stream   STRING,
    message      STRING,
    trace_id     STRING,
    span_id      STRING,
    request_id   STRING,
    duration_ms  DOUBLE,
    fields       STRING,
    format       STRING,
    source       STRING,
    source_ref   STRING,
    routing_key  STRING,
    template_id  STRING,
    PRIMARY KEY (event_id) NOT ENFORCED
) WITH (
    ${sink:analyst_log_events}
);

-- The templates the job mined from each routing key's messages: an id stays put while its template generalises;
-- template is its current text, events the lines matched so far (up to a checkpoint behind), example the line that
-- founded it.
CREATE TABLE IF NOT EXISTS log_templates (
    workspace_id STRING,
    template_id  STRING,
    template     STRING,
    first_seen   TIMESTAMP(3),
    last_seen    TIMESTAMP(3),
    events       BIGINT,
    example      STRING,
    routing_key  STRING,
    PRIMARY KEY (workspace_id, template_id) NOT ENFORCED
) WITH (
    ${sink:analyst_log_templates}
);

-- One row per record that did not become an event; record is the failing stage's input as JSON text.
CREATE TABLE IF NOT EXISTS ingest_failures (
    failure_id   STRING,
    stage        STRING,
    reason       STRING,
    detail       STRING,
    source       STRING,
    source_ref   STRING,
    workspace_id STRING,
    `raw`        BYTES,
    raw_size     INT,
    failed_at    TIMESTAMP(3),
    record       STRING,
    replayed_at  TIMESTAMP(3),
    PRIMARY KEY (failure_id) NOT ENFORCED
) WITH (
    ${sink:analyst_ingest_failures}
);

-- One row per uploaded file (per version): PENDING, PROCESSING, DONE or FAILED (error says why).
CREATE TABLE IF NOT EXISTS uploads (
    path        STRING,
    version     STRING,
    status      STRING,
    `bytes`     BIGINT,
    lines       BIGINT,
    events      BIGINT,
    failures    BIGINT,
    skipped     BIGINT,
    error       STRING,
    first_seen  TIMESTAMP(3),
    started_at  TIMESTAMP(3),
    finished_at TIMESTAMP(3),
    updated_at  TIMESTAMP(3),
    PRIMARY KEY (path, version) NOT ENFORCED
) WITH (
    ${sink:analyst_uploads}
);

-- The registered workspaces (tenants).
CREATE TABLE IF NOT EXISTS workspaces (
    id                 STRING,
    name               STRING,
    description        STRING,
    aws_account_id     STRING,
    log_groups         ARRAY<STRING>,
    upload_prefixes    ARRAY<STRING>,
    status             STRING,
    verified_at        TIMESTAMP(3),
    verified_log_group STRING,
    last_event_at      TIMESTAMP(3),
    created_at         TIMESTAMP(3),
    updated_at         TIMESTAMP(3),
    PRIMARY KEY (id) NOT ENFORCED
) WITH (
    ${sink:analyst_workspaces}
);

-- The job's windowed aggregates (sql/flink/metrics.sql), UTC windows, end exclusive. service is the event's
-- service, else its log group, else '-'.
CREATE TABLE IF NOT EXISTS metrics_minute (
    window_start TIMESTAMP(3),
    window_end   TIMESTAMP(3),
    workspace_id STRING,
    service      STRING,
    level        STRING,
    events       BIGINT,
    `bytes`      BIGINT,
    errors       BIGINT,
    warnings     BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (
    ${sink:metrics_minute}
);

CREATE TABLE IF NOT EXISTS metrics_day (
    window_start TIMESTAMP(3),
    window_end   TIMESTAMP(3),
    workspace_id STRING,
    service      STRING,
    level        STRING,
    events       BIGINT,
    `bytes`      BIGINT,
    errors       BIGINT,
    warnings     BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (
    ${sink:metrics_day}
);

-- ISO weeks: window_start is a Monday 00:00 UTC.
CREATE TABLE IF NOT EXISTS metrics_week (
    window_start TIMESTAMP(3),
    window_end   TIMESTAMP(3),
    workspace_id STRING,
    service      STRING,
    level        STRING,
    events       BIGINT,
    `bytes`      BIGINT,
    errors       BIGINT,
    warnings     BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (
    ${sink:metrics_week}
);

-- Percentiles are per minute and service (DDSketch, 1% relative error); they cannot be added up across rows. For
-- other ranges, use APPROX_PERCENTILE over log_events (sql/queries/duration_percentiles_by_service.sql).
CREATE TABLE IF NOT EXISTS metrics_latency_minute (
    window_start    TIMESTAMP(3),
    window_end      TIMESTAMP(3),
    workspace_id    STRING,
    service         STRING,
    events          BIGINT,
    duration_avg_ms DOUBLE,
    duration_max_ms DOUBLE,
    duration_p50_ms DOUBLE,
    duration_p90_ms DOUBLE,
    duration_p99_ms DOUBLE,
    PRIMARY KEY (window_start, workspace_id, service) NOT ENFORCED
) WITH (
    ${sink:metrics_latency_minute}
);

CREATE TABLE IF NOT EXISTS metrics_requests_minute (
    window_start    TIMESTAMP(3),
    window_end      TIMESTAMP(3),
    workspace_id    STRING,
    service         STRING,
    requests        BIGINT,
    failed_requests BIGINT,
    timed_out       BIGINT,
    PRIMARY KEY (window_start, workspace_id, service) NOT ENFORCED
) WITH (
    ${sink:metrics_requests_minute}
);

-- The 20 most frequent message templates per hour and workspace (rank 1 = most frequent), counted by template_id;
-- template is the id's text at its last event of the hour (log_templates has its current text).
CREATE TABLE IF NOT EXISTS metrics_templates_hour (
    window_start   TIMESTAMP(3),
    window_end     TIMESTAMP(3),
    workspace_id   STRING,
    `rank`         INT,
    template       STRING,
    events         BIGINT,
    sample_message STRING,
    template_id    STRING,
    PRIMARY KEY (window_start, workspace_id, `rank`) NOT ENFORCED
) WITH (
    ${sink:metrics_templates_hour}
);

-- Requests that logged an ERROR/FATAL (reason 'error') or never completed (reason 'timeout').
CREATE TABLE IF NOT EXISTS failed_requests (
    workspace_id  STRING,
    request_id    STRING,
    started_at    TIMESTAMP(3),
    service       STRING,
    reason        STRING,
    first_message STRING,
    error_message STRING,
    events        INT,
    duration_ms   DOUBLE,
    PRIMARY KEY (workspace_id, request_id, started_at) NOT ENFORCED
) WITH (
    ${sink:failed_requests}
);

-- The Kafka dead-letter topic (dlq.kafka.enabled): one JSON record per failure, keyed by its failure id. Columns
-- carry the record's own field names (the json format maps by name); raw is base64 and record the failing stage's
-- input as JSON text. Delivery is at least once, so a failure may repeat: count DISTINCT failureId. A query reads
-- from the earliest offset up to the newest one when it starts; to follow the topic instead, run in streaming mode
-- with /*+ OPTIONS('scan.bounded.mode' = 'unbounded') */.
CREATE TABLE IF NOT EXISTS dlq_failures (
    failureId       STRING,
    stage           STRING,
    reason          STRING,
    detail          STRING,
    source          STRING,
    sourceRef       STRING,
    workspaceId     STRING,
    `raw`           STRING,
    rawSize         INT,
    `time`          TIMESTAMP_LTZ(3),
    record          STRING,
    kafka_partition INT METADATA FROM 'partition' VIRTUAL,
    kafka_offset    BIGINT METADATA FROM 'offset' VIRTUAL
) WITH (
    ${sink:dlq},
    'properties.group.id' = 'logflow-analysts',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'json',
    'json.ignore-parse-errors' = 'true',
    'json.timestamp-format.standard' = 'ISO-8601'
);

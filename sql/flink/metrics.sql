-- The windowed metrics of logflow, run by the job (io.logflow.metrics.Metrics) in one statement set beside its
-- DataStream topology. Windows are aligned in UTC (table.local-time-zone) and their bounds are written as UTC
-- wall-clock TIMESTAMPs into `timestamp` columns: the JDBC connector cannot write TIMESTAMP_LTZ, and a TIMESTAMP into
-- a `timestamptz` column would be read in the TaskManager's JVM time zone.
--
-- Inputs, registered by the job:
--   log_stream        every enriched event that was not late: workspace_id, service, level, message, bytes (UTF-8
--                     length of the message), duration_ms, template_id and template (the job's template step),
--                     and event_time (its rowtime; the watermark trails the newest event by
--                     metrics.out-of-orderness).
--   request_outcomes  one row per request once it is decided: workspace_id, request_id, service, failed, reason,
--                     first_message, error_message, events, duration_ms, and started_at (rowtime; its watermark
--                     trails by requests.timeout more).
-- ${sink:<table>} stands for the connector options of that table, given by the job's sinks (PostgreSQL: the JDBC
-- connector on the job's database, table-name <table>); every sink table has a primary key, so
-- the connector upserts and a re-run rewrites the same rows.

CREATE TEMPORARY TABLE metrics_minute (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, service STRING, level STRING,
    events BIGINT, `bytes` BIGINT, errors BIGINT, warnings BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (${sink:metrics_minute});

CREATE TEMPORARY TABLE metrics_day (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, service STRING, level STRING,
    events BIGINT, `bytes` BIGINT, errors BIGINT, warnings BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (${sink:metrics_day});

CREATE TEMPORARY TABLE metrics_week (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, service STRING, level STRING,
    events BIGINT, `bytes` BIGINT, errors BIGINT, warnings BIGINT,
    PRIMARY KEY (window_start, workspace_id, service, level) NOT ENFORCED
) WITH (${sink:metrics_week});

CREATE TEMPORARY TABLE metrics_latency_minute (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, service STRING,
    events BIGINT, duration_avg_ms DOUBLE, duration_max_ms DOUBLE,
    duration_p50_ms DOUBLE, duration_p90_ms DOUBLE, duration_p99_ms DOUBLE,
    PRIMARY KEY (window_start, workspace_id, service) NOT ENFORCED
) WITH (${sink:metrics_latency_minute});

CREATE TEMPORARY TABLE metrics_requests_minute (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, service STRING,
    requests BIGINT, failed_requests BIGINT, timed_out BIGINT,
    PRIMARY KEY (window_start, workspace_id, service) NOT ENFORCED
) WITH (${sink:metrics_requests_minute});

CREATE TEMPORARY TABLE metrics_templates_hour (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), workspace_id STRING, `rank` INT,
    template STRING, events BIGINT, sample_message STRING, template_id STRING,
    PRIMARY KEY (window_start, workspace_id, `rank`) NOT ENFORCED
) WITH (${sink:metrics_templates_hour});

CREATE TEMPORARY TABLE failed_requests (
    workspace_id STRING, request_id STRING, started_at TIMESTAMP(3), service STRING, reason STRING,
    first_message STRING, error_message STRING, events INT, duration_ms DOUBLE,
    PRIMARY KEY (workspace_id, request_id, started_at) NOT ENFORCED
) WITH (${sink:failed_requests});

-- Volume per minute and level; its window_time feeds the day and week roll-ups below.
CREATE TEMPORARY VIEW minute_volume AS
SELECT window_start AS minute_start, window_end AS minute_end, window_time AS minute_time,
       workspace_id, service, level,
       COUNT(*) AS events,
       SUM(`bytes`) AS `bytes`,
       SUM(CASE WHEN level IN ('ERROR', 'FATAL') THEN 1 ELSE 0 END) AS errors,
       SUM(CASE WHEN level = 'WARN' THEN 1 ELSE 0 END) AS warnings
FROM TABLE(TUMBLE(TABLE log_stream, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, workspace_id, service, level;

INSERT INTO metrics_minute
SELECT minute_start, minute_end, workspace_id, service, level,
       events, `bytes`, CAST(errors AS BIGINT), CAST(warnings AS BIGINT)
FROM minute_volume;

-- A day's row is rewritten every hour of event time with the counts so far (CUMULATE), and is final at its end.
INSERT INTO metrics_day
SELECT window_start, window_start + INTERVAL '1' DAY,
       workspace_id, service, level,
       SUM(events), SUM(`bytes`), CAST(SUM(errors) AS BIGINT), CAST(SUM(warnings) AS BIGINT)
FROM TABLE(CUMULATE(TABLE minute_volume, DESCRIPTOR(minute_time), INTERVAL '1' HOUR, INTERVAL '1' DAY))
GROUP BY window_start, window_end, workspace_id, service, level;

-- ISO weeks: 1970-01-01 was a Thursday, so an offset of 4 days makes every 7-day window start on a Monday.
INSERT INTO metrics_week
SELECT window_start, window_start + INTERVAL '7' DAY,
       workspace_id, service, level,
       SUM(events), SUM(`bytes`), CAST(SUM(errors) AS BIGINT), CAST(SUM(warnings) AS BIGINT)
FROM TABLE(CUMULATE(TABLE minute_volume, DESCRIPTOR(minute_time), INTERVAL '1' HOUR, INTERVAL '7' DAY,
                    INTERVAL '4' DAY))
GROUP BY window_start, window_end, workspace_id, service, level;

-- Durations per minute over the events that carry one; percentiles within 1% relative error (DDSketch).
CREATE TEMPORARY VIEW timed_events AS
SELECT event_time, workspace_id, service, duration_ms FROM log_stream WHERE duration_ms IS NOT NULL;

INSERT INTO metrics_latency_minute
SELECT window_start, window_end, workspace_id, service,
       COUNT(*), AVG(duration_ms), MAX(duration_ms),
       APPROX_PERCENTILE(duration_ms, 0.5E0), APPROX_PERCENTILE(duration_ms, 0.9E0),
       APPROX_PERCENTILE(duration_ms, 0.99E0)
FROM TABLE(TUMBLE(TABLE timed_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, workspace_id, service;

-- Requests per minute of their start.
INSERT INTO metrics_requests_minute
SELECT window_start, window_end, workspace_id, service,
       COUNT(*),
       CAST(SUM(CASE WHEN failed THEN 1 ELSE 0 END) AS BIGINT),
       CAST(SUM(CASE WHEN reason = 'timeout' THEN 1 ELSE 0 END) AS BIGINT)
FROM TABLE(TUMBLE(TABLE request_outcomes, DESCRIPTOR(started_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, workspace_id, service;

INSERT INTO failed_requests
SELECT workspace_id, request_id, CAST(started_at AS TIMESTAMP(3)), service, reason, first_message, error_message,
       events, duration_ms
FROM request_outcomes
WHERE failed;

-- The 20 most frequent templates per hour and workspace, counted by template id (window Top-N); ties go to the
-- template whose text sorts first. An id stays put while its template generalises, so its count does not split when
-- the text changes; template is the text as the id's last event of the hour saw it.
INSERT INTO metrics_templates_hour
SELECT window_start, window_end, workspace_id,
       CAST(template_rank AS INT), template, events, sample_message, template_id
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, workspace_id
                                 ORDER BY events DESC, template ASC, template_id ASC) AS template_rank
    FROM (
        SELECT window_start, window_end, workspace_id, template_id, LAST_VALUE(template) AS template,
               COUNT(*) AS events, MIN(message) AS sample_message
        FROM TABLE(TUMBLE(TABLE log_stream, DESCRIPTOR(event_time), INTERVAL '1' HOUR))
        WHERE message IS NOT NULL AND template_id IS NOT NULL
        GROUP BY window_start, window_end, workspace_id, template_id))
WHERE template_rank <= 20;

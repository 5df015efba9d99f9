-- What were the median (p50) and p90 durations per workspace and service on 2 November 2026 (UTC)?
-- APPROX_PERCENTILE is a DDSketch: within 1% of the exact value. metrics_latency_minute has them per minute.
SELECT workspace_id, service, COUNT(*) AS events,
       APPROX_PERCENTILE(duration_ms, 0.5) AS p50_ms,
       APPROX_PERCENTILE(duration_ms, 0.9) AS p90_ms,
       MAX(duration_ms) AS max_ms
FROM log_events
WHERE duration_ms IS NOT NULL
  AND event_time >= TIMESTAMP '2026-11-02 00:00:00'
  AND event_time < TIMESTAMP '2026-11-03 00:00:00'
GROUP BY workspace_id, service
ORDER BY workspace_id, service;

-- In which minutes were acme's requests slowest (highest p90 duration), and how many events had a duration?
SELECT window_start AS minute_start, service, events, duration_avg_ms, duration_p50_ms, duration_p90_ms,
       duration_max_ms
FROM metrics_latency_minute
WHERE workspace_id = 'acme'
ORDER BY duration_p90_ms DESC, minute_start, service
LIMIT 10;

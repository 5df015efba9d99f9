-- Which INFO events of acme's api service mention 'started' between 09:00 and 09:01:30 UTC on 2 November 2026?
-- (all filters combined; LIKE is case-sensitive)
SELECT event_time, request_id, message
FROM log_events
WHERE workspace_id = 'acme'
  AND service = 'api'
  AND level = 'INFO'
  AND message LIKE '%started%'
  AND event_time >= TIMESTAMP '2026-11-02 09:00:00'
  AND event_time < TIMESTAMP '2026-11-02 09:01:30'
ORDER BY event_time;

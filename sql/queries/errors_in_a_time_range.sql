-- Which ERROR and FATAL events did workspace acme log between 09:00 and 10:00 UTC on 2 November 2026, newest first?
SELECT event_time, level, service, message, request_id
FROM log_events
WHERE workspace_id = 'acme'
  AND level IN ('ERROR', 'FATAL')
  AND event_time >= TIMESTAMP '2026-11-02 09:00:00'
  AND event_time < TIMESTAMP '2026-11-02 10:00:00'
ORDER BY event_time DESC;

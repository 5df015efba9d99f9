-- What did trace t2 log, across services, in the order it happened?
SELECT event_time, service, level, message, request_id
FROM log_events
WHERE workspace_id = 'acme'
  AND trace_id = 't2'
ORDER BY event_time;

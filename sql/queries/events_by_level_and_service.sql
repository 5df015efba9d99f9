-- How many events did each workspace log per service and level on 2 November 2026 (UTC), and how long were their
-- messages in all (characters)?
SELECT workspace_id, service, level, COUNT(*) AS events, SUM(CHAR_LENGTH(message)) AS message_chars
FROM log_events
WHERE event_time >= TIMESTAMP '2026-11-02 00:00:00'
  AND event_time < TIMESTAMP '2026-11-03 00:00:00'
GROUP BY workspace_id, service, level
ORDER BY workspace_id, service, level;

-- Which requests failed on 2 November 2026 (UTC), why, and with what first and error message?
SELECT started_at, workspace_id, service, request_id, reason, events, first_message, error_message
FROM failed_requests
WHERE started_at >= TIMESTAMP '2026-11-02 00:00:00'
  AND started_at < TIMESTAMP '2026-11-03 00:00:00'
ORDER BY started_at, workspace_id, request_id;

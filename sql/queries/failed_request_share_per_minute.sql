-- What share of requests failed per minute and service, and how many of them timed out?
SELECT window_start AS minute_start, workspace_id, service, requests, failed_requests, timed_out,
       CAST(failed_requests AS DOUBLE) / requests AS failed_share
FROM metrics_requests_minute
ORDER BY minute_start, workspace_id, service;

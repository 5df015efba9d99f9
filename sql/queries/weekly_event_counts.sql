-- How many events, errors and warnings did each workspace log per ISO week (Monday 00:00 UTC start), per service?
SELECT window_start AS week_start, workspace_id, service, SUM(events) AS events, SUM(errors) AS errors,
       SUM(warnings) AS warnings
FROM metrics_week
GROUP BY window_start, workspace_id, service
ORDER BY week_start, workspace_id, service;

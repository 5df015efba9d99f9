-- How many events, errors and warnings did each workspace log per day (UTC)?
SELECT window_start AS day_start, workspace_id, SUM(events) AS events, SUM(errors) AS errors,
       SUM(warnings) AS warnings
FROM metrics_day
GROUP BY window_start, workspace_id
ORDER BY day_start, workspace_id;

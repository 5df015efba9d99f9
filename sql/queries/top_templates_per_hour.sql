-- What were acme's most common messages (by template) in each hour, with an example of each?
SELECT window_start AS hour_start, `rank`, template, events, sample_message
FROM metrics_templates_hour
WHERE workspace_id = 'acme'
ORDER BY hour_start, `rank`;

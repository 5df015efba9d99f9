-- Which errors dominate? ERROR and FATAL events per workspace and message template, most frequent first.
SELECT workspace_id, template, COUNT(*) AS events, MIN(message) AS example
FROM (
    SELECT workspace_id, message, LOG_TEMPLATE(message).template AS template
    FROM log_events
    WHERE level IN ('ERROR', 'FATAL')
)
GROUP BY workspace_id, template
ORDER BY events DESC, workspace_id, template;

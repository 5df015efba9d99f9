-- Which errors dominate? ERROR and FATAL events per workspace and message template, most frequent first. Events carry
-- the id of their template (it stays put while the template generalises); log_templates gives its current text.
SELECT e.workspace_id, t.template, COUNT(*) AS events, MIN(e.message) AS example
FROM log_events e
JOIN log_templates t ON t.workspace_id = e.workspace_id AND t.template_id = e.template_id
WHERE e.level IN ('ERROR', 'FATAL')
GROUP BY e.workspace_id, e.template_id, t.template
ORDER BY events DESC, e.workspace_id, t.template;

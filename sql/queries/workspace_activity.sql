-- Which workspaces are registered, what do they claim, and how many events and errors did each store?
SELECT w.id, w.name, w.upload_prefixes, COUNT(e.event_id) AS events,
       COUNT(CASE WHEN e.level IN ('ERROR', 'FATAL') THEN 1 END) AS errors, MAX(e.event_time) AS last_event
FROM workspaces AS w
LEFT JOIN log_events AS e ON e.workspace_id = w.id
GROUP BY w.id, w.name, w.upload_prefixes
ORDER BY w.id;

-- Which message templates has acme logged, the most frequent first, and when was each first and last seen?
-- log_templates holds the job's templates: a template keeps its id while it generalises, so its count never splits.
SELECT template, events, first_seen, last_seen
FROM log_templates
WHERE workspace_id = 'acme'
ORDER BY events DESC, template;

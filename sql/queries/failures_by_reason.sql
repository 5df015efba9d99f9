-- Why were records rejected? Failures per stage and reason, how many still wait for a replay, and an example.
SELECT stage, reason, COUNT(*) AS failures, COUNT(*) - COUNT(replayed_at) AS not_replayed,
       MIN(source_ref) AS example
FROM ingest_failures
GROUP BY stage, reason
ORDER BY failures DESC, stage, reason;

-- What is in the Kafka dead-letter topic? Failures per reason (each counted once: delivery is at least once), and
-- when the last one failed.
SELECT reason, COUNT(DISTINCT failureId) AS failures, MIN(sourceRef) AS example, MAX(`time`) AS last_failed_at
FROM dlq_failures
GROUP BY reason
ORDER BY failures DESC, reason;

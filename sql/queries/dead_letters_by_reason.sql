-- What is in the Kafka dead-letter topic? Failures per reason (each counted once: delivery is at least once).
SELECT reason, COUNT(DISTINCT failureId) AS failures, MIN(sourceRef) AS example
FROM dlq_failures
GROUP BY reason
ORDER BY failures DESC, reason;

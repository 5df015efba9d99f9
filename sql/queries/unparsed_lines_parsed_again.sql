-- What does the parser make of the lines that failed to parse? (PARSE_LOG is the job's parser; a replay
-- after a parser fix would store what this shows, where failure is NULL.)
SELECT reason, source_ref, p.format, p.failure
FROM (
    SELECT reason, source_ref, PARSE_LOG(CAST(`raw` AS STRING)) AS p
    FROM ingest_failures
    WHERE stage = 'PARSE'
)
ORDER BY source_ref;

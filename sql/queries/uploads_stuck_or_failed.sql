-- Which uploads failed, and which are stuck (PENDING or PROCESSING with no progress for an hour)?
SELECT path, status, error, lines, events, failures, updated_at
FROM uploads
WHERE status = 'FAILED'
   OR (status IN ('PENDING', 'PROCESSING')
       AND updated_at < CAST(CURRENT_TIMESTAMP AS TIMESTAMP(3)) - INTERVAL '1' HOUR)
ORDER BY status, path;

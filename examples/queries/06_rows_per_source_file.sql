-- Question: how many rows did each partner file bring, and how many were rejected or flagged?
-- One line per file (its sheets added up), from the load log.
SELECT source_file, count(*) AS sheets, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
       sum(rows_rejected) AS rows_rejected, sum(rows_with_findings) AS rows_with_findings
FROM meta.load_log
GROUP BY source_file
ORDER BY rows_read DESC, source_file;

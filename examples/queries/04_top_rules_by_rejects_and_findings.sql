-- Question: which quality rules reject or flag the most rows, and in how many files?
-- Rejects keep a row out of the figures; findings load it and list it for the partner.
SELECT rule, severity, count(DISTINCT (source_file, sheet, row_number)) AS rows_affected,
       count(*) AS issues, count(DISTINCT source_file) AS files
FROM (
    SELECT *, 'reject' AS severity FROM meta.rejected_rows
    UNION ALL BY NAME
    SELECT *, 'finding' AS severity FROM meta.quality_findings
)
GROUP BY ALL
ORDER BY rows_affected DESC, rule;

-- meta.load_log: per file and sheet, rows read (counted by the reader), loaded and rejected
-- (counted in the tables the rows went to), superseded by a newer version of the report, and findings.
INSERT INTO meta.load_log BY NAME
WITH loaded AS (
    SELECT source_file, source_sheet AS sheet, count(*) AS rows_loaded
    FROM staging.loaded_rows GROUP BY ALL
),
rejected AS (
    SELECT source_file, sheet, count(DISTINCT row_number) AS rows_rejected
    FROM meta.rejected_rows GROUP BY ALL
),
findings AS (
    SELECT source_file, sheet, count(*) AS findings, count(DISTINCT row_number) AS rows_with_findings
    FROM meta.quality_findings GROUP BY ALL
)
SELECT
    f.source_file, f.sheet, f.sha256, f.template_id, f.status, f.rows_read, f.rows_in_file, f.hidden_rows,
    coalesce(l.rows_loaded, 0) AS rows_loaded,
    coalesce(r.rows_rejected, 0) AS rows_rejected,
    coalesce(q.findings, 0) AS findings,
    coalesce(q.rows_with_findings, 0) AS rows_with_findings,
    f.blank_rows, f.message, f.read_at, f.rows_superseded, f.superseded_by
FROM raw.source_files f
LEFT JOIN loaded l USING (source_file, sheet)
LEFT JOIN rejected r USING (source_file, sheet)
LEFT JOIN findings q USING (source_file, sheet)
ORDER BY f.source_file, f.sheet;

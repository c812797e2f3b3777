-- Question: which partner rows flagged as outliers carry the most new beneficiaries, and which
-- figures do they feed? (file, sheet and Excel row to check with the partner; no free text)
-- Parameters: year (default 2021), top (default 10).
SELECT a.source_file, a.source_sheet, a.source_row, strftime(a.month, '%Y-%m') AS month, a.country, a.admin1,
       a.sector, a.appealing_org, a.indicator_code, a.new_beneficiaries, f.rule
FROM marts.fct_activities a
JOIN meta.quality_findings f
  ON f.source_file = a.source_file AND f.sheet = a.source_sheet AND f.row_number = a.source_row
WHERE f.rule LIKE 'outlier%' AND a.counts_as_reached
  AND year(a.month) = CAST(coalesce(getvariable('year'), '2021') AS INTEGER)
ORDER BY a.new_beneficiaries DESC, a.source_file, a.source_row
LIMIT CAST(coalesce(getvariable('top'), '10') AS INTEGER);

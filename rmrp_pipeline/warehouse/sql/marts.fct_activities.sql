-- marts.fct_activities: the loaded 5W rows (rows with a reject are left out).
INSERT INTO marts.fct_activities BY NAME
SELECT * EXCLUDE (is_rejected)
FROM staging.stg_5w__activities
WHERE NOT is_rejected;

-- Question: which appealing organisations reported earlier in the year but not in a given month?
-- Per country: organisations with 5W rows in a month before the given one (same year) and none in
-- it, with their last month reported.
-- Parameters: month (YYYY-MM, default 2021-05).
WITH asked AS (
    SELECT CAST(strptime(coalesce(getvariable('month'), '2021-05'), '%Y-%m') AS DATE) AS month
),
before AS (
    SELECT country, appealing_org, max(a.month) AS last_month, count(*) AS rows_before
    FROM marts.fct_activities a, asked
    WHERE a.month < asked.month AND year(a.month) = year(asked.month)
    GROUP BY ALL
),
in_month AS (
    SELECT DISTINCT country, appealing_org FROM marts.fct_activities a JOIN asked USING (month)
)
SELECT b.country, b.appealing_org, strftime(b.last_month, '%Y-%m') AS last_month_reported, b.rows_before
FROM before b ANTI JOIN in_month m USING (country, appealing_org)
ORDER BY b.country, b.appealing_org;

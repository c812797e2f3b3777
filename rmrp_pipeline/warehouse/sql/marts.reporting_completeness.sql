-- Reporting completeness of the appealing organisations for one reporting cycle.
-- Parameters: $cycle (VARCHAR), $cycle_start, $cycle_end (DATE, end exclusive).
-- The caller deletes the cycle's rows first, so re-running a cycle never duplicates rows.
-- Expected reports: every (organisation, country, subsector) from the first month the
-- organisation reported in it to the last month of the cycle with any loaded 5W row.
INSERT INTO marts.reporting_completeness
WITH loaded AS (
    SELECT
        -- subsector: the canonical R4V name (fct_activities.sector), as in the people-reached tables
        month, platform, country_iso3, country, coalesce(sector, subsector) AS subsector, appealing_org, appealing_org_id,
        coalesce(appealing_org_id, appealing_org) AS appealing_org_key
    FROM marts.fct_activities
    WHERE month >= $cycle_start AND month < $cycle_end
      AND country_iso3 IS NOT NULL AND coalesce(sector, subsector) IS NOT NULL AND appealing_org IS NOT NULL
),
reports AS (
    SELECT appealing_org_key, country_iso3, subsector, month, count(*) AS rows_reported
    FROM loaded GROUP BY ALL
),
series AS (
    SELECT appealing_org_key, country_iso3, subsector, min(month) AS first_month
    FROM loaded GROUP BY ALL
),
last_month AS (SELECT max(month) AS last_month FROM loaded),
expected AS (
    SELECT s.appealing_org_key, s.country_iso3, s.subsector, CAST(m AS DATE) AS month
    FROM series s, last_month l,
         generate_series(CAST(s.first_month AS TIMESTAMP), CAST(l.last_month AS TIMESTAMP), INTERVAL 1 MONTH) AS g(m)
),
organisation AS (
    SELECT appealing_org_key, min(appealing_org) AS appealing_org, min(appealing_org_id) AS appealing_org_id
    FROM loaded GROUP BY ALL
),
country AS (
    SELECT DISTINCT country_iso3, platform, country FROM loaded
),
grid AS (
    SELECT e.*, coalesce(r.rows_reported, 0) AS rows_reported, r.rows_reported IS NOT NULL AS reported
    FROM expected e
    LEFT JOIN reports r USING (appealing_org_key, country_iso3, subsector, month)
)
SELECT
    $cycle AS reporting_cycle, g.month, c.platform, g.country_iso3, c.country, g.subsector,
    g.appealing_org_key, o.appealing_org, o.appealing_org_id, g.reported, g.rows_reported,
    count(*) OVER w AS organisation_reports_expected,
    count(*) FILTER (WHERE g.reported) OVER w AS organisation_reports_received,
    (count(*) FILTER (WHERE g.reported) OVER w) / (count(*) OVER w) AS organisation_report_share
FROM grid g
JOIN organisation o USING (appealing_org_key)
LEFT JOIN country c USING (country_iso3)
WINDOW w AS (PARTITION BY g.appealing_org_key)
ORDER BY g.appealing_org_key, g.country_iso3, g.subsector, g.month;

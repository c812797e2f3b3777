-- Outputs per reporting cycle x country x subsector x indicator, for the indicators that do NOT count as
-- people reached (marts.fct_activities.counts_as_reached = false). R4V reports these outputs as totals
-- over the cycle's months: persons trained / reached (Σ total_monthly) and quantity of output
-- (Σ quantity_output). Pillar of the Trafficking & Smuggling indicators from staging.ref_trafficking_pillars,
-- keyed by (cycle year, code). Parameters: $cycle (VARCHAR), $cycle_start, $cycle_end (DATE, end
-- exclusive). The caller deletes the cycle's rows first.
INSERT INTO marts.cycle_outputs BY NAME
WITH rows_of_cycle AS (
    -- subsector: the canonical R4V name (fct_activities.sector), as in the people-reached tables
    SELECT * REPLACE (coalesce(sector, subsector) AS subsector), coalesce(indicator_code, indicator) AS indicator_key
    FROM marts.fct_activities
    WHERE NOT coalesce(counts_as_reached, FALSE) AND month >= $cycle_start AND month < $cycle_end
),
grouped AS (
    SELECT platform, country_iso3, country, subsector, indicator_code, indicator_key,
           min(indicator) AS indicator, min(indicator_type) AS indicator_type,
           sum(total_monthly) AS persons_trained_or_reached,
           sum(quantity_output) AS quantity_output,
           CAST(count(*) AS INTEGER) AS report_rows,
           CAST(count(DISTINCT month) AS INTEGER) AS months_with_reports,
           min(month) AS first_month, max(month) AS last_month
    FROM rows_of_cycle
    GROUP BY platform, country_iso3, country, subsector, indicator_code, indicator_key
)
SELECT $cycle AS cycle, CAST(year($cycle_start) AS INTEGER) AS plan_year,
       g.platform, g.country_iso3, g.country, g.subsector, g.indicator_code, g.indicator, g.indicator_type,
       CASE WHEN lower(g.indicator_type) IN ('capacity building', 'people') THEN 'persons' ELSE 'outputs' END AS reported_unit,
       CASE WHEN lower(g.indicator_type) IN ('capacity building', 'people') THEN g.persons_trained_or_reached
            ELSE g.quantity_output END AS reported_value,
       g.persons_trained_or_reached, g.quantity_output, g.report_rows, g.months_with_reports, g.first_month, g.last_month,
       CASE WHEN g.subsector ILIKE '%trafficking%' THEN coalesce(p.pillar, 'unmapped') END AS pillar
FROM grouped g
LEFT JOIN staging.ref_trafficking_pillars p
  ON p.cycle_year = year($cycle_start) AND p.indicator_code = g.indicator_code;

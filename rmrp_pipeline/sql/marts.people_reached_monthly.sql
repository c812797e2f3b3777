-- People reached per country x month x subsector, and Intersector, for one reporting cycle.
-- Parameters: $cycle_start, $cycle_end (DATE, end exclusive). Method: domain.md §3.4.
-- The caller deletes the cycle's months first, so re-running a cycle never duplicates rows.
-- Sums are exact (DECIMAL): summing DOUBLEs in parallel gives last-digit differences from run
-- to run, and the 2021 breakdowns hold fractions.
INSERT INTO marts.people_reached_monthly
WITH reached AS (
    SELECT * FROM marts.fct_activities
    WHERE counts_as_reached AND month >= $cycle_start AND month < $cycle_end
),
sector_month AS (
    SELECT
        platform, country_iso3, country, month, subsector,
        sum(CAST(coalesce(total_monthly, 0) AS DECIMAL(38, 10))) AS monthly_total,
        sum(CASE WHEN cva THEN CAST(coalesce(total_monthly, 0) AS DECIMAL(38, 10)) ELSE 0 END) AS monthly_cva,
        sum(CAST(coalesce(new_beneficiaries, 0) AS DECIMAL(38, 10))) AS new_total,
        sum(CASE WHEN cva THEN CAST(coalesce(new_beneficiaries, 0) AS DECIMAL(38, 10)) ELSE 0 END) AS new_cva,
        sum(CAST(coalesce(in_destination, 0) AS DECIMAL(38, 10))) AS new_in_destination,
        sum(CAST(coalesce(in_transit, 0) AS DECIMAL(38, 10))) AS new_in_transit,
        sum(CAST(coalesce(host_community, 0) AS DECIMAL(38, 10))) AS new_host_community,
        sum(CAST(coalesce(pendular, 0) AS DECIMAL(38, 10))) AS new_pendular,
        sum(CAST(coalesce(returnees, 0) AS DECIMAL(38, 10))) AS new_returnees,
        sum(CAST(coalesce(girls, 0) AS DECIMAL(38, 10))) AS new_girls,
        sum(CAST(coalesce(boys, 0) AS DECIMAL(38, 10))) AS new_boys,
        sum(CAST(coalesce(women, 0) AS DECIMAL(38, 10))) AS new_women,
        sum(CAST(coalesce(men, 0) AS DECIMAL(38, 10))) AS new_men,
        sum(CAST(coalesce(other_under_18, 0) AS DECIMAL(38, 10))) AS new_other_under_18,
        sum(CAST(coalesce(other_above_18, 0) AS DECIMAL(38, 10))) AS new_other_above_18
    FROM reached
    GROUP BY ALL
),
-- Every (country, subsector) series runs from its first reported month to the last month
-- reported anywhere in the cycle: months without a report carry the consolidated figure.
series AS (
    SELECT platform, country_iso3, country, subsector, min(month) AS first_month
    FROM sector_month GROUP BY ALL
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM (SELECT min(month) AS lo, max(month) AS hi FROM sector_month) bounds,
         range(bounds.lo, bounds.hi + INTERVAL 1 MONTH, INTERVAL 1 MONTH) AS r(m)
),
grid AS (
    SELECT s.platform, s.country_iso3, s.country, s.subsector, m.month
    FROM series s JOIN months m ON m.month >= s.first_month
),
filled AS (
    SELECT g.platform, g.country_iso3, g.country, g.month, g.subsector,
           coalesce(sm.monthly_total, 0) AS monthly_total, coalesce(sm.monthly_cva, 0) AS monthly_cva,
           coalesce(sm.new_total, 0) AS new_total,
           coalesce(sm.new_cva, 0) AS new_cva,
           coalesce(sm.new_in_destination, 0) AS new_in_destination,
           coalesce(sm.new_in_transit, 0) AS new_in_transit,
           coalesce(sm.new_host_community, 0) AS new_host_community,
           coalesce(sm.new_pendular, 0) AS new_pendular,
           coalesce(sm.new_returnees, 0) AS new_returnees,
           coalesce(sm.new_girls, 0) AS new_girls,
           coalesce(sm.new_boys, 0) AS new_boys,
           coalesce(sm.new_women, 0) AS new_women,
           coalesce(sm.new_men, 0) AS new_men,
           coalesce(sm.new_other_under_18, 0) AS new_other_under_18,
           coalesce(sm.new_other_above_18, 0) AS new_other_above_18
    FROM grid g
    LEFT JOIN sector_month sm USING (platform, country_iso3, country, month, subsector)
),
all_rows AS (
    SELECT *, 'subsector' AS intersector_model FROM filled
    UNION ALL
    -- Intersector, model 'sum' (the default of R4V's script): sum over subsectors.
    SELECT platform, country_iso3, country, month, 'Intersector' AS subsector,
           sum(monthly_total), sum(monthly_cva),
           sum(new_total),
           sum(new_cva),
           sum(new_in_destination),
           sum(new_in_transit),
           sum(new_host_community),
           sum(new_pendular),
           sum(new_returnees),
           sum(new_girls),
           sum(new_boys),
           sum(new_women),
           sum(new_men),
           sum(new_other_under_18),
           sum(new_other_above_18),
           'sum' AS intersector_model
    FROM filled
    GROUP BY platform, country_iso3, country, month
)
SELECT platform, country_iso3, country, 'Country level' AS admin1, month, subsector,
       monthly_total, monthly_cva,
       sum(new_total) OVER series_to_date AS consolidated_total,
       sum(new_cva) OVER series_to_date AS consolidated_cva,
       sum(new_in_destination) OVER series_to_date AS consolidated_in_destination,
       sum(new_in_transit) OVER series_to_date AS consolidated_in_transit,
       sum(new_host_community) OVER series_to_date AS consolidated_host_community,
       sum(new_pendular) OVER series_to_date AS consolidated_pendular,
       sum(new_returnees) OVER series_to_date AS consolidated_returnees,
       sum(new_girls) OVER series_to_date AS consolidated_girls,
       sum(new_boys) OVER series_to_date AS consolidated_boys,
       sum(new_women) OVER series_to_date AS consolidated_women,
       sum(new_men) OVER series_to_date AS consolidated_men,
       sum(new_other_under_18) OVER series_to_date AS consolidated_other_under_18,
       sum(new_other_above_18) OVER series_to_date AS consolidated_other_above_18,
       intersector_model
FROM all_rows
WINDOW series_to_date AS (PARTITION BY country_iso3, subsector ORDER BY month ROWS UNBOUNDED PRECEDING);

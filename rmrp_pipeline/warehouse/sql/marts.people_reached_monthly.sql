-- People reached per admin1, country, platform and region x month x subsector, plus Intersector,
-- for the year of one reporting cycle. Method: docs/domain.md §3.4, checked against R4V's own scripts
-- (r4v_app R/6_consolidated_report.R for 2021, R4RMRP2022 and R4VRMRP2023 R/3_consolidated_report.R
-- for 2022 and 2023).
-- The steps are views in the staging schema, each readable on its own (rmrp_pipeline/marts/registry.py
-- lists them in build order): the 5W rows counted (staging.int_people_reached__activities), summed
-- per admin1, month and subsector (..._sector_month), filled month by month (..._sector_month_filled,
-- a table rewritten with this one, since every model reads it),
-- one view per Intersector model (staging.int_intersector__*), the Intersector rows
-- (..._intersector) and both together (staging.int_people_reached__admin1_month). This file
-- cumulates them over the months and adds the levels.
-- Scope: the DuckDB variables cycle_start, cycle_end and only_rmrp_activities that the caller
-- (people_reached.build_people_reached) sets; it deletes the year's months first.
-- Levels: admin1 (as reported) -> country ('Country level' = Σ admin1) -> platform ('Platform
-- level' = Σ countries) -> regional ('Regional level' = Σ countries). Countries without admin1
-- (docs/domain.md §1.1, R4V's countrynoadmin1) keep only their Country level rows.
-- Macros one_or_mixed, merged_lists: sql/macros.sql.
INSERT INTO marts.people_reached_monthly BY NAME
WITH admin1_rows AS (   -- cumulated over the months of the year per admin1 x subsector (Intersector included)
    SELECT 'admin1' AS level, platform, country_iso3, country, admin1, month, subsector,
           monthly_total, monthly_cva,
           sum(new_total) OVER to_date AS consolidated_total,
           sum(new_cva) OVER to_date AS consolidated_cva,
           sum(new_in_destination) OVER to_date AS consolidated_in_destination,
           sum(new_in_transit) OVER to_date AS consolidated_in_transit,
           sum(new_host_community) OVER to_date AS consolidated_host_community,
           sum(new_pendular) OVER to_date AS consolidated_pendular,
           sum(new_returnees) OVER to_date AS consolidated_returnees,
           sum(new_girls) OVER to_date AS consolidated_girls,
           sum(new_boys) OVER to_date AS consolidated_boys,
           sum(new_women) OVER to_date AS consolidated_women,
           sum(new_men) OVER to_date AS consolidated_men,
           sum(new_other_under_18) OVER to_date AS consolidated_other_under_18,
           sum(new_other_above_18) OVER to_date AS consolidated_other_above_18,
           intersector_model, intersector_proportions, intersector_subsectors_without_proportions
    FROM staging.int_people_reached__admin1_month
    WHERE month >= coalesce(getvariable('cycle_start'), DATE '0001-01-01')
      AND month < coalesce(getvariable('cycle_end'), DATE '9999-12-31')
    WINDOW to_date AS (PARTITION BY year(month), country_iso3, admin1, subsector ORDER BY month ROWS UNBOUNDED PRECEDING)
),
country_rows AS (
    SELECT 'country' AS level, platform, country_iso3, country, 'Country level' AS admin1, month, subsector,
           -- every monthly_* and consolidated_* column, summed under its own name
           sum(COLUMNS('^(monthly|consolidated)_')),
           one_or_mixed(intersector_model) AS intersector_model,
           one_or_mixed(intersector_proportions) AS intersector_proportions,
           merged_lists(intersector_subsectors_without_proportions) AS intersector_subsectors_without_proportions
    FROM admin1_rows
    GROUP BY platform, country_iso3, country, month, subsector
),
-- Platform level (Σ its countries) and Regional level (Σ all countries) in one pass.
upper_rows AS (
    SELECT CASE WHEN grouping(platform) = 0 THEN 'platform' ELSE 'regional' END AS level,
           CASE WHEN grouping(platform) = 0 THEN platform ELSE 'Regional' END AS platform,
           CAST(NULL AS VARCHAR) AS country_iso3, CAST(NULL AS VARCHAR) AS country,
           CASE WHEN grouping(platform) = 0 THEN 'Platform level' ELSE 'Regional level' END AS admin1, month, subsector,
           sum(COLUMNS('^(monthly|consolidated)_')),
           one_or_mixed(intersector_model) AS intersector_model,
           one_or_mixed(intersector_proportions) AS intersector_proportions,
           merged_lists(intersector_subsectors_without_proportions) AS intersector_subsectors_without_proportions
    FROM country_rows
    GROUP BY GROUPING SETS ((platform, month, subsector), (month, subsector))
),
all_levels AS (
    SELECT * FROM admin1_rows
    -- countries without admin1 (docs/domain.md §1.1): only their Country level rows
    WHERE country_iso3 NOT IN ('ABW', 'CUW', 'CRI', 'DOM', 'TTO', 'GUY', 'MEX', 'PAN')
    UNION ALL BY NAME SELECT * FROM country_rows
    UNION ALL BY NAME SELECT * FROM upper_rows
)
-- R4V's three checks (docs/domain.md §3.4 item 8), true when the check holds; breakdowns within half a
-- person (R4V's tolerance, set for its 2021 apportioned breakdowns).
SELECT *, CAST(coalesce(getvariable('only_rmrp_activities'), false) AS BOOLEAN) AS only_rmrp_activities,
       abs(consolidated_total - (consolidated_in_destination + consolidated_in_transit + consolidated_host_community + consolidated_pendular + consolidated_returnees)) <= 0.5
           AS check_population_type_breakdown,
       abs(consolidated_total - (consolidated_girls + consolidated_boys + consolidated_women + consolidated_men + consolidated_other_under_18 + consolidated_other_above_18)) <= 0.5
           AS check_age_gender_breakdown,
       consolidated_cva <= consolidated_total AS check_cva_not_above_total
FROM all_levels;

-- People reached per admin1, country, platform and region x month x subsector, plus Intersector,
-- for one reporting cycle. Parameters: $cycle_start, $cycle_end (DATE, end exclusive).
-- Method: domain.md §3.4. The caller (people_reached.build_people_reached) deletes the cycle's
-- months first and provides the temporary table intersector_model_config (platform, year_from,
-- year_to, model) from reference_data/intersector_models.csv.
-- Sums are exact (DECIMAL): summing DOUBLEs in parallel gives last-digit differences from run
-- to run, and the 2021 breakdowns hold fractions.
-- Levels: admin1 (as reported) -> country ('Country level' = Σ admin1) -> platform ('Platform
-- level' = Σ countries) -> regional ('Regional level' = Σ countries). Countries without admin1
-- (domain.md §1.1, R4V's countrynoadmin1) keep only their Country level rows.
INSERT INTO marts.people_reached_monthly BY NAME
WITH reached AS (
    SELECT * REPLACE (coalesce(admin1, 'Admin1 not reported') AS admin1)
    FROM marts.fct_activities
    WHERE counts_as_reached AND month >= $cycle_start AND month < $cycle_end
),
sector_month AS (
    SELECT
        platform, country_iso3, country, admin1, month, subsector,
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
-- Every (admin1, subsector) series runs from its first reported month to the last month
-- reported anywhere in the cycle: months without a report carry the consolidated figure.
series AS (
    SELECT platform, country_iso3, country, admin1, subsector, min(month) AS first_month
    FROM sector_month GROUP BY ALL
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM (SELECT min(month) AS lo, max(month) AS hi FROM sector_month) bounds,
         range(bounds.lo, bounds.hi + INTERVAL 1 MONTH, INTERVAL 1 MONTH) AS r(m)
),
grid AS (
    SELECT s.platform, s.country_iso3, s.country, s.admin1, s.subsector, m.month
    FROM series s JOIN months m ON m.month >= s.first_month
),
filled AS (
    SELECT g.platform, g.country_iso3, g.country, g.admin1, g.month, g.subsector,
           coalesce(sm.monthly_total, 0) AS monthly_total,
           coalesce(sm.monthly_cva, 0) AS monthly_cva,
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
           coalesce(sm.new_other_above_18, 0) AS new_other_above_18,
           -- the Intersector model of the platform and year (configuration), default sum
           coalesce((SELECT min(c.model) FROM intersector_model_config c
                     WHERE c.platform = g.platform
                       AND year(g.month) BETWEEN c.year_from AND coalesce(c.year_to, 9999)), 'sum') AS model
    FROM grid g
    LEFT JOIN sector_month sm USING (platform, country_iso3, country, admin1, month, subsector)
),
-- Intersector new beneficiaries per admin1 and month, by model (domain.md §3.4 item 4):
--   sum               Σ over subsectors;
--   maxsector         max across subsectors of each population type (total = Σ of those maxima),
--                     age/gender cells and CVA: max across subsectors;
--   maxagegender      max across subsectors of each age/gender cell (total = Σ of those maxima),
--                     population types and CVA: max across subsectors;
--   southernconemodel max over {Shelter, Humanitarian Transportation, WASH, Food Security}
--                     + Protection (General) + Σ {MPC, Integration, Health, Education}, column by
--                     column; other subsectors are left out.
intersector_raw AS (
    SELECT platform, country_iso3, country, admin1, month, 'Intersector' AS subsector,
           sum(monthly_total) AS monthly_total, sum(monthly_cva) AS monthly_cva,
           CASE model WHEN 'sum' THEN sum(new_total)
                WHEN 'southernconemodel' THEN coalesce(max(new_total) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_total) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_total) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_total) END AS new_total,
           CASE model WHEN 'sum' THEN sum(new_cva)
                WHEN 'southernconemodel' THEN coalesce(max(new_cva) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_cva) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_cva) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_cva) END AS new_cva,
           CASE model WHEN 'sum' THEN sum(new_in_destination)
                WHEN 'southernconemodel' THEN coalesce(max(new_in_destination) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_in_destination) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_in_destination) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_in_destination) END AS new_in_destination,
           CASE model WHEN 'sum' THEN sum(new_in_transit)
                WHEN 'southernconemodel' THEN coalesce(max(new_in_transit) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_in_transit) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_in_transit) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_in_transit) END AS new_in_transit,
           CASE model WHEN 'sum' THEN sum(new_host_community)
                WHEN 'southernconemodel' THEN coalesce(max(new_host_community) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_host_community) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_host_community) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_host_community) END AS new_host_community,
           CASE model WHEN 'sum' THEN sum(new_pendular)
                WHEN 'southernconemodel' THEN coalesce(max(new_pendular) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_pendular) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_pendular) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_pendular) END AS new_pendular,
           CASE model WHEN 'sum' THEN sum(new_returnees)
                WHEN 'southernconemodel' THEN coalesce(max(new_returnees) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_returnees) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_returnees) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_returnees) END AS new_returnees,
           CASE model WHEN 'sum' THEN sum(new_girls)
                WHEN 'southernconemodel' THEN coalesce(max(new_girls) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_girls) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_girls) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_girls) END AS new_girls,
           CASE model WHEN 'sum' THEN sum(new_boys)
                WHEN 'southernconemodel' THEN coalesce(max(new_boys) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_boys) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_boys) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_boys) END AS new_boys,
           CASE model WHEN 'sum' THEN sum(new_women)
                WHEN 'southernconemodel' THEN coalesce(max(new_women) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_women) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_women) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_women) END AS new_women,
           CASE model WHEN 'sum' THEN sum(new_men)
                WHEN 'southernconemodel' THEN coalesce(max(new_men) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_men) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_men) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_men) END AS new_men,
           CASE model WHEN 'sum' THEN sum(new_other_under_18)
                WHEN 'southernconemodel' THEN coalesce(max(new_other_under_18) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_other_under_18) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_other_under_18) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_other_under_18) END AS new_other_under_18,
           CASE model WHEN 'sum' THEN sum(new_other_above_18)
                WHEN 'southernconemodel' THEN coalesce(max(new_other_above_18) FILTER (WHERE subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security')), 0)
                     + coalesce(sum(new_other_above_18) FILTER (WHERE subsector = 'Protection (General)'), 0)
                     + coalesce(sum(new_other_above_18) FILTER (WHERE subsector IN ('Multipurpose Cash Assistance (MPC)', 'Multipurpose CBI', 'Integration', 'Health', 'Education')), 0)
                ELSE max(new_other_above_18) END AS new_other_above_18,
           model AS intersector_model
    FROM filled
    GROUP BY platform, country_iso3, country, admin1, month, model
),
intersector AS (
    SELECT * REPLACE (
        CASE intersector_model
            WHEN 'maxsector' THEN new_in_destination + new_in_transit + new_host_community + new_pendular + new_returnees
            WHEN 'maxagegender' THEN new_girls + new_boys + new_women + new_men + new_other_under_18 + new_other_above_18
            ELSE new_total END AS new_total)
    FROM intersector_raw
),
admin1_month AS (
    SELECT platform, country_iso3, country, admin1, month, subsector, monthly_total, monthly_cva, new_total, new_cva, new_in_destination, new_in_transit, new_host_community, new_pendular, new_returnees, new_girls, new_boys, new_women, new_men, new_other_under_18, new_other_above_18,
           'subsector' AS intersector_model
    FROM filled
    UNION ALL
    SELECT platform, country_iso3, country, admin1, month, subsector, monthly_total, monthly_cva, new_total, new_cva, new_in_destination, new_in_transit, new_host_community, new_pendular, new_returnees, new_girls, new_boys, new_women, new_men, new_other_under_18, new_other_above_18,
           intersector_model
    FROM intersector
),
-- Cumulate over months per admin1 x subsector (including Intersector).
admin1_rows AS (
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
           intersector_model
    FROM admin1_month
    WINDOW to_date AS (PARTITION BY country_iso3, admin1, subsector ORDER BY month ROWS UNBOUNDED PRECEDING)
),
country_rows AS (
    SELECT 'country' AS level, platform, country_iso3, country, 'Country level' AS admin1, month, subsector,
           -- every monthly_* and consolidated_* column, summed under its own name
           sum(COLUMNS('^(monthly|consolidated)_')),
           CASE WHEN min(intersector_model) = max(intersector_model) THEN min(intersector_model) ELSE 'mixed' END AS intersector_model
    FROM admin1_rows
    GROUP BY platform, country_iso3, country, month, subsector
),
platform_rows AS (
    SELECT 'platform' AS level, platform, CAST(NULL AS VARCHAR) AS country_iso3, CAST(NULL AS VARCHAR) AS country, 'Platform level' AS admin1, month, subsector,
           -- every monthly_* and consolidated_* column, summed under its own name
           sum(COLUMNS('^(monthly|consolidated)_')),
           CASE WHEN min(intersector_model) = max(intersector_model) THEN min(intersector_model) ELSE 'mixed' END AS intersector_model
    FROM country_rows
    GROUP BY platform, month, subsector
),
regional_rows AS (
    SELECT 'regional' AS level, 'Regional' AS platform, CAST(NULL AS VARCHAR) AS country_iso3, CAST(NULL AS VARCHAR) AS country, 'Regional level' AS admin1, month, subsector,
           -- every monthly_* and consolidated_* column, summed under its own name
           sum(COLUMNS('^(monthly|consolidated)_')),
           CASE WHEN min(intersector_model) = max(intersector_model) THEN min(intersector_model) ELSE 'mixed' END AS intersector_model
    FROM country_rows
    GROUP BY month, subsector
),
all_levels AS (
    SELECT * FROM admin1_rows
    -- countries without admin1 (domain.md §1.1): only their Country level rows
    WHERE country_iso3 NOT IN ('ABW', 'CUW', 'CRI', 'DOM', 'TTO', 'GUY', 'MEX', 'PAN')
    UNION ALL SELECT * FROM country_rows
    UNION ALL SELECT * FROM platform_rows
    UNION ALL SELECT * FROM regional_rows
)
-- R4V's three checks (domain.md §3.4 item 8), true when the check holds; breakdowns within half a
-- person (the 2021 breakdowns hold apportioned fractions).
SELECT *,
       abs(consolidated_total - (consolidated_in_destination + consolidated_in_transit + consolidated_host_community + consolidated_pendular + consolidated_returnees)) <= 0.5
           AS check_population_type_breakdown,
       abs(consolidated_total - (consolidated_girls + consolidated_boys + consolidated_women + consolidated_men + consolidated_other_under_18 + consolidated_other_above_18)) <= 0.5
           AS check_age_gender_breakdown,
       consolidated_cva <= consolidated_total AS check_cva_not_above_total
FROM all_levels;

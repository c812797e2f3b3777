-- People reached per admin1, country, platform and region x month x subsector, plus Intersector,
-- for one reporting cycle. Parameters: $cycle_start, $cycle_end (DATE, end exclusive),
-- $only_rmrp_activities (BOOLEAN: count only rows with RMRP Activity = Yes).
-- Method: domain.md §3.4, checked against R4V's own scripts (r4v_app R/6_consolidated_report.R for
-- 2021, R4RMRP2022 and R4VRMRP2023 R/3_consolidated_report.R for 2022 and 2023).
-- The caller (people_reached.build_people_reached) deletes the cycle's months first and provides
-- the temporary table intersector_model_config (platform, year_from, year_to, model, proportions,
-- proportions_year) from reference_data/intersector_models.csv, and makes sure
-- staging.ref_planning_proportions exists (the age/gender shares of the proportion models).
-- Sums are exact (DECIMAL): summing DOUBLEs in parallel gives last-digit differences from run
-- to run, and the 2021 breakdowns hold fractions.
-- Levels: admin1 (as reported) -> country ('Country level' = Σ admin1) -> platform ('Platform
-- level' = Σ countries) -> regional ('Regional level' = Σ countries). Countries without admin1
-- (domain.md §1.1, R4V's countrynoadmin1) keep only their Country level rows.
-- Macros name_key, one_or_mixed, merged_lists: sql/macros.sql.
INSERT INTO marts.people_reached_monthly BY NAME
WITH counted AS (
    -- subsector: the canonical R4V name (reference_data/sectors.csv), so that 'Multipurpose CBI'
    -- (2021) and 'Transferencias Monetarias Multipropósito (MPC)' are one subsector; admin1: the
    -- admin1 list's spelling where the name is in it
    SELECT * REPLACE (coalesce(admin1_listed, trim(admin1), 'Admin1 not reported') AS admin1, coalesce(sector, subsector) AS subsector)
    FROM marts.fct_activities
    WHERE counts_as_reached AND month >= $cycle_start AND month < $cycle_end
      AND (NOT $only_rmrp_activities OR coalesce(rmrp_activity, false))
),
reached AS (
    -- names not in the list: one series per name whatever its case, accents and spaces, as the
    -- list is matched; it is named by the list's spelling if any row has it, else the first in order
    SELECT * REPLACE (first_value(admin1) OVER (
               PARTITION BY country_iso3, name_key(admin1)
               ORDER BY admin1_listed IS NULL, admin1) AS admin1)
    FROM counted
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
-- The Intersector model of each platform and year (configuration), default sum.
platform_year_model AS (
    SELECT DISTINCT g.platform, year(g.month) AS year,
           coalesce(c.model, 'sum') AS model, c.proportions, c.proportions_year
    FROM grid g
    LEFT JOIN intersector_model_config c
      ON c.platform = g.platform AND year(g.month) BETWEEN c.year_from AND coalesce(c.year_to, 9999)
),
filled AS (
    SELECT g.platform, g.country_iso3, g.country, g.admin1, g.month, g.subsector,
           -- a month without a report: 0 in every monthly_* and new_* column
           coalesce(COLUMNS(sm.* EXCLUDE (platform, country_iso3, country, admin1, month, subsector)), 0),
           pym.model, pym.proportions, pym.proportions_year,
           -- the subsector's part in the southern cone models: 'max' (the max group), 'sum' (added
           -- as reported) or NULL (left out). R4V 2023 and domain.md §3.4: max{Shelter, Humanitarian
           -- Transportation, WASH, Food Security} + Protection (General) + Σ{MPC, Integration,
           -- Health, Education}. R4V 2022 (R4RMRP2022 @ c67f899, the script behind R4V's published
           -- Argentina output): its third step adds MPC, Humanitarian Transportation, WASH and Food
           -- Security (again) instead of MPC, Integration, Health and Education.
           CASE WHEN g.subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security') THEN 'max'
                WHEN g.subsector IN ('Protection (General)', 'Multipurpose Cash Assistance (MPC)') THEN 'sum'
                WHEN g.subsector IN ('Integration', 'Health', 'Education') AND pym.model = 'southernconemodel' THEN 'sum'
           END AS southern_cone_part,
           g.subsector IN ('Humanitarian Transportation', 'WASH', 'Food Security') AND pym.model = 'southernconemodel_2022'
               AS southern_cone_2022_added_again
    FROM grid g
    LEFT JOIN sector_month sm USING (platform, country_iso3, country, admin1, month, subsector)
    JOIN platform_year_model pym ON pym.platform = g.platform AND pym.year = year(g.month)
),
-- Age/gender shares of each population type (staging.ref_planning_proportions, long form): the
-- (country, admin1, subsector) row, else the country's 'Country level' row of the subsector (the
-- PiN tables hold only that row for countries without admin1, and not every subsector at every
-- admin1). R4V's script joins on admin1 only; where it finds no row its cells are NA, and that
-- case is listed in intersector_subsectors_without_proportions here instead.
shares AS (
    SELECT country_iso3, admin1_key, sector, basis, plan_year,
           regexp_extract(cell, '^(.*)_(girls|boys|women|men)$', 1) AS population_type,
           regexp_extract(cell, '^(.*)_(girls|boys|women|men)$', 2) AS age_gender,
           share
    FROM (
        SELECT DISTINCT ON (country_iso3, admin1_key, sector, basis, plan_year)
               country_iso3, name_key(admin1) AS admin1_key, sector, basis, plan_year,
               COLUMNS('^(in_destination|in_transit|host_community|pendular|returnees)_(girls|boys|women|men)$')
        FROM staging.ref_planning_proportions
        WHERE NOT coalesce(is_rejected, false)
        ORDER BY country_iso3, admin1_key, sector, basis, plan_year, source_file, source_sheet, source_row
    ) UNPIVOT INCLUDE NULLS (
        share FOR cell IN (COLUMNS('^(in_destination|in_transit|host_community|pendular|returnees)_(girls|boys|women|men)$'))
    )
),
-- The proportion models (maxsector and the southern cone models with proportions): each subsector
-- of the max group has its population types split into girls/boys/women/men by the shares, every
-- cell rounded as R's round() does (half to even, on doubles), as R4V's 2022-2023 scripts do.
max_group AS (
    SELECT * FROM filled
    WHERE proportions IS NOT NULL
      AND (model = 'maxsector' OR (model IN ('southernconemodel', 'southernconemodel_2022') AND southern_cone_part = 'max'))
),
share_keys AS (
    SELECT DISTINCT country_iso3, admin1_key, sector, basis, plan_year FROM shares
),
max_group_keyed AS (  -- which shares row each subsector uses: its admin1's, else its country's
    SELECT m.*,
           CASE WHEN k.admin1_key IS NOT NULL THEN k.admin1_key ELSE 'country level' END AS share_admin1_key
    FROM max_group m
    LEFT JOIN share_keys k
      ON k.country_iso3 = m.country_iso3 AND k.admin1_key = name_key(m.admin1)
     AND k.sector = m.subsector AND k.basis = m.proportions AND k.plan_year = m.proportions_year
),
split AS (
    SELECT p.platform, p.country_iso3, p.country, p.admin1, p.month, p.subsector, p.population_type, p.persons,
           s.age_gender, s.share,
           CAST(round_even(CAST(p.persons AS DOUBLE) * s.share, 0) AS DECIMAL(38, 10)) AS cell
    FROM (
        UNPIVOT (
            SELECT platform, country_iso3, country, admin1, month, subsector, proportions, proportions_year, share_admin1_key,
                   new_in_destination AS in_destination, new_in_transit AS in_transit,
                   new_host_community AS host_community, new_pendular AS pendular, new_returnees AS returnees
            FROM max_group_keyed
        )
        ON in_destination, in_transit, host_community, pendular, returnees INTO NAME population_type VALUE persons
    ) p
    LEFT JOIN shares s
      ON s.country_iso3 = p.country_iso3 AND s.admin1_key = p.share_admin1_key
     AND s.sector = p.subsector AND s.basis = p.proportions AND s.plan_year = p.proportions_year
     AND s.population_type = p.population_type
),
split_max AS (   -- per admin1 and month, the max across subsectors of each population type x age/gender cell
    SELECT platform, country_iso3, country, admin1, month, population_type, age_gender, max(cell) AS cell
    FROM split WHERE cell IS NOT NULL
    GROUP BY ALL
),
split_totals AS (  -- back to R4V's columns: population types and age/gender as sums of the cells, Other = 0
    SELECT platform, country_iso3, country, admin1, month,
           coalesce(sum(cell), 0) AS new_total,
           coalesce(sum(cell) FILTER (WHERE population_type = 'in_destination'), 0) AS new_in_destination,
           coalesce(sum(cell) FILTER (WHERE population_type = 'in_transit'), 0) AS new_in_transit,
           coalesce(sum(cell) FILTER (WHERE population_type = 'host_community'), 0) AS new_host_community,
           coalesce(sum(cell) FILTER (WHERE population_type = 'pendular'), 0) AS new_pendular,
           coalesce(sum(cell) FILTER (WHERE population_type = 'returnees'), 0) AS new_returnees,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'girls'), 0) AS new_girls,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'boys'), 0) AS new_boys,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'women'), 0) AS new_women,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'men'), 0) AS new_men,
           CAST(0 AS DECIMAL(38, 10)) AS new_other_under_18,
           CAST(0 AS DECIMAL(38, 10)) AS new_other_above_18
    FROM split_max
    GROUP BY ALL
),
max_group_extra AS (  -- CVA of the max group: its max across subsectors
    SELECT platform, country_iso3, country, admin1, month, max(new_cva) AS new_cva
    FROM max_group
    GROUP BY ALL
),
without_proportions AS (  -- subsectors of the max group with people but no shares: left out of the max
    SELECT platform, country_iso3, country, admin1, month,
           string_agg(DISTINCT subsector, '; ' ORDER BY subsector) AS intersector_subsectors_without_proportions
    FROM split
    WHERE share IS NULL AND persons <> 0
    GROUP BY ALL
),
-- Intersector new beneficiaries per admin1 and month, one part per model (domain.md §3.4 item 4):
intersector_parts AS (
    -- sum: Σ over subsectors, every column
    SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
    FROM filled WHERE model = 'sum' GROUP BY ALL
    UNION ALL BY NAME
    -- maxsector without proportions (R4V's methodology note: the max of each population group)
    -- and maxagegender (2021): the max across subsectors of every column; the total is the sum of
    -- the population-type maxima (maxsector) or of the age/gender maxima (maxagegender), below
    SELECT platform, country_iso3, country, admin1, month, max(COLUMNS('^new_'))
    FROM filled WHERE model = 'maxagegender' OR (model = 'maxsector' AND proportions IS NULL) GROUP BY ALL
    UNION ALL BY NAME
    -- maxsector_2021 (r4v_app, 2021): the whole row of the subsector with the most new
    -- beneficiaries (ties: the first subsector by name, as R's which.max on sorted groups); CVA:
    -- the most CVA beneficiaries of any subsector
    SELECT * EXCLUDE (subsector, most_cva) REPLACE (most_cva AS new_cva)
    FROM (
        SELECT platform, country_iso3, country, admin1, month, subsector, COLUMNS('^new_'),
               max(new_cva) OVER (PARTITION BY country_iso3, admin1, month) AS most_cva
        FROM filled WHERE model = 'maxsector_2021'
        QUALIFY row_number() OVER (PARTITION BY country_iso3, admin1, month ORDER BY new_total DESC, subsector) = 1
    )
    UNION ALL BY NAME
    -- the proportion models: the max group's cells (maxsector: every subsector) ...
    SELECT t.*, x.new_cva FROM split_totals t
    JOIN max_group_extra x USING (platform, country_iso3, country, admin1, month)
    UNION ALL BY NAME
    -- ... a max group with nothing in any cell still has its CVA maximum
    SELECT x.* FROM max_group_extra x
    ANTI JOIN split_totals t USING (platform, country_iso3, country, admin1, month)
    UNION ALL BY NAME
    -- ... plus, in the southern cone models, the subsectors added as reported
    SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
    FROM filled
    WHERE model IN ('southernconemodel', 'southernconemodel_2022')
      AND (southern_cone_part = 'sum' OR southern_cone_2022_added_again)
    GROUP BY ALL
),
intersector AS (
    -- every admin1 and month with a subsector row gets an Intersector row (monthly totals are
    -- always Σ subsectors, a volume); its new beneficiaries come from the model's parts
    SELECT f.platform, f.country_iso3, f.country, f.admin1, f.month, 'Intersector' AS subsector,
           sum(f.monthly_total) AS monthly_total, sum(f.monthly_cva) AS monthly_cva,
           any_value(f.model) AS intersector_model,
           CASE WHEN any_value(f.model) IN ('maxsector', 'southernconemodel', 'southernconemodel_2022')
                THEN any_value(f.proportions) || ' ' || any_value(f.proportions_year) END AS intersector_proportions
    FROM filled f
    GROUP BY f.platform, f.country_iso3, f.country, f.admin1, f.month
),
intersector_new AS (
    SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
    FROM intersector_parts GROUP BY ALL
),
intersector_rows AS (
    SELECT i.*,
           coalesce(COLUMNS(n.* EXCLUDE (platform, country_iso3, country, admin1, month)), 0),
           w.intersector_subsectors_without_proportions
    FROM intersector i
    LEFT JOIN intersector_new n USING (platform, country_iso3, country, admin1, month)
    LEFT JOIN without_proportions w USING (platform, country_iso3, country, admin1, month)
),
admin1_month AS (
    SELECT platform, country_iso3, country, admin1, month, subsector, monthly_total, monthly_cva, COLUMNS('^new_'),
           'subsector' AS intersector_model, CAST(NULL AS VARCHAR) AS intersector_proportions,
           CAST(NULL AS VARCHAR) AS intersector_subsectors_without_proportions
    FROM filled
    UNION ALL BY NAME
    SELECT * REPLACE (
        CASE WHEN intersector_model = 'maxsector' AND intersector_proportions IS NULL
                  THEN new_in_destination + new_in_transit + new_host_community + new_pendular + new_returnees
             WHEN intersector_model = 'maxagegender'
                  THEN new_girls + new_boys + new_women + new_men + new_other_under_18 + new_other_above_18
             ELSE new_total END AS new_total)
    FROM intersector_rows
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
           intersector_model, intersector_proportions, intersector_subsectors_without_proportions
    FROM admin1_month
    WINDOW to_date AS (PARTITION BY country_iso3, admin1, subsector ORDER BY month ROWS UNBOUNDED PRECEDING)
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
    -- countries without admin1 (domain.md §1.1): only their Country level rows
    WHERE country_iso3 NOT IN ('ABW', 'CUW', 'CRI', 'DOM', 'TTO', 'GUY', 'MEX', 'PAN')
    UNION ALL BY NAME SELECT * FROM country_rows
    UNION ALL BY NAME SELECT * FROM upper_rows
)
-- R4V's three checks (domain.md §3.4 item 8), true when the check holds; breakdowns within half a
-- person (the 2021 breakdowns hold apportioned fractions).
SELECT *, CAST($only_rmrp_activities AS BOOLEAN) AS only_rmrp_activities,
       abs(consolidated_total - (consolidated_in_destination + consolidated_in_transit + consolidated_host_community + consolidated_pendular + consolidated_returnees)) <= 0.5
           AS check_population_type_breakdown,
       abs(consolidated_total - (consolidated_girls + consolidated_boys + consolidated_women + consolidated_men + consolidated_other_under_18 + consolidated_other_above_18)) <= 0.5
           AS check_age_gender_breakdown,
       consolidated_cva <= consolidated_total AS check_cva_not_above_total
FROM all_levels;

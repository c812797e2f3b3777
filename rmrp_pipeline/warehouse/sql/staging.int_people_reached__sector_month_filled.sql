-- staging.int_people_reached__sector_month_filled: every admin1 x subsector series month by month,
-- from its first reported month to the last month reported anywhere in its year (months without
-- a report carry the consolidated figure, so they are here with 0 new people), with the
-- Intersector model of its platform and year and the subsector's part in the southern cone
-- models. A table, rewritten a year at a time with marts.people_reached_monthly (the caller deletes
-- the year's months first), so that every Intersector model reads it without recomputing it.
-- Scope: as staging.int_people_reached__activities.
INSERT INTO staging.int_people_reached__sector_month_filled BY NAME
-- the view's sums worked out once and read three times below
WITH sm AS MATERIALIZED (
    SELECT * FROM staging.int_people_reached__sector_month
),
series AS (
    SELECT platform, country_iso3, country, admin1, subsector, year(month) AS year, min(month) AS first_month
    FROM sm GROUP BY ALL
),
months AS (
    SELECT bounds.year, CAST(m AS DATE) AS month
    FROM (SELECT year(month) AS year, min(month) AS lo, max(month) AS hi
          FROM sm GROUP BY ALL) bounds,
         range(bounds.lo, bounds.hi + INTERVAL 1 MONTH, INTERVAL 1 MONTH) AS r(m)
),
grid AS (
    SELECT s.platform, s.country_iso3, s.country, s.admin1, s.subsector, m.month
    FROM series s JOIN months m ON m.year = s.year AND m.month >= s.first_month
)
SELECT g.platform, g.country_iso3, g.country, g.admin1, g.month, g.subsector,
       -- a month without a report: 0 in every monthly_* and new_* column
       coalesce(COLUMNS(sm.* EXCLUDE (platform, country_iso3, country, admin1, month, subsector)), 0),
       pym.model, pym.proportions, pym.proportions_year,
       -- the subsector's part in the southern cone models: 'max' (the max group), 'sum' (added as
       -- reported) or NULL (left out). R4V 2023 and docs/domain.md §3.4: max{Shelter, Humanitarian
       -- Transportation, WASH, Food Security} + Protection (General) + Σ{MPC, Integration, Health,
       -- Education}. R4V 2022 (R4RMRP2022 @ c67f899, the script behind R4V's published Argentina
       -- output): its third step adds MPC, Humanitarian Transportation, WASH and Food Security
       -- (again) instead of MPC, Integration, Health and Education.
       CASE WHEN g.subsector IN ('Shelter', 'Humanitarian Transportation', 'WASH', 'Food Security') THEN 'max'
            WHEN g.subsector IN ('Protection (General)', 'Multipurpose Cash Assistance (MPC)') THEN 'sum'
            WHEN g.subsector IN ('Integration', 'Health', 'Education') AND pym.model = 'southernconemodel' THEN 'sum'
       END AS southern_cone_part,
       g.subsector IN ('Humanitarian Transportation', 'WASH', 'Food Security') AND pym.model = 'southernconemodel_2022'
           AS southern_cone_2022_added_again
FROM grid g
LEFT JOIN sm USING (platform, country_iso3, country, admin1, month, subsector)
JOIN staging.int_intersector__platform_year_model pym ON pym.platform = g.platform AND pym.year = year(g.month);

-- marts.fct_planning_figures: the three kinds of planning spreadsheet in one canonical fact table,
-- one row per figure cell as given (docs/domain.md §2.3: higher-level figures are stored as given; their
-- sums are checks in meta.reconciliation, never facts). Blank cells are not figures: no row.
INSERT INTO marts.fct_planning_figures BY NAME
WITH table_cells AS (
    UNPIVOT (SELECT * FROM staging.stg_planning__pin_target WHERE NOT is_rejected)
    ON COLUMNS('^(all|in_destination|in_transit|host_community|pendular|returnees)_(all|girls|boys|women|men)$')
    INTO NAME cell VALUE value
),
-- Submission columns -> canonical grain. People targeted come from Direct Assistance rows only
-- (the RMRP target is built from Direct Assistance indicators, docs/domain.md §2.2); the other types'
-- totals are people trained or reached by campaigns, kept in staging only.
submission_map (source_column, measure, population_type, age_gender, direct_assistance_only, unit) AS (
    VALUES
        ('budget_total_usd', 'requirements_usd', 'all', 'all', false, 'usd'),
        ('budget_inkind_usd', 'requirements_inkind_usd', 'all', 'all', false, 'usd'),
        ('budget_cva_usd', 'requirements_cva_usd', 'all', 'all', false, 'usd'),
        ('total_target', 'people_targeted', 'all', 'all', true, 'persons'),
        ('in_destination', 'people_targeted', 'in_destination', 'all', true, 'persons'),
        ('in_transit', 'people_targeted', 'in_transit', 'all', true, 'persons'),
        ('host_community', 'people_targeted', 'host_community', 'all', true, 'persons'),
        ('pendular', 'people_targeted', 'pendular', 'all', true, 'persons'),
        ('returnees', 'people_targeted', 'returnees', 'all', true, 'persons'),
        ('girls', 'people_targeted', 'all', 'girls', true, 'persons'),
        ('boys', 'people_targeted', 'all', 'boys', true, 'persons'),
        ('women', 'people_targeted', 'all', 'women', true, 'persons'),
        ('men', 'people_targeted', 'all', 'men', true, 'persons')
),
submission_cells AS (
    UNPIVOT (SELECT * FROM staging.stg_planning__submissions WHERE NOT is_rejected)
    ON budget_total_usd, budget_inkind_usd, budget_cva_usd, total_target, in_destination, in_transit,
       host_community, pendular, returnees, girls, boys, women, men
    INTO NAME source_column VALUE value
)
SELECT
    plan_year, level, platform, country, country_iso3, admin1, sector,
    regexp_extract(cell, '^(.+)_([a-z]+)$', 1) AS population_type,
    regexp_extract(cell, '^(.+)_([a-z]+)$', 2) AS age_gender,
    measure, value, value AS value_low, value AS value_high, 'persons' AS unit,
    NULL AS published_text, 'pin_target_table' AS source_kind,
    NULL AS organisation, NULL AS organisation_id, NULL AS organisation_key, NULL AS indicator_code,
    source_file, source_sheet, source_row, cell AS source_column
FROM table_cells
UNION ALL BY NAME
SELECT
    c.plan_year, c.level, c.platform,
    CASE WHEN c.level = 'regional' THEN NULL ELSE c.country END AS country,
    c.country_iso3,
    CASE WHEN c.level = 'admin1' THEN c.admin1 END AS admin1,
    c.sector, m.population_type, m.age_gender, m.measure, c.value,
    c.value AS value_low, c.value AS value_high, m.unit,
    NULL AS published_text, 'submission' AS source_kind,
    c.organisation, c.organisation_id, c.organisation_key, c.indicator_code,
    c.source_file, c.source_sheet, c.source_row, c.source_column
FROM submission_cells c
JOIN submission_map m USING (source_column)
WHERE NOT m.direct_assistance_only OR c.indicator_type = 'Direct Assistance'
UNION ALL BY NAME
SELECT
    plan_year, level, platform, NULL AS country, NULL AS country_iso3, NULL AS admin1, sector,
    'all' AS population_type, 'all' AS age_gender, measure, value, value_low, value_high,
    CASE measure WHEN 'requirements_usd' THEN 'usd' WHEN 'partners' THEN 'organisations' ELSE 'persons' END AS unit,
    published_text, 'published' AS source_kind,
    NULL AS organisation, NULL AS organisation_id, NULL AS organisation_key, NULL AS indicator_code,
    source_file, sheet AS source_sheet, row_number AS source_row, "column" AS source_column
FROM staging.stg_planning__published_figures
WHERE plan_year IS NOT NULL AND age_gender IS NULL
  AND measure IN ('population_projection', 'people_in_need', 'people_targeted', 'requirements_usd', 'partners');

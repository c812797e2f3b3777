-- staging.int_planning__published_ratios: the published ratios (target share of PiN, share of the
-- total PiN, the age/gender shares of PiN and target) and the sector leads, one row per figure as
-- printed and plan year. marts.fct_planning_figures holds figures that add up (persons, USD,
-- organisations) and leaves these out; marts.sector_key_figures reads both.
-- A figure printed once for a multi-year plan (no plan year: the age/gender shares, the sector
-- leads) is given one row per plan year of its workbook, the years its other figures carry.
CREATE OR REPLACE VIEW staging.int_planning__published_ratios AS
WITH plan_years AS (
    SELECT DISTINCT source_file, plan_year
    FROM staging.stg_planning__published_figures WHERE plan_year IS NOT NULL
)
SELECT plan_year, level, platform, sector, measure, age_gender, value, published_text,
       source_file, sheet AS source_sheet, row_number AS source_row, "column" AS source_column
FROM staging.stg_planning__published_figures
WHERE plan_year IS NOT NULL AND age_gender IS NULL
  AND measure IN ('target_share_of_pin', 'share_of_total_pin')
UNION ALL
SELECT y.plan_year, f.level, f.platform, f.sector, f.measure, f.age_gender, f.value, f.published_text,
       f.source_file, f.sheet AS source_sheet, f.row_number AS source_row, f."column" AS source_column
FROM staging.stg_planning__published_figures f
JOIN plan_years y USING (source_file)
WHERE f.plan_year IS NULL
  AND (f.measure IN ('people_in_need_share', 'people_targeted_share') AND f.age_gender IS NOT NULL
       OR f.measure = 'sector_leads' AND f.age_gender IS NULL);
COMMENT ON VIEW staging.int_planning__published_ratios IS 'Published ratios of the key figures (target_share_of_pin, share_of_total_pin, the age/gender shares people_in_need_share and people_targeted_share) and the sector leads per plan year, platform or Regional and sector, one row per figure as printed and plan year: the published figures that marts.fct_planning_figures leaves out because they do not add up. A figure printed once for a multi-year plan has a row for each plan year of its workbook.';
COMMENT ON COLUMN staging.int_planning__published_ratios.plan_year IS 'Plan year of the figure (for a figure printed once for a multi-year plan, each plan year of its workbook).';
COMMENT ON COLUMN staging.int_planning__published_ratios.level IS 'platform or regional.';
COMMENT ON COLUMN staging.int_planning__published_ratios.platform IS 'R4V platform, or Regional.';
COMMENT ON COLUMN staging.int_planning__published_ratios.sector IS 'Sector by its canonical R4V name, or Intersector.';
COMMENT ON COLUMN staging.int_planning__published_ratios.measure IS 'target_share_of_pin (people targeted as a share of PiN), share_of_total_pin (the sector''s PiN as a share of the total PiN), people_in_need_share or people_targeted_share (the share of one age/gender group, see age_gender), or sector_leads (the organisations leading the sector, text).';
COMMENT ON COLUMN staging.int_planning__published_ratios.age_gender IS 'women, men, girls or boys for the age/gender shares; NULL otherwise.';
COMMENT ON COLUMN staging.int_planning__published_ratios.value IS 'The ratio as a fraction (0.68 for 68%); NULL for the sector leads.';
COMMENT ON COLUMN staging.int_planning__published_ratios.published_text IS 'The figure exactly as printed (the sector leads: the organisations'' names as printed).';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_file IS 'Lineage: the published-figures workbook.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_sheet IS 'Lineage: its sheet.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_row IS 'Lineage: its Excel row.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_column IS 'Lineage: its column header.';

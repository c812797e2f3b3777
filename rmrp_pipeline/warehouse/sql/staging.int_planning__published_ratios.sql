-- staging.int_planning__published_ratios: the published ratios (target share of PiN, share of the
-- total PiN), one row per figure as printed. marts.fct_planning_figures holds figures that add up
-- (persons, USD, organisations) and leaves ratios out; marts.sector_key_figures reads both.
CREATE OR REPLACE VIEW staging.int_planning__published_ratios AS
SELECT plan_year, level, platform, sector, measure, value, published_text,
       source_file, sheet AS source_sheet, row_number AS source_row
FROM staging.stg_planning__published_figures
WHERE plan_year IS NOT NULL AND age_gender IS NULL
  AND measure IN ('target_share_of_pin', 'share_of_total_pin');
COMMENT ON VIEW staging.int_planning__published_ratios IS 'Published ratios of the key figures (target_share_of_pin, share_of_total_pin) per plan year, platform or Regional and sector, one row per figure as printed: the published figures that marts.fct_planning_figures leaves out because a ratio does not add up.';
COMMENT ON COLUMN staging.int_planning__published_ratios.plan_year IS 'Plan year of the figure.';
COMMENT ON COLUMN staging.int_planning__published_ratios.level IS 'platform or regional.';
COMMENT ON COLUMN staging.int_planning__published_ratios.platform IS 'R4V platform, or Regional.';
COMMENT ON COLUMN staging.int_planning__published_ratios.sector IS 'Sector by its canonical R4V name, or Intersector.';
COMMENT ON COLUMN staging.int_planning__published_ratios.measure IS 'target_share_of_pin (people targeted as a share of PiN) or share_of_total_pin (the sector''s PiN as a share of the total PiN).';
COMMENT ON COLUMN staging.int_planning__published_ratios.value IS 'The ratio as a fraction (0.68 for 68%).';
COMMENT ON COLUMN staging.int_planning__published_ratios.published_text IS 'The ratio exactly as printed.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_file IS 'Lineage: the published-figures workbook.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_sheet IS 'Lineage: its sheet.';
COMMENT ON COLUMN staging.int_planning__published_ratios.source_row IS 'Lineage: its Excel row.';

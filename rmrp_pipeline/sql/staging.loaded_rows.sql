-- staging.loaded_rows: (file, sheet, row) of every input row that reached the warehouse.
CREATE OR REPLACE VIEW staging.loaded_rows AS
SELECT source_file, source_sheet, source_row FROM staging.stg_5w__activities WHERE NOT is_rejected
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.ref_countries
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.ref_admin1
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.ref_organisations
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.ref_indicators
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.stg_planning__sources
UNION ALL SELECT DISTINCT source_file, sheet AS source_sheet, row_number AS source_row FROM staging.stg_planning__published_figures
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.stg_planning__pin_target WHERE NOT is_rejected
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.ref_planning_proportions WHERE NOT is_rejected
UNION ALL SELECT source_file, source_sheet, source_row FROM staging.stg_planning__submissions WHERE NOT is_rejected;

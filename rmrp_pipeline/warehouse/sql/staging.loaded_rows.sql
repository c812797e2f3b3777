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
COMMENT ON VIEW staging.loaded_rows IS 'Every input row that reached the warehouse (the staged rows that are not rejected), by file, sheet and Excel row: what meta.load_log counts as loaded.';
COMMENT ON COLUMN staging.loaded_rows.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN staging.loaded_rows.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.loaded_rows.source_row IS 'Excel row number (1-based, header included).';

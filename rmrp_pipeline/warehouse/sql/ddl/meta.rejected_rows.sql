CREATE OR REPLACE TABLE meta.rejected_rows (
    source_file VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,
    "column" VARCHAR,
    rule VARCHAR NOT NULL,
    value VARCHAR,
    message VARCHAR NOT NULL,
    produced_by VARCHAR NOT NULL,
    source_sheet VARCHAR GENERATED ALWAYS AS (sheet) VIRTUAL,
    source_row BIGINT GENERATED ALWAYS AS (row_number) VIRTUAL
);
COMMENT ON TABLE meta.rejected_rows IS 'Cells that stop their row from being loaded (the value cannot be read with certainty). One row per failing cell and rule; the row is in no mart.';
COMMENT ON COLUMN meta.rejected_rows.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN meta.rejected_rows.sheet IS 'Sheet name (empty for CSV).';
COMMENT ON COLUMN meta.rejected_rows.row_number IS 'Excel row number (1-based, header included).';
COMMENT ON COLUMN meta.rejected_rows."column" IS 'Column header as written in the file.';
COMMENT ON COLUMN meta.rejected_rows.rule IS 'Rule id (rmrp_pipeline/quality/rules.py; what each means: docs/input-rules.md).';
COMMENT ON COLUMN meta.rejected_rows.value IS 'The offending value as read.';
COMMENT ON COLUMN meta.rejected_rows.message IS 'What is wrong and what to fix, for the partner.';
COMMENT ON COLUMN meta.rejected_rows.produced_by IS 'Pipeline asset that wrote the row.';
COMMENT ON COLUMN meta.rejected_rows.source_sheet IS 'Same as sheet, under the name the marts use for it (marts.fct_activities.source_sheet); sheet stays for the queries that use it.';
COMMENT ON COLUMN meta.rejected_rows.source_row IS 'Same as row_number, under the name the marts use for it (marts.fct_activities.source_row): the Excel row number; row_number stays for the queries that use it.';

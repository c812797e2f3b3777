CREATE OR REPLACE TABLE staging.stg_planning__sources (
    key VARCHAR,
    value VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT
);
COMMENT ON TABLE staging.stg_planning__sources IS 'Where each published-figures workbook comes from (document, page, language, who transcribed it), as key/value rows.';
COMMENT ON COLUMN staging.stg_planning__sources.key IS 'What the row records (document, page, language, ...).';
COMMENT ON COLUMN staging.stg_planning__sources.value IS 'Its value.';
COMMENT ON COLUMN staging.stg_planning__sources.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.stg_planning__sources.source_sheet IS 'Sheet.';
COMMENT ON COLUMN staging.stg_planning__sources.source_row IS 'Excel row number.';

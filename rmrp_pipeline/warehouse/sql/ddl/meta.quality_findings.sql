CREATE OR REPLACE TABLE meta.quality_findings (
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
COMMENT ON TABLE meta.quality_findings IS 'Readable rows that break an R4V quality rule: loaded and counted, as R4V does, and listed here so the partner can be asked to fix them. One row per failing cell and rule.';
COMMENT ON COLUMN meta.quality_findings.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN meta.quality_findings.sheet IS 'Sheet name (empty for CSV).';
COMMENT ON COLUMN meta.quality_findings.row_number IS 'Excel row number (1-based, header included).';
COMMENT ON COLUMN meta.quality_findings."column" IS 'Column header as written in the file.';
COMMENT ON COLUMN meta.quality_findings.rule IS 'Rule id (rmrp_pipeline/quality/rules.py; what each means: docs/input-rules.md).';
COMMENT ON COLUMN meta.quality_findings.value IS 'The offending value as read.';
COMMENT ON COLUMN meta.quality_findings.message IS 'What is wrong and what to fix, for the partner.';
COMMENT ON COLUMN meta.quality_findings.produced_by IS 'Pipeline asset that wrote the row.';
COMMENT ON COLUMN meta.quality_findings.source_sheet IS 'Same as sheet, under the name the marts use for it (marts.fct_activities.source_sheet); sheet stays for the queries that use it.';
COMMENT ON COLUMN meta.quality_findings.source_row IS 'Same as row_number, under the name the marts use for it (marts.fct_activities.source_row): the Excel row number; row_number stays for the queries that use it.';

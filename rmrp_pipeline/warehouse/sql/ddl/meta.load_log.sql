CREATE OR REPLACE TABLE meta.load_log (
    source_file VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    sha256 VARCHAR,
    template_id VARCHAR,
    status VARCHAR NOT NULL,
    rows_read BIGINT,
    rows_in_file BIGINT,
    hidden_rows BIGINT,
    rows_loaded BIGINT,
    rows_rejected BIGINT,
    findings BIGINT,
    rows_with_findings BIGINT,
    blank_rows BIGINT,
    message VARCHAR,
    read_at TIMESTAMP,
    source_sheet VARCHAR GENERATED ALWAYS AS (sheet) VIRTUAL,
    rows_superseded BIGINT,
    superseded_by VARCHAR
);
COMMENT ON TABLE meta.load_log IS 'One row per file and sheet of each run: template recognised, rows read, loaded and rejected (read = loaded + rejected + superseded for every recognised sheet), quality findings.';
COMMENT ON COLUMN meta.load_log.source_file IS 'File (relative to the raw folder).';
COMMENT ON COLUMN meta.load_log.sheet IS 'Sheet name (empty for CSV).';
COMMENT ON COLUMN meta.load_log.sha256 IS 'SHA-256 of the file bytes.';
COMMENT ON COLUMN meta.load_log.template_id IS 'Recognised template, NULL if none.';
COMMENT ON COLUMN meta.load_log.status IS 'recognised, ignored (a sheet left out on purpose; the message says why), unknown_sheet, unknown_file, duplicate_file (same bytes as another file of the raw folder, the original, which the message names and which is loaded; the original is the name without a copy mark such as Copy of or (1), else the shorter name), superseded (every row of the sheet is replaced by a newer version of the same report: superseded_by names it; docs/input-rules.md §9), unreadable, or not_read (never opened: a link that leaves the raw folder or points nowhere, a FIFO, a device; the message says why).';
COMMENT ON COLUMN meta.load_log.rows_in_file IS 'Rows below the header holding a value, counted independently in the sheet XML (xlsx only); rows_read <= rows_in_file <= rows_read + blank_rows.';
COMMENT ON COLUMN meta.load_log.hidden_rows IS 'Data rows hidden in the workbook: read and loaded like any other row.';
COMMENT ON COLUMN meta.load_log.rows_read IS 'Non-empty data rows read.';
COMMENT ON COLUMN meta.load_log.rows_loaded IS 'Rows loaded into the warehouse.';
COMMENT ON COLUMN meta.load_log.rows_rejected IS 'Rows in meta.rejected_rows (counted once however many cells failed).';
COMMENT ON COLUMN meta.load_log.findings IS 'Quality findings on the loaded rows (meta.quality_findings), one per failing cell and rule.';
COMMENT ON COLUMN meta.load_log.rows_with_findings IS 'Loaded rows with at least one quality finding.';
COMMENT ON COLUMN meta.load_log.blank_rows IS 'Rows inside the table with no value (not data).';
COMMENT ON COLUMN meta.load_log.message IS 'Recognition outcome or reading error.';
COMMENT ON COLUMN meta.load_log.read_at IS 'When the file was read (UTC).';
COMMENT ON COLUMN meta.load_log.source_sheet IS 'Same as sheet, under the name the marts use for it (marts.fct_activities.source_sheet); sheet stays for the queries that use it.';
COMMENT ON COLUMN meta.load_log.rows_superseded IS 'Rows of the sheet not loaded because a newer version of the same report (same folder and name but for a version mark such as _v2 or final) has rows of the same appealing organisation, country and month; NULL when none. rows_read = rows_loaded + rows_rejected + rows_superseded.';
COMMENT ON COLUMN meta.load_log.superseded_by IS 'The newer version(s) of the report whose rows replaced the superseded rows, separated by ; (NULL when none).';

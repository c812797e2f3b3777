CREATE OR REPLACE TABLE raw.source_files (
    source_file VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    sha256 VARCHAR,
    template_id VARCHAR,
    kind VARCHAR,
    status VARCHAR NOT NULL,
    visible VARCHAR,
    rows_read BIGINT,
    rows_in_file BIGINT,
    hidden_rows BIGINT,
    blank_rows BIGINT,
    hxl_tags VARCHAR,
    message VARCHAR,
    read_at TIMESTAMP
);
COMMENT ON TABLE raw.source_files IS 'Every file and sheet found in the raw folder, with the template it was recognised as (by its columns) or why it was not.';
COMMENT ON COLUMN raw.source_files.source_file IS 'Path of the file relative to the raw folder.';
COMMENT ON COLUMN raw.source_files.sheet IS 'Sheet name (empty for CSV files).';
COMMENT ON COLUMN raw.source_files.sha256 IS 'SHA-256 of the file bytes: identifies the file version.';
COMMENT ON COLUMN raw.source_files.template_id IS 'Recognised template (rmrp_pipeline/read/layouts/templates.csv), NULL when not recognised.';
COMMENT ON COLUMN raw.source_files.kind IS 'Kind of content: five_w, indicator_registry, admin1, published_key_figures, ...';
COMMENT ON COLUMN raw.source_files.status IS 'recognised, ignored (recognised as a sheet left out on purpose: instructions, pivot tables, copies of lists read elsewhere; the message says why), unknown_sheet, unknown_file, duplicate_file (same bytes as a file already read), unreadable, or not_read (never opened: a link that leaves the raw folder or points nowhere, a FIFO, a device; the message says why).';
COMMENT ON COLUMN raw.source_files.visible IS 'Sheet visibility in the workbook: visible, hidden or veryhidden.';
COMMENT ON COLUMN raw.source_files.rows_in_file IS 'Rows below the header holding a value, counted independently in the sheet XML (xlsx only); rows_read <= rows_in_file <= rows_read + blank_rows.';
COMMENT ON COLUMN raw.source_files.hidden_rows IS 'Data rows hidden in the workbook: read and loaded like any other row.';
COMMENT ON COLUMN raw.source_files.rows_read IS 'Non-empty data rows read from the sheet (header and HXL rows excluded).';
COMMENT ON COLUMN raw.source_files.blank_rows IS 'Rows inside the table with no value at all (not data).';
COMMENT ON COLUMN raw.source_files.hxl_tags IS 'HXL hashtag row found under the header, as JSON (header -> tag).';
COMMENT ON COLUMN raw.source_files.message IS 'What was recognised, or which columns were missing.';
COMMENT ON COLUMN raw.source_files.read_at IS 'When the file was read (UTC).';

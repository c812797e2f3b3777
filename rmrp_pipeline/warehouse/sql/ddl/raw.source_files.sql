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
    read_at TIMESTAMP,
    rows_superseded BIGINT,
    superseded_by VARCHAR
);
COMMENT ON TABLE raw.source_files IS 'Every file and sheet found in the raw folder, with the template it was recognised as (by its columns) or why it was not.';
COMMENT ON COLUMN raw.source_files.source_file IS 'Path of the file relative to the raw folder.';
COMMENT ON COLUMN raw.source_files.sheet IS 'Sheet name (empty for CSV files).';
COMMENT ON COLUMN raw.source_files.sha256 IS 'SHA-256 of the file bytes: identifies the file version.';
COMMENT ON COLUMN raw.source_files.template_id IS 'Recognised template (rmrp_pipeline/read/layouts/templates.csv), NULL when not recognised.';
COMMENT ON COLUMN raw.source_files.kind IS 'Kind of content: five_w, indicator_registry, admin1, published_key_figures, ...';
COMMENT ON COLUMN raw.source_files.status IS 'recognised, ignored (recognised as a sheet left out on purpose: instructions, pivot tables, copies of lists read elsewhere; the message says why), unknown_sheet, unknown_file, duplicate_file (same bytes as another file of the raw folder, the original, which the message names and which is loaded; the original is the name without a copy mark such as Copy of or (1), else the shorter name), superseded (every row of the sheet is replaced by a newer version of the same report: superseded_by names it; docs/input-rules.md §9), unreadable, or not_read (never opened: a link that leaves the raw folder or points nowhere, a FIFO, a device; the message says why).';
COMMENT ON COLUMN raw.source_files.visible IS 'Sheet visibility in the workbook: visible, hidden or veryhidden.';
COMMENT ON COLUMN raw.source_files.rows_in_file IS 'Rows below the header holding a value, counted independently in the sheet XML (xlsx only); rows_read <= rows_in_file <= rows_read + blank_rows.';
COMMENT ON COLUMN raw.source_files.hidden_rows IS 'Data rows hidden in the workbook: read and loaded like any other row.';
COMMENT ON COLUMN raw.source_files.rows_read IS 'Non-empty data rows read from the sheet (header and HXL rows excluded).';
COMMENT ON COLUMN raw.source_files.blank_rows IS 'Rows inside the table with no value at all (not data).';
COMMENT ON COLUMN raw.source_files.hxl_tags IS 'HXL hashtag row found under the header, as JSON (header -> tag).';
COMMENT ON COLUMN raw.source_files.message IS 'What was recognised, or which columns were missing.';
COMMENT ON COLUMN raw.source_files.read_at IS 'When the file was read (UTC).';
COMMENT ON COLUMN raw.source_files.rows_superseded IS 'Rows of the sheet not loaded because a newer version of the same report (same folder and name but for a version mark such as _v2 or final) has rows of the same appealing organisation, country and month; NULL when none. rows_read = rows_loaded + rows_rejected + rows_superseded.';
COMMENT ON COLUMN raw.source_files.superseded_by IS 'The newer version(s) of the report whose rows replaced the superseded rows, separated by ; (NULL when none).';

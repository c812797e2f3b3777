CREATE OR REPLACE TABLE staging.ref_admin1 (
    cycle_year INTEGER,
    country VARCHAR,
    admin1 VARCHAR,
    pcode VARCHAR,
    iso_code VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT
);
COMMENT ON TABLE staging.ref_admin1 IS 'Admin1 lists per cycle year.';
COMMENT ON COLUMN staging.ref_admin1.cycle_year IS 'Cycle year of the list.';
COMMENT ON COLUMN staging.ref_admin1.country IS 'Country as written in the list.';
COMMENT ON COLUMN staging.ref_admin1.admin1 IS 'Admin1 name.';
COMMENT ON COLUMN staging.ref_admin1.pcode IS 'P-code (2021 list).';
COMMENT ON COLUMN staging.ref_admin1.iso_code IS 'ISO 3166-2 or R4V code.';
COMMENT ON COLUMN staging.ref_admin1.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.ref_admin1.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.ref_admin1.source_row IS 'Excel row number (1-based).';

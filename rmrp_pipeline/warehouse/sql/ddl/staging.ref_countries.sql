CREATE OR REPLACE TABLE staging.ref_countries (
    platform VARCHAR,
    country VARCHAR,
    iso3 VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT
);
COMMENT ON TABLE staging.ref_countries IS 'R4V platforms and their 17 countries.';
COMMENT ON COLUMN staging.ref_countries.platform IS 'R4V platform.';
COMMENT ON COLUMN staging.ref_countries.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.ref_countries.iso3 IS 'ISO 3166-1 alpha-3 code.';
COMMENT ON COLUMN staging.ref_countries.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.ref_countries.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.ref_countries.source_row IS 'Excel row number (1-based).';

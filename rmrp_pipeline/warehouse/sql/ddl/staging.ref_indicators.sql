CREATE OR REPLACE TABLE staging.ref_indicators (
    cycle_year INTEGER,
    code VARCHAR,
    subsector VARCHAR,
    indicator VARCHAR,
    indicator_type VARCHAR,
    indicator_es VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT
);
COMMENT ON TABLE staging.ref_indicators IS 'Indicator registries per cycle year (codes are reused across cycles with other meanings).';
COMMENT ON COLUMN staging.ref_indicators.indicator_es IS 'Indicator text in Spanish, where the registry has one (2023-2024).';
COMMENT ON COLUMN staging.ref_indicators.cycle_year IS 'Cycle year of the registry.';
COMMENT ON COLUMN staging.ref_indicators.code IS 'Indicator code.';
COMMENT ON COLUMN staging.ref_indicators.subsector IS 'Sector or subsector.';
COMMENT ON COLUMN staging.ref_indicators.indicator IS 'Indicator text.';
COMMENT ON COLUMN staging.ref_indicators.indicator_type IS 'Indicator type (2021: Pin/People/Other).';
COMMENT ON COLUMN staging.ref_indicators.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.ref_indicators.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.ref_indicators.source_row IS 'Excel row number (1-based).';

CREATE OR REPLACE TABLE staging.ref_organisations (
    cycle_year INTEGER,
    role VARCHAR,
    org_id VARCHAR,
    name_en VARCHAR,
    name_es VARCHAR,
    name_pt VARCHAR,
    acronym VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT
);
COMMENT ON TABLE staging.ref_organisations IS 'Appealing organisations and implementing partners per cycle year.';
COMMENT ON COLUMN staging.ref_organisations.cycle_year IS 'Cycle year of the list.';
COMMENT ON COLUMN staging.ref_organisations.role IS 'appealing or implementing.';
COMMENT ON COLUMN staging.ref_organisations.org_id IS 'R4V id (ORGnnn or IPnnn).';
COMMENT ON COLUMN staging.ref_organisations.name_en IS 'Name (English).';
COMMENT ON COLUMN staging.ref_organisations.name_es IS 'Nombre (español).';
COMMENT ON COLUMN staging.ref_organisations.name_pt IS 'Nome (português).';
COMMENT ON COLUMN staging.ref_organisations.acronym IS 'Acronym or short name.';
COMMENT ON COLUMN staging.ref_organisations.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.ref_organisations.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.ref_organisations.source_row IS 'Excel row number (1-based).';

CREATE OR REPLACE TABLE staging.ref_sectors (
    sector VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    note VARCHAR
);
COMMENT ON TABLE staging.ref_sectors IS 'R4V sectors and subsectors by their canonical English name, with every name they are written under across cycles and languages (docs/domain.md §1.2). Case, accents and spaces of a name are ignored when it is matched. The staging tables name sectors through this list (their sector columns); loaded from rmrp_pipeline/reference_data/sectors.csv by the ingest.';
COMMENT ON COLUMN staging.ref_sectors.sector IS 'Canonical R4V name (English, as in the 2023-2024 indicator registry).';
COMMENT ON COLUMN staging.ref_sectors.name IS 'A name the sector is written under (the canonical name included).';
COMMENT ON COLUMN staging.ref_sectors.language IS 'Language of the name: en, es or pt.';
COMMENT ON COLUMN staging.ref_sectors.note IS 'Where the name is used (a cycle, a template, a platform''s list) or how it is matched; NULL when nothing needs saying.';

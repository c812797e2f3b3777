CREATE OR REPLACE TABLE staging.ref_trafficking_pillars (
    cycle_year INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    pillar VARCHAR NOT NULL,
    source_note VARCHAR NOT NULL,
    PRIMARY KEY (cycle_year, indicator_code)
);
COMMENT ON TABLE staging.ref_trafficking_pillars IS 'Pillar (4P: prevention, protection, prosecution, partnership) of each Trafficking & Smuggling indicator, per cycle year: codes are reused across cycles with other meanings, so the key is (cycle_year, indicator_code). Loaded from rmrp_pipeline/reference_data/trafficking_pillars.csv by the marts.cycle_outputs asset.';
COMMENT ON COLUMN staging.ref_trafficking_pillars.cycle_year IS 'Year of the reporting cycle (plan year) the indicator code belongs to.';
COMMENT ON COLUMN staging.ref_trafficking_pillars.indicator_code IS 'R4V indicator code of that year (e.g. RE-PRHT1).';
COMMENT ON COLUMN staging.ref_trafficking_pillars.pillar IS 'prevention, protection, prosecution or partnership.';
COMMENT ON COLUMN staging.ref_trafficking_pillars.source_note IS 'Where the indicator''s meaning comes from and why it has this pillar.';

CREATE TABLE IF NOT EXISTS meta.cycle_builds (
    cycle VARCHAR NOT NULL,
    built_from VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE meta.cycle_builds IS 'What the rows of each reporting cycle in the tables filled cycle by cycle were built from, one row per cycle: rmrp run rebuilds a cycle only when this differs from what it would be built from now (docs/operations.md, "Re-runs"). A cycle without a row is rebuilt.';
COMMENT ON COLUMN meta.cycle_builds.cycle IS 'Reporting cycle, e.g. 2021-H1 (January-June) or 2021-H2 (January-December).';
COMMENT ON COLUMN meta.cycle_builds.built_from IS 'Fingerprint (24 hex digits) of what the cycle was built from: its inputs (marts.cycle_inputs: the 5W rows of its year, their findings and files, its year''s planning figures, the reference lists read whole), the pipeline''s code and the versions of the libraries the SQL and builders run on, the people-reached option (only RMRP activities or every row) and the cycle''s freeze.';
COMMENT ON COLUMN meta.cycle_builds.built_at IS 'When the cycle''s tables were last built (UTC).';

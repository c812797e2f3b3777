CREATE TABLE IF NOT EXISTS meta.publications (
    publication_id BIGINT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    run_id VARCHAR NOT NULL,
    dagster_run_ids VARCHAR[],
    warehouse VARCHAR NOT NULL,
    raw_folder VARCHAR,
    input_files STRUCT(source_file VARCHAR, sha256 VARCHAR)[],
    cycles VARCHAR[],
    checks_passed INTEGER NOT NULL,
    checks_failed INTEGER NOT NULL,
    table_rows MAP(VARCHAR, BIGINT)
);
COMMENT ON TABLE meta.publications IS 'Every publication of this warehouse file, oldest first: a run built a copy of the warehouse beside it and replaced the published file with it once its blocking checks passed (docs/operations.md). The row with the largest publication_id is the publication this file is.';
COMMENT ON COLUMN meta.publications.publication_id IS 'Number of the publication: 1 for the first build of the file, then one more at each publication.';
COMMENT ON COLUMN meta.publications.published_at IS 'When the build was recorded, just before it replaced the published file (UTC).';
COMMENT ON COLUMN meta.publications.run_id IS 'The run that built it: rmrp-<UTC time>-<pid> for `rmrp run`, else the Dagster run id (a run of the UI, the schedule or the sensor).';
COMMENT ON COLUMN meta.publications.dagster_run_ids IS 'The Dagster runs of the build (`rmrp run`: the ingest and each reporting cycle); empty when not known.';
COMMENT ON COLUMN meta.publications.warehouse IS 'The published file the build replaced, as an absolute path.';
COMMENT ON COLUMN meta.publications.raw_folder IS 'The raw folder the run read, when the run gave it.';
COMMENT ON COLUMN meta.publications.input_files IS 'The files of raw.source_files at publication: path relative to the raw folder and SHA-256 of its bytes (the version of each file the figures rest on).';
COMMENT ON COLUMN meta.publications.cycles IS 'Reporting cycles built by the run (YYYY-H1, YYYY-H2); empty for a run that built no cycle.';
COMMENT ON COLUMN meta.publications.checks_passed IS 'Asset checks of the run that passed.';
COMMENT ON COLUMN meta.publications.checks_failed IS 'Asset checks of the run that failed; a failed blocking check stops the publication, so these are warnings.';
COMMENT ON COLUMN meta.publications.table_rows IS 'Rows of every raw, staging, marts and meta table (meta.publications aside) and marts view (marts.fct_activities) in this publication: a reader can check it reads the whole publication.';

CREATE TABLE IF NOT EXISTS meta.cycle_freezes (
    cycle VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    frozen_inputs STRUCT(source_file VARCHAR, sha256 VARCHAR, platform VARCHAR, country_iso3 VARCHAR,
                         rows_loaded BIGINT, rows_rejected BIGINT)[]
);
COMMENT ON TABLE meta.cycle_freezes IS 'Every freeze and unfreeze of a reporting cycle (rmrp freeze / rmrp unfreeze, or the freeze_cycle_job and unfreeze_cycle_job in the UI), one row per event, never deleted: who, when and why. A cycle is frozen when its latest event is a freeze: runs then keep its published figures in every table filled cycle by cycle and list what the current data would change in meta.cycle_revisions. See docs/freeze.md.';
COMMENT ON COLUMN meta.cycle_freezes.cycle IS 'Reporting cycle: YYYY-H1 (January-June) or YYYY-H2 (January-December, cumulative).';
COMMENT ON COLUMN meta.cycle_freezes.action IS 'freeze or unfreeze.';
COMMENT ON COLUMN meta.cycle_freezes.reason IS 'Why, as the person gave it (e.g. mid-year report published).';
COMMENT ON COLUMN meta.cycle_freezes.changed_by IS 'Who: the --by name, else the login name of the account that ran the command or job.';
COMMENT ON COLUMN meta.cycle_freezes.changed_at IS 'When, UTC.';
COMMENT ON COLUMN meta.cycle_freezes.frozen_inputs IS 'freeze rows: the 5W files behind the cycle''s months when it was frozen, per file, platform and country (file path in the raw folder, SHA-256 of its bytes, 5W rows loaded and rejected): what meta.cycle_revisions.reasons compares the current files with. NULL on unfreeze rows.';

CREATE OR REPLACE TABLE meta.reconciliation (
    plan_year INTEGER,
    platform VARCHAR,
    sector VARCHAR,
    check_name VARCHAR,
    published_text VARCHAR,
    published_low DOUBLE,
    published_high DOUBLE,
    computed_low DOUBLE,
    computed_high DOUBLE,
    status VARCHAR,
    explanation VARCHAR
);
COMMENT ON TABLE meta.reconciliation IS 'Checks of published figures against each other: ratios recomputed from their published parts with interval arithmetic on the printed rounding, and regional figures against the sums of platforms (recorded with the reason they may differ).';
COMMENT ON COLUMN meta.reconciliation.plan_year IS 'Plan year.';
COMMENT ON COLUMN meta.reconciliation.platform IS 'Platform or Regional.';
COMMENT ON COLUMN meta.reconciliation.sector IS 'Sector or subsector.';
COMMENT ON COLUMN meta.reconciliation.check_name IS 'Which comparison: target_share_vs_parts, regional_vs_platforms_*, regional_level_requirements.';
COMMENT ON COLUMN meta.reconciliation.published_text IS 'The published figure checked, as printed.';
COMMENT ON COLUMN meta.reconciliation.published_low IS 'Lowest value the published rounding allows.';
COMMENT ON COLUMN meta.reconciliation.published_high IS 'Highest value the published rounding allows.';
COMMENT ON COLUMN meta.reconciliation.computed_low IS 'Lowest value of the figure recomputed from its parts.';
COMMENT ON COLUMN meta.reconciliation.computed_high IS 'Highest value recomputed from its parts.';
COMMENT ON COLUMN meta.reconciliation.status IS 'ok, inconsistent (flagged) or recorded (a known, explained difference).';
COMMENT ON COLUMN meta.reconciliation.explanation IS 'Why the figures agree or differ.';

CREATE OR REPLACE TABLE meta.reconciliation (
    plan_year INTEGER,
    platform VARCHAR,
    sector VARCHAR,
    country_iso3 VARCHAR,
    measure VARCHAR,
    check_name VARCHAR,
    published_text VARCHAR,
    published_low DOUBLE,
    published_high DOUBLE,
    computed_low DOUBLE,
    computed_high DOUBLE,
    status VARCHAR,
    explanation VARCHAR
);
COMMENT ON TABLE meta.reconciliation IS 'How the planning figures add up: published ratios recomputed from their published parts (interval arithmetic on the printed rounding), regional figures against the sums of platforms or countries, country figures against their admin1 rows, intersector against the sectors, submissions against published figures. Sums are only checks: every difference is recorded with its explanation, none replaces a figure.';
COMMENT ON COLUMN meta.reconciliation.plan_year IS 'Plan year.';
COMMENT ON COLUMN meta.reconciliation.platform IS 'Platform or Regional.';
COMMENT ON COLUMN meta.reconciliation.sector IS 'Sector or subsector.';
COMMENT ON COLUMN meta.reconciliation.country_iso3 IS 'Country of the check (country_vs_admin1_sum, intersector_vs_sectors); NULL otherwise.';
COMMENT ON COLUMN meta.reconciliation.measure IS 'Measure checked (people_in_need, people_targeted, requirements_usd, partners, target_share_of_pin, ...).';
COMMENT ON COLUMN meta.reconciliation.check_name IS 'Which comparison: target_share_vs_parts, regional_vs_platform_sum, regional_level_requirements, age_gender_shares_sum, share_of_total_pin_denominator, country_vs_admin1_sum, intersector_vs_sectors, regional_vs_country_sum, submissions_vs_published.';
COMMENT ON COLUMN meta.reconciliation.published_text IS 'The published figure checked, as printed (NULL for a figure of R4V''s tables, which is not printed).';
COMMENT ON COLUMN meta.reconciliation.published_low IS 'Lowest value the published rounding allows (the figure checked: published, or as given in R4V''s tables).';
COMMENT ON COLUMN meta.reconciliation.published_high IS 'Highest value the published rounding allows.';
COMMENT ON COLUMN meta.reconciliation.computed_low IS 'Lowest value of the figure recomputed from its parts.';
COMMENT ON COLUMN meta.reconciliation.computed_high IS 'Highest value recomputed from its parts.';
COMMENT ON COLUMN meta.reconciliation.status IS 'ok, inconsistent (flagged), recorded (a known, explained difference) or missing_parts (nothing to compare with).';
COMMENT ON COLUMN meta.reconciliation.explanation IS 'Why the figures agree or differ.';

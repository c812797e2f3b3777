CREATE TABLE IF NOT EXISTS marts.cycle_outputs (
    cycle VARCHAR NOT NULL,
    plan_year INTEGER NOT NULL,
    platform VARCHAR,
    country_iso3 VARCHAR,
    country VARCHAR,
    subsector VARCHAR,
    indicator_code VARCHAR,
    indicator VARCHAR,
    indicator_type VARCHAR,
    reported_unit VARCHAR NOT NULL,
    reported_value DOUBLE,
    persons_trained_or_reached BIGINT,
    quantity_output DOUBLE,
    report_rows INTEGER NOT NULL,
    months_with_reports INTEGER NOT NULL,
    first_month DATE NOT NULL,
    last_month DATE NOT NULL,
    pillar VARCHAR,
    sector VARCHAR GENERATED ALWAYS AS (subsector) VIRTUAL
);
COMMENT ON TABLE marts.cycle_outputs IS 'Outputs of a reporting cycle (2021-H1 = January-June, 2021-H2 = January-December) per country, subsector and indicator, for the indicators that do not count as people reached (marts.fct_activities.counts_as_reached = false): persons trained or reached (sum of total monthly) and quantity of output (sum), summed over the cycle''s months as R4V reports outputs. These are not people reached: never add them to marts.cycle_people_reached.';
COMMENT ON COLUMN marts.cycle_outputs.cycle IS 'Reporting cycle: YYYY-H1 (January-June) or YYYY-H2 (January-December, cumulative).';
COMMENT ON COLUMN marts.cycle_outputs.plan_year IS 'Year of the cycle; with indicator_code, the key of the indicator (codes change meaning across years).';
COMMENT ON COLUMN marts.cycle_outputs.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN marts.cycle_outputs.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN marts.cycle_outputs.country IS 'R4V country name (English).';
COMMENT ON COLUMN marts.cycle_outputs.subsector IS 'Sector or subsector: the canonical R4V name (English, 2023-2024 registry) of the 5W subsector through reference_data/sectors.csv (Multipurpose CBI, 2021, is Multipurpose Cash Assistance (MPC)).';
COMMENT ON COLUMN marts.cycle_outputs.indicator_code IS 'Indicator code of the cycle''s registry; NULL when the indicator is not in the registry (then one row per indicator text).';
COMMENT ON COLUMN marts.cycle_outputs.indicator IS 'Indicator text as reported (the first alphabetically when one code was written several ways).';
COMMENT ON COLUMN marts.cycle_outputs.indicator_type IS 'Indicator type from the registry (2021-2022: People, Other; 2023 on: Capacity Building, Mechanism/Advocacy, Infrastructure, Campaign, Other); NULL when not in the registry.';
COMMENT ON COLUMN marts.cycle_outputs.reported_unit IS 'What R4V reports for this indicator type: persons (Capacity Building and People indicators: persons trained or reached) or outputs (quantity of output: mechanisms, infrastructure, campaigns, other).';
COMMENT ON COLUMN marts.cycle_outputs.reported_value IS 'persons_trained_or_reached when reported_unit = persons, else quantity_output.';
COMMENT ON COLUMN marts.cycle_outputs.persons_trained_or_reached IS 'Sum of total monthly beneficiaries over the cycle''s months (persons trained or reached by the activities; a person trained twice counts twice); NULL when no row gives it.';
COMMENT ON COLUMN marts.cycle_outputs.quantity_output IS 'Sum of quantity of output over the cycle''s months (mechanisms, infrastructure, campaigns, activities, ...); NULL when no row gives it.';
COMMENT ON COLUMN marts.cycle_outputs.report_rows IS 'Number of loaded 5W rows summed.';
COMMENT ON COLUMN marts.cycle_outputs.months_with_reports IS 'Number of months of the cycle with at least one report of this country, subsector and indicator.';
COMMENT ON COLUMN marts.cycle_outputs.first_month IS 'First month of the cycle with a report of this country, subsector and indicator.';
COMMENT ON COLUMN marts.cycle_outputs.last_month IS 'Last month of the cycle with a report of this country, subsector and indicator.';
COMMENT ON COLUMN marts.cycle_outputs.pillar IS 'Trafficking & Smuggling subsector only: prevention, protection, prosecution or partnership, from staging.ref_trafficking_pillars by (plan_year, indicator_code); unmapped for a trafficking indicator not in that list; NULL for other subsectors.';
COMMENT ON COLUMN marts.cycle_outputs.sector IS 'Same as subsector, under the name marts.fct_activities and marts.sector_key_figures use for the canonical R4V sector or subsector (or Intersector); subsector stays for the queries that use it.';

CREATE TABLE IF NOT EXISTS marts.reporting_completeness (
    reporting_cycle VARCHAR NOT NULL,
    month DATE NOT NULL,
    platform VARCHAR,
    country_iso3 VARCHAR NOT NULL,
    country VARCHAR,
    subsector VARCHAR NOT NULL,
    appealing_org_key VARCHAR NOT NULL,
    appealing_org VARCHAR NOT NULL,
    appealing_org_id VARCHAR,
    reported BOOLEAN NOT NULL,
    rows_reported BIGINT NOT NULL,
    organisation_reports_expected BIGINT NOT NULL,
    organisation_reports_received BIGINT NOT NULL,
    organisation_report_share DOUBLE NOT NULL,
    cycle VARCHAR GENERATED ALWAYS AS (reporting_cycle) VIRTUAL,
    sector VARCHAR GENERATED ALWAYS AS (subsector) VIRTUAL
);
COMMENT ON TABLE marts.reporting_completeness IS 'Whether each appealing organisation reported, per reporting cycle, month, country and subsector, from the loaded 5W rows (marts.fct_activities, any indicator). A monthly report is expected for every (organisation, country, subsector) from the first month in which the organisation reported in it to the last month of the cycle with any loaded 5W data; one row per expected report.';
COMMENT ON COLUMN marts.reporting_completeness.reporting_cycle IS 'Reporting cycle (YYYY-H1 = January-June, YYYY-H2 = January-December); the partition that wrote the row.';
COMMENT ON COLUMN marts.reporting_completeness.month IS 'Month of the expected report (first day of the month).';
COMMENT ON COLUMN marts.reporting_completeness.platform IS 'R4V national or sub-regional platform.';
COMMENT ON COLUMN marts.reporting_completeness.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN marts.reporting_completeness.country IS 'R4V country name (English).';
COMMENT ON COLUMN marts.reporting_completeness.subsector IS 'Sector or subsector: the canonical R4V name (English, 2023-2024 registry) of the 5W subsector through reference_data/sectors.csv (Multipurpose CBI, 2021, is Multipurpose Cash Assistance (MPC)).';
COMMENT ON COLUMN marts.reporting_completeness.appealing_org_key IS 'The organisation as counted: its R4V id when the name is in the partner list, else its name as written.';
COMMENT ON COLUMN marts.reporting_completeness.appealing_org IS 'Appealing organisation name as written (the first in alphabetical order when one id has several spellings).';
COMMENT ON COLUMN marts.reporting_completeness.appealing_org_id IS 'R4V id of the appealing organisation (NULL when not in the list).';
COMMENT ON COLUMN marts.reporting_completeness.reported IS 'True when the organisation has at least one loaded 5W row for this month, country and subsector.';
COMMENT ON COLUMN marts.reporting_completeness.rows_reported IS 'Number of loaded 5W rows behind the report (0 when not reported).';
COMMENT ON COLUMN marts.reporting_completeness.organisation_reports_expected IS 'Monthly reports expected from the organisation in the cycle, over all its countries and subsectors (rows of this table for the organisation).';
COMMENT ON COLUMN marts.reporting_completeness.organisation_reports_received IS 'Of those, the reports received (reported = true).';
COMMENT ON COLUMN marts.reporting_completeness.organisation_report_share IS 'organisation_reports_received / organisation_reports_expected: the share of expected monthly reports received (a fraction, 0 to 1).';
COMMENT ON COLUMN marts.reporting_completeness.cycle IS 'Same as reporting_cycle, under the name the other cycle marts use (marts.cycle_people_reached.cycle); reporting_cycle stays for the queries that use it.';
COMMENT ON COLUMN marts.reporting_completeness.sector IS 'Same as subsector, under the name marts.fct_activities and marts.sector_key_figures use for the canonical R4V sector or subsector (or Intersector); subsector stays for the queries that use it.';

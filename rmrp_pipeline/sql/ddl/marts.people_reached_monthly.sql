CREATE TABLE IF NOT EXISTS marts.people_reached_monthly (
    platform VARCHAR NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    admin1 VARCHAR NOT NULL,
    month DATE NOT NULL,
    subsector VARCHAR NOT NULL,
    monthly_total DOUBLE NOT NULL,
    monthly_cva DOUBLE NOT NULL,
    consolidated_total DOUBLE NOT NULL,
    consolidated_cva DOUBLE NOT NULL,
    consolidated_in_destination DOUBLE NOT NULL,
    consolidated_in_transit DOUBLE NOT NULL,
    consolidated_host_community DOUBLE NOT NULL,
    consolidated_pendular DOUBLE NOT NULL,
    consolidated_returnees DOUBLE NOT NULL,
    consolidated_girls DOUBLE NOT NULL,
    consolidated_boys DOUBLE NOT NULL,
    consolidated_women DOUBLE NOT NULL,
    consolidated_men DOUBLE NOT NULL,
    consolidated_other_under_18 DOUBLE NOT NULL,
    consolidated_other_above_18 DOUBLE NOT NULL,
    intersector_model VARCHAR NOT NULL
);
COMMENT ON TABLE marts.people_reached_monthly IS 'People reached per country, month and subsector, plus an Intersector row per country and month, as R4V consolidates them (domain.md §3.4): only indicators that count as people reached in the cycle (2021: type Pin). Country level. A subsector with no report in a month keeps its consolidated figure (monthly total 0) up to the last reported month.';
COMMENT ON COLUMN marts.people_reached_monthly.platform IS 'R4V national or sub-regional platform.';
COMMENT ON COLUMN marts.people_reached_monthly.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN marts.people_reached_monthly.country IS 'R4V country name (English).';
COMMENT ON COLUMN marts.people_reached_monthly.admin1 IS 'Country level (this table is at country level).';
COMMENT ON COLUMN marts.people_reached_monthly.month IS 'Reporting month (first day of the month).';
COMMENT ON COLUMN marts.people_reached_monthly.subsector IS 'Sector or subsector as reported, or Intersector.';
COMMENT ON COLUMN marts.people_reached_monthly.monthly_total IS 'Sum of total monthly beneficiaries in the month, persons served (a volume: never sum it across months).';
COMMENT ON COLUMN marts.people_reached_monthly.monthly_cva IS 'Sum of total monthly beneficiaries of CVA activities in the month, persons served.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_total IS 'People reached without double counting from January to this month: sum of new beneficiaries, persons. Intersector: sum over subsectors (model in intersector_model).';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_cva IS 'Consolidated people reached by CVA activities (new beneficiaries where CVA = Yes), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_in_destination IS 'Consolidated people reached: refugees and migrants in destination, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_in_transit IS 'Consolidated people reached: refugees and migrants in transit, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_host_community IS 'Consolidated people reached: host communities, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_pendular IS 'Consolidated people reached: pendular refugees and migrants, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_returnees IS 'Consolidated people reached: Colombian returnees, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_girls IS 'Consolidated people reached: girls (women under 18), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_boys IS 'Consolidated people reached: boys (men under 18), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_women IS 'Consolidated people reached: women 18 and over, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_men IS 'Consolidated people reached: men 18 and over, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_other_under_18 IS 'Consolidated people reached: other gender under 18, persons (0 before 2022).';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_other_above_18 IS 'Consolidated people reached: other gender 18 and over, persons (0 before 2022).';
COMMENT ON COLUMN marts.people_reached_monthly.intersector_model IS 'How the Intersector consolidated figure is computed: sum (sum over subsectors) for now; subsector rows say subsector.';

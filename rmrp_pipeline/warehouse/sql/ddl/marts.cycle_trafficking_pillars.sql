CREATE TABLE IF NOT EXISTS marts.cycle_trafficking_pillars (
    cycle VARCHAR NOT NULL,
    plan_year INTEGER NOT NULL,
    platform VARCHAR,
    country_iso3 VARCHAR,
    country VARCHAR,
    subsector VARCHAR NOT NULL,
    pillar VARCHAR NOT NULL,
    output_indicator_codes VARCHAR,
    persons_trained_or_reached BIGINT,
    quantity_output DOUBLE,
    people_reached BIGINT,
    people_reached_indicator_codes VARCHAR,
    people_reached_is_complete BOOLEAN,
    sector VARCHAR GENERATED ALWAYS AS (subsector) VIRTUAL
);
COMMENT ON TABLE marts.cycle_trafficking_pillars IS 'The Trafficking & Smuggling subsector by pillar (4P: prevention, protection, prosecution, partnership) per reporting cycle and country: the outputs of marts.cycle_outputs summed per pillar, and under protection the people reached of the subsector from marts.cycle_people_reached (country level). Persons trained, outputs and people reached are different measures: never add them up.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.cycle IS 'Reporting cycle: YYYY-H1 (January-June) or YYYY-H2 (January-December, cumulative).';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.plan_year IS 'Year of the cycle.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.country IS 'R4V country name (English).';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.subsector IS 'The Trafficking & Smuggling subsector by its canonical R4V name, Protection (Human Trafficking and Smuggling) (the 2021 5W wrote Protection (Human Trafficking & Smuggling)).';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.pillar IS 'prevention, protection, prosecution or partnership (staging.ref_trafficking_pillars); unmapped for an output indicator not in that list.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.output_indicator_codes IS 'Codes of the output indicators (not counted as people reached) of this pillar with reports, comma-separated; NULL when none.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.persons_trained_or_reached IS 'Sum of marts.cycle_outputs.persons_trained_or_reached of the pillar''s output indicators (persons trained, summed over months); NULL when none.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.quantity_output IS 'Sum of marts.cycle_outputs.quantity_output of the pillar''s output indicators; NULL when none.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.people_reached IS 'protection row only: consolidated people reached of the subsector in the cycle (marts.cycle_people_reached, country level), persons without double counting; NULL on other pillars. It covers every people-reached indicator of the subsector (see people_reached_indicator_codes): in 2021 Peru''s national prevention indicator RE-PRHT2_PER is included.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.people_reached_indicator_codes IS 'protection row only: codes of the indicators counted as people reached behind people_reached, comma-separated.';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.people_reached_is_complete IS 'protection row only: marts.cycle_people_reached.is_complete (false when the cycle''s data stops before June or December).';
COMMENT ON COLUMN marts.cycle_trafficking_pillars.sector IS 'Same as subsector, under the name marts.fct_activities and marts.sector_key_figures use for the canonical R4V sector or subsector (or Intersector); subsector stays for the queries that use it.';

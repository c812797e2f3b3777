CREATE OR REPLACE TABLE marts.fct_planning_figures (
    plan_year INTEGER,
    level VARCHAR,
    platform VARCHAR,
    country VARCHAR,
    country_iso3 VARCHAR,
    admin1 VARCHAR,
    sector VARCHAR,
    population_type VARCHAR,
    age_gender VARCHAR,
    measure VARCHAR,
    value DOUBLE,
    value_low DOUBLE,
    value_high DOUBLE,
    unit VARCHAR,
    published_text VARCHAR,
    source_kind VARCHAR,
    organisation VARCHAR,
    organisation_id VARCHAR,
    organisation_key VARCHAR,
    indicator_code VARCHAR,
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT,
    source_column VARCHAR
);
COMMENT ON TABLE marts.fct_planning_figures IS 'Canonical planning figures from the three kinds of planning spreadsheet (PiN/target tables, activity submissions, published key figures), one row per figure cell as given, at the grain plan year x level x platform x country x admin1 x sector x population type x age/gender x measure (submissions: one row per activity). Higher-level figures are stored as given; sums are checks in meta.reconciliation. Never add rows of different levels or source kinds together.';
COMMENT ON COLUMN marts.fct_planning_figures.plan_year IS 'Plan year.';
COMMENT ON COLUMN marts.fct_planning_figures.level IS 'admin1, country, platform or regional.';
COMMENT ON COLUMN marts.fct_planning_figures.platform IS 'R4V platform, or Regional.';
COMMENT ON COLUMN marts.fct_planning_figures.country IS 'R4V country name (English); NULL at platform and regional level.';
COMMENT ON COLUMN marts.fct_planning_figures.country_iso3 IS 'ISO 3166-1 alpha-3 code; NULL at platform and regional level.';
COMMENT ON COLUMN marts.fct_planning_figures.admin1 IS 'Admin1 as written; NULL above admin1 level.';
COMMENT ON COLUMN marts.fct_planning_figures.sector IS 'R4V sector or subsector (English name), or Intersector.';
COMMENT ON COLUMN marts.fct_planning_figures.population_type IS 'all, in_destination, in_transit, host_community, pendular or returnees.';
COMMENT ON COLUMN marts.fct_planning_figures.age_gender IS 'all, girls, boys (under 18), women or men (18 and over).';
COMMENT ON COLUMN marts.fct_planning_figures.measure IS 'population_projection, people_in_need, people_targeted, requirements_usd, requirements_inkind_usd, requirements_cva_usd or partners.';
COMMENT ON COLUMN marts.fct_planning_figures.value IS 'The figure as given (never replaced by a sum), in the unit of the measure.';
COMMENT ON COLUMN marts.fct_planning_figures.value_low IS 'Lowest value the published rounding allows (= value for exact figures).';
COMMENT ON COLUMN marts.fct_planning_figures.value_high IS 'Highest value the published rounding allows (= value for exact figures).';
COMMENT ON COLUMN marts.fct_planning_figures.unit IS 'persons, usd or organisations.';
COMMENT ON COLUMN marts.fct_planning_figures.published_text IS 'The figure exactly as printed (published figures only).';
COMMENT ON COLUMN marts.fct_planning_figures.source_kind IS 'pin_target_table (R4V''s PiN/target tables), submission (one activity of an appealing organisation) or published (a published key figure).';
COMMENT ON COLUMN marts.fct_planning_figures.organisation IS 'Appealing organisation as written (submissions only).';
COMMENT ON COLUMN marts.fct_planning_figures.organisation_id IS 'R4V id of the organisation (submissions only; NULL when not in the list).';
COMMENT ON COLUMN marts.fct_planning_figures.organisation_key IS 'The organisation for counting partners: R4V id, else name:<normalised name> (submissions only).';
COMMENT ON COLUMN marts.fct_planning_figures.indicator_code IS 'Indicator code in the plan''s registry (submissions only).';
COMMENT ON COLUMN marts.fct_planning_figures.source_file IS 'Lineage: file of the figure.';
COMMENT ON COLUMN marts.fct_planning_figures.source_sheet IS 'Lineage: sheet.';
COMMENT ON COLUMN marts.fct_planning_figures.source_row IS 'Lineage: Excel row number.';
COMMENT ON COLUMN marts.fct_planning_figures.source_column IS 'Lineage: the canonical column of the figure (tables, submissions) or the published measure.';

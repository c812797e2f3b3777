CREATE OR REPLACE TABLE marts.sector_key_figures (
    plan_year INTEGER,
    platform VARCHAR,
    level VARCHAR,
    sector VARCHAR,
    people_in_need DOUBLE,
    people_in_need_text VARCHAR,
    people_in_need_source VARCHAR,
    people_targeted DOUBLE,
    people_targeted_text VARCHAR,
    people_targeted_source VARCHAR,
    target_share_of_pin DOUBLE,
    target_share_of_pin_text VARCHAR,
    target_share_of_pin_source VARCHAR,
    requirements_usd DOUBLE,
    requirements_usd_text VARCHAR,
    requirements_usd_source VARCHAR,
    partners DOUBLE,
    partners_text VARCHAR,
    partners_source VARCHAR
);
COMMENT ON TABLE marts.sector_key_figures IS 'Sector key figures by plan year and platform (and Regional): PiN, people targeted, target share of PiN, requirements in USD and partners, each with its published text and its source (published or computed).';
COMMENT ON COLUMN marts.sector_key_figures.plan_year IS 'Plan year.';
COMMENT ON COLUMN marts.sector_key_figures.platform IS 'R4V national or sub-regional platform, or Regional for the whole plan.';
COMMENT ON COLUMN marts.sector_key_figures.level IS 'platform or regional.';
COMMENT ON COLUMN marts.sector_key_figures.sector IS 'Sector or subsector (R4V English name).';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need IS 'People in need (PiN), persons.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_text IS 'People in need (PiN) exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_source IS 'published or computed.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted IS 'People targeted, persons.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_text IS 'People targeted exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_source IS 'published or computed.';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin IS 'People targeted as a share of PiN, a fraction (0.028 = 2.8%).';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin_text IS 'People targeted as a share of PiN exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin_source IS 'published or computed.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd IS 'Financial requirements, USD.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_text IS 'Financial requirements exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_source IS 'published or computed.';
COMMENT ON COLUMN marts.sector_key_figures.partners IS 'Number of RMRP appealing partners, appealing organisations.';
COMMENT ON COLUMN marts.sector_key_figures.partners_text IS 'Number of RMRP appealing partners exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.partners_source IS 'published or computed.';

CREATE OR REPLACE TABLE staging.stg_planning__published_figures (
    source_file VARCHAR,
    sheet VARCHAR,
    row_number BIGINT,
    "column" VARCHAR,
    cell VARCHAR,
    plan_year INTEGER,
    level VARCHAR,
    platform VARCHAR,
    sector VARCHAR,
    measure VARCHAR,
    age_gender VARCHAR,
    published_text VARCHAR,
    value DOUBLE,
    value_low DOUBLE,
    value_high DOUBLE,
    unit VARCHAR
);
COMMENT ON TABLE staging.stg_planning__published_figures IS 'Published planning figures, one row per figure cell, with the text exactly as printed and the interval of values its rounding allows.';
COMMENT ON COLUMN staging.stg_planning__published_figures.source_file IS 'File the figure comes from.';
COMMENT ON COLUMN staging.stg_planning__published_figures.sheet IS 'Sheet.';
COMMENT ON COLUMN staging.stg_planning__published_figures.row_number IS 'Excel row number.';
COMMENT ON COLUMN staging.stg_planning__published_figures."column" IS 'Column header.';
COMMENT ON COLUMN staging.stg_planning__published_figures.cell IS 'Cell reference (A1).';
COMMENT ON COLUMN staging.stg_planning__published_figures.plan_year IS 'Plan year (NULL: the whole multi-year plan).';
COMMENT ON COLUMN staging.stg_planning__published_figures.level IS 'platform or regional.';
COMMENT ON COLUMN staging.stg_planning__published_figures.platform IS 'R4V platform, or Regional.';
COMMENT ON COLUMN staging.stg_planning__published_figures.sector IS 'Sector or subsector.';
COMMENT ON COLUMN staging.stg_planning__published_figures.measure IS 'people_in_need, people_targeted, target_share_of_pin, requirements_usd, partners, or another published measure.';
COMMENT ON COLUMN staging.stg_planning__published_figures.age_gender IS 'women, men, girls, boys for age/gender shares, else NULL.';
COMMENT ON COLUMN staging.stg_planning__published_figures.published_text IS 'The figure exactly as printed.';
COMMENT ON COLUMN staging.stg_planning__published_figures.value IS 'The figure as a number: persons, USD, organisations, or a fraction for shares.';
COMMENT ON COLUMN staging.stg_planning__published_figures.value_low IS 'Lowest value the printed rounding allows.';
COMMENT ON COLUMN staging.stg_planning__published_figures.value_high IS 'Highest value the printed rounding allows.';
COMMENT ON COLUMN staging.stg_planning__published_figures.unit IS 'persons, usd, fraction, organisations or text.';

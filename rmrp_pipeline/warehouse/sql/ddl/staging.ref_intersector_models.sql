CREATE OR REPLACE TABLE staging.ref_intersector_models (
    platform VARCHAR NOT NULL,
    year_from INTEGER NOT NULL,
    year_to INTEGER,
    model VARCHAR NOT NULL,
    proportions VARCHAR,
    proportions_year INTEGER,
    note VARCHAR
);
COMMENT ON TABLE staging.ref_intersector_models IS 'How the Intersector row of people reached is consolidated, per R4V platform and range of years (docs/domain.md §3.4); a platform and year not listed uses sum. Loaded from rmrp_pipeline/reference_data/intersector_models.csv, checked, by the marts.people_reached_monthly asset, and read by staging.int_intersector__platform_year_model.';
COMMENT ON COLUMN staging.ref_intersector_models.platform IS 'R4V platform (English name, as in staging.ref_countries).';
COMMENT ON COLUMN staging.ref_intersector_models.year_from IS 'First year the model applies to.';
COMMENT ON COLUMN staging.ref_intersector_models.year_to IS 'Last year the model applies to; NULL: every later year.';
COMMENT ON COLUMN staging.ref_intersector_models.model IS 'sum, maxsector, maxsector_2021, maxagegender, southernconemodel or southernconemodel_2022 (marts.people_reached_monthly.intersector_model says what each computes).';
COMMENT ON COLUMN staging.ref_intersector_models.proportions IS 'pin or target: the age/gender shares (staging.ref_planning_proportions) that split the population types of the max group; NULL for the models that do not use them.';
COMMENT ON COLUMN staging.ref_intersector_models.proportions_year IS 'Plan year of the proportions table used; NULL without proportions.';
COMMENT ON COLUMN staging.ref_intersector_models.note IS 'Why the platform uses this model in these years, with the R4V script it reproduces.';

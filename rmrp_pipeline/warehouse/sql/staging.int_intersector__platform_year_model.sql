-- staging.int_intersector__platform_year_model: the Intersector model of each platform and year
-- with people reached, from the seed staging.ref_intersector_models (default sum). Scope: as
-- staging.int_people_reached__activities.
CREATE OR REPLACE VIEW staging.int_intersector__platform_year_model AS
SELECT DISTINCT r.platform, year(r.month) AS year,
       coalesce(c.model, 'sum') AS model, c.proportions, c.proportions_year
FROM staging.int_people_reached__sector_month r
LEFT JOIN staging.ref_intersector_models c
  ON c.platform = r.platform AND year(r.month) BETWEEN c.year_from AND coalesce(c.year_to, 9999);
COMMENT ON VIEW staging.int_intersector__platform_year_model IS 'The Intersector model of each platform and year with people reached: the row of staging.ref_intersector_models whose years cover it, else sum.';
COMMENT ON COLUMN staging.int_intersector__platform_year_model.platform IS 'R4V national or sub-regional platform.';
COMMENT ON COLUMN staging.int_intersector__platform_year_model.year IS 'Year of the months consolidated.';
COMMENT ON COLUMN staging.int_intersector__platform_year_model.model IS 'Intersector model (staging.ref_intersector_models.model); sum when none is configured.';
COMMENT ON COLUMN staging.int_intersector__platform_year_model.proportions IS 'pin or target: the age/gender shares the model splits population types by; NULL without.';
COMMENT ON COLUMN staging.int_intersector__platform_year_model.proportions_year IS 'Plan year of those shares; NULL without.';

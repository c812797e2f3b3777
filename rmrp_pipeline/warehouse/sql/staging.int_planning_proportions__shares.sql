-- staging.int_planning_proportions__shares: the age/gender shares of staging.ref_planning_proportions
-- in long form, one row per (country, admin1, subsector, basis, plan year, population type,
-- age/gender); the proportion Intersector models read them. The first row of a key in file order
-- wins when a proportions table repeats it.
CREATE OR REPLACE VIEW staging.int_planning_proportions__shares AS
SELECT country_iso3, admin1_key, sector, basis, plan_year,
       regexp_extract(cell, '^(.*)_(girls|boys|women|men)$', 1) AS population_type,
       regexp_extract(cell, '^(.*)_(girls|boys|women|men)$', 2) AS age_gender,
       share
FROM (
    SELECT DISTINCT ON (country_iso3, admin1_key, sector, basis, plan_year)
           country_iso3, name_key(admin1) AS admin1_key, sector, basis, plan_year,
           COLUMNS('^(in_destination|in_transit|host_community|pendular|returnees)_(girls|boys|women|men)$')
    FROM staging.ref_planning_proportions
    WHERE NOT coalesce(is_rejected, false)
    ORDER BY country_iso3, admin1_key, sector, basis, plan_year, source_file, source_sheet, source_row
) UNPIVOT INCLUDE NULLS (
    share FOR cell IN (COLUMNS('^(in_destination|in_transit|host_community|pendular|returnees)_(girls|boys|women|men)$'))
);
COMMENT ON VIEW staging.int_planning_proportions__shares IS 'The age/gender shares of PiN or target (staging.ref_planning_proportions) in long form: one row per country, admin1, subsector, basis, plan year, population type and age/gender; the first row of a key in file order when a table repeats it.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.admin1_key IS 'The admin1 (or country level) name as a matching key: lower case, no accents, single spaces (macro name_key).';
COMMENT ON COLUMN staging.int_planning_proportions__shares.sector IS 'Subsector by its canonical R4V name.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.basis IS 'pin or target: the table the shares come from.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.plan_year IS 'Plan year of the proportions table.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.population_type IS 'in_destination, in_transit, host_community, pendular or returnees.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.age_gender IS 'girls, boys, women or men.';
COMMENT ON COLUMN staging.int_planning_proportions__shares.share IS 'Share of the population type in this age/gender group (fraction); NULL when the table leaves it empty.';

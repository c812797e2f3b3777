-- staging.int_intersector__proportion_cells: the proportion models (maxsector with proportions and
-- the southern cone models, docs/domain.md §3.4) split each subsector of their max group into
-- population type x age/gender cells by the shares of staging.int_planning_proportions__shares,
-- every cell rounded as R's round() does (half to even, on doubles), as R4V's 2022-2023 scripts do.
-- The shares row is the (country, admin1, subsector) row, else the country's 'Country level' row
-- of the subsector (the PiN tables hold only that row for countries without admin1, and not every
-- subsector at every admin1). R4V's script joins on admin1 only; where it finds no row its cells
-- are NA: such a subsector is left out of the max and named in the Intersector row
-- (staging.int_people_reached__intersector.intersector_subsectors_without_proportions).
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__proportion_cells AS
WITH max_group AS (
    SELECT * FROM staging.int_people_reached__sector_month_filled
    WHERE proportions IS NOT NULL
      AND (model = 'maxsector' OR (model IN ('southernconemodel', 'southernconemodel_2022') AND southern_cone_part = 'max'))
),
share_keys AS (
    SELECT DISTINCT country_iso3, admin1_key, sector, basis, plan_year FROM staging.int_planning_proportions__shares
),
max_group_keyed AS (  -- which shares row each subsector uses: its admin1's, else its country's
    SELECT m.*,
           CASE WHEN k.admin1_key IS NOT NULL THEN k.admin1_key ELSE 'country level' END AS share_admin1_key
    FROM max_group m
    LEFT JOIN share_keys k
      ON k.country_iso3 = m.country_iso3 AND k.admin1_key = name_key(m.admin1)
     AND k.sector = m.subsector AND k.basis = m.proportions AND k.plan_year = m.proportions_year
)
SELECT p.platform, p.country_iso3, p.country, p.admin1, p.month, p.subsector, p.subsector_cva, p.population_type,
       p.persons, s.age_gender, s.share,
       CAST(round_even(CAST(p.persons AS DOUBLE) * s.share, 0) AS DECIMAL(38, 10)) AS cell
FROM (
    UNPIVOT (
        SELECT platform, country_iso3, country, admin1, month, subsector, new_cva AS subsector_cva,
               proportions, proportions_year, share_admin1_key, new_in_destination AS in_destination, new_in_transit AS in_transit,
               new_host_community AS host_community, new_pendular AS pendular, new_returnees AS returnees
        FROM max_group_keyed
    )
    ON in_destination, in_transit, host_community, pendular, returnees INTO NAME population_type VALUE persons
) p
LEFT JOIN staging.int_planning_proportions__shares s
  ON s.country_iso3 = p.country_iso3 AND s.admin1_key = p.share_admin1_key
 AND s.sector = p.subsector AND s.basis = p.proportions AND s.plan_year = p.proportions_year
 AND s.population_type = p.population_type;
COMMENT ON VIEW staging.int_intersector__proportion_cells IS 'The proportion Intersector models (maxsector with proportions, southernconemodel, southernconemodel_2022): each subsector of the max group, per admin1 and month, split into population type x age/gender cells by the PiN or target shares, rounded half to even as R4V''s scripts do. A population type without shares has one row with NULL age_gender, share and cell.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.subsector IS 'Subsector of the max group, by its canonical R4V name.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.subsector_cva IS 'New CVA beneficiaries of the subsector in the month (persons): the max group''s CVA is their max.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.population_type IS 'in_destination, in_transit, host_community, pendular or returnees.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.persons IS 'New beneficiaries of the subsector of this population type in the month (persons).';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.age_gender IS 'girls, boys, women or men; NULL when the subsector has no shares.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.share IS 'Share of the population type in this age/gender group (fraction); NULL without shares.';
COMMENT ON COLUMN staging.int_intersector__proportion_cells.cell IS 'persons x share rounded half to even (persons); NULL without shares.';

-- staging.int_intersector__proportion_max: the Intersector new beneficiaries of the max group of the
-- proportion models (maxsector with proportions; in the southern cone models, Shelter,
-- Humanitarian Transportation, WASH and Food Security): per admin1 and month, the max across
-- subsectors of each population type x age/gender cell (staging.int_intersector__proportion_cells),
-- then summed back to R4V's columns; Other under/above 18 are 0; CVA is the max across subsectors.
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__proportion_max AS
WITH cell_max AS (   -- per admin1 and month, the max across subsectors of each cell
    SELECT platform, country_iso3, country, admin1, month, population_type, age_gender, max(cell) AS cell
    FROM staging.int_intersector__proportion_cells WHERE cell IS NOT NULL
    GROUP BY ALL
),
totals AS (  -- back to R4V's columns: population types and age/gender as sums of the cells, Other = 0
    SELECT platform, country_iso3, country, admin1, month,
           coalesce(sum(cell), 0) AS new_total,
           coalesce(sum(cell) FILTER (WHERE population_type = 'in_destination'), 0) AS new_in_destination,
           coalesce(sum(cell) FILTER (WHERE population_type = 'in_transit'), 0) AS new_in_transit,
           coalesce(sum(cell) FILTER (WHERE population_type = 'host_community'), 0) AS new_host_community,
           coalesce(sum(cell) FILTER (WHERE population_type = 'pendular'), 0) AS new_pendular,
           coalesce(sum(cell) FILTER (WHERE population_type = 'returnees'), 0) AS new_returnees,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'girls'), 0) AS new_girls,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'boys'), 0) AS new_boys,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'women'), 0) AS new_women,
           coalesce(sum(cell) FILTER (WHERE age_gender = 'men'), 0) AS new_men,
           CAST(0 AS DECIMAL(38, 10)) AS new_other_under_18,
           CAST(0 AS DECIMAL(38, 10)) AS new_other_above_18
    FROM cell_max
    GROUP BY ALL
),
cva AS (  -- CVA of the max group: its max across subsectors
    SELECT platform, country_iso3, country, admin1, month, max(subsector_cva) AS new_cva
    FROM staging.int_intersector__proportion_cells
    GROUP BY ALL
)
SELECT t.*, x.new_cva FROM totals t
JOIN cva x USING (platform, country_iso3, country, admin1, month)
UNION ALL BY NAME
-- a max group with nothing in any cell still has its CVA maximum
SELECT x.* FROM cva x
ANTI JOIN totals t USING (platform, country_iso3, country, admin1, month);
COMMENT ON VIEW staging.int_intersector__proportion_max IS 'The max group of the proportion Intersector models (maxsector with proportions; Shelter, Humanitarian Transportation, WASH and Food Security in the southern cone models): per admin1 and month, the max across subsectors of each population type x age/gender cell, summed back to population types and age/gender (Other = 0); CVA is the max across subsectors. An admin1 and month with no cell has only new_cva.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__proportion_max.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_total IS 'Σ of the max cells: new beneficiaries (persons).';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_cva IS 'Max across the subsectors of the max group of their new CVA beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_in_destination IS 'Σ of the max cells: new beneficiaries in destination.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_in_transit IS 'Σ of the max cells: new beneficiaries in transit.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_host_community IS 'Σ of the max cells: new beneficiaries from host communities.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_pendular IS 'Σ of the max cells: new pendular beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_returnees IS 'Σ of the max cells: new returnee beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_girls IS 'Σ of the max cells: new beneficiaries: girls.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_boys IS 'Σ of the max cells: new beneficiaries: boys.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_women IS 'Σ of the max cells: new beneficiaries: women.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_men IS 'Σ of the max cells: new beneficiaries: men.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_other_under_18 IS '0: the proportions split population types into girls, boys, women and men only.';
COMMENT ON COLUMN staging.int_intersector__proportion_max.new_other_above_18 IS '0: the proportions split population types into girls, boys, women and men only.';

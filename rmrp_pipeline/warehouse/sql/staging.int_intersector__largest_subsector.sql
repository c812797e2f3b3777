-- staging.int_intersector__largest_subsector: the Intersector new beneficiaries of maxsector_2021 (r4v_app,
-- 2021): per admin1 and month, the whole row of the subsector with the most new beneficiaries
-- (ties: the first subsector by name, as R's which.max on sorted groups); CVA: the most CVA
-- beneficiaries of any subsector.
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__largest_subsector AS
SELECT * EXCLUDE (most_cva) REPLACE (most_cva AS new_cva)
FROM (
    SELECT platform, country_iso3, country, admin1, month, subsector, COLUMNS('^new_'),
           max(new_cva) OVER (PARTITION BY country_iso3, admin1, month) AS most_cva
    FROM staging.int_people_reached__sector_month_filled
    WHERE model = 'maxsector_2021'
    QUALIFY row_number() OVER (PARTITION BY country_iso3, admin1, month ORDER BY new_total DESC, subsector) = 1
);
COMMENT ON VIEW staging.int_intersector__largest_subsector IS 'Intersector model maxsector_2021 (R4V 2021): per admin1 and month, the row of the subsector with the most new beneficiaries (ties: the first by name); CVA is the most CVA beneficiaries of any subsector.';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.subsector IS 'The subsector with the most new beneficiaries in the admin1 and month.';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_total IS 'The new beneficiaries (persons) of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_cva IS 'The new beneficiaries of CVA activities of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_in_destination IS 'The new beneficiaries in destination of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_in_transit IS 'The new beneficiaries in transit of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_host_community IS 'The new beneficiaries from host communities of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_pendular IS 'The new pendular beneficiaries of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_returnees IS 'The new returnee beneficiaries of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_girls IS 'The new beneficiaries: girls of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_boys IS 'The new beneficiaries: boys of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_women IS 'The new beneficiaries: women of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_men IS 'The new beneficiaries: men of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_other_under_18 IS 'The new beneficiaries: other under 18 of the chosen subsector (new_cva: the most of any subsector).';
COMMENT ON COLUMN staging.int_intersector__largest_subsector.new_other_above_18 IS 'The new beneficiaries: other above 18 of the chosen subsector (new_cva: the most of any subsector).';

-- staging.int_people_reached__intersector: the Intersector row of every admin1 and month with a subsector row
-- (docs/domain.md §3.4 item 4): monthly totals are always Σ subsectors (a volume); new beneficiaries are
-- the sum of the parts of its platform's model (one staging.int_intersector__* view per model).
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_people_reached__intersector AS
WITH parts AS (
    SELECT platform, country_iso3, country, admin1, month, COLUMNS('^new_') FROM staging.int_intersector__sum_model
    UNION ALL BY NAME
    SELECT platform, country_iso3, country, admin1, month, COLUMNS('^new_') FROM staging.int_intersector__max_per_column
    UNION ALL BY NAME
    SELECT platform, country_iso3, country, admin1, month, COLUMNS('^new_') FROM staging.int_intersector__largest_subsector
    UNION ALL BY NAME
    SELECT platform, country_iso3, country, admin1, month, COLUMNS('^new_') FROM staging.int_intersector__proportion_max
    UNION ALL BY NAME
    SELECT platform, country_iso3, country, admin1, month, COLUMNS('^new_') FROM staging.int_intersector__southern_cone_added
),
new_people AS (
    SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
    FROM parts GROUP BY ALL
),
without_proportions AS (  -- subsectors of the max group with people but no shares: left out of the max
    SELECT platform, country_iso3, country, admin1, month,
           string_agg(DISTINCT subsector, '; ' ORDER BY subsector) AS intersector_subsectors_without_proportions
    FROM staging.int_intersector__proportion_cells
    WHERE share IS NULL AND persons <> 0
    GROUP BY ALL
),
intersector AS (
    SELECT f.platform, f.country_iso3, f.country, f.admin1, f.month, 'Intersector' AS subsector,
           sum(f.monthly_total) AS monthly_total, sum(f.monthly_cva) AS monthly_cva,
           any_value(f.model) AS intersector_model,
           CASE WHEN any_value(f.model) IN ('maxsector', 'southernconemodel', 'southernconemodel_2022')
                THEN any_value(f.proportions) || ' ' || any_value(f.proportions_year) END AS intersector_proportions
    FROM staging.int_people_reached__sector_month_filled f
    GROUP BY f.platform, f.country_iso3, f.country, f.admin1, f.month
),
intersector_rows AS (
    SELECT i.*,
           coalesce(COLUMNS(n.* EXCLUDE (platform, country_iso3, country, admin1, month)), 0),
           w.intersector_subsectors_without_proportions
    FROM intersector i
    LEFT JOIN new_people n USING (platform, country_iso3, country, admin1, month)
    LEFT JOIN without_proportions w USING (platform, country_iso3, country, admin1, month)
)
-- the total of maxsector without proportions is the sum of the population-type maxima, that of
-- maxagegender the sum of the age/gender maxima
SELECT * REPLACE (
    CASE WHEN intersector_model = 'maxsector' AND intersector_proportions IS NULL
              THEN new_in_destination + new_in_transit + new_host_community + new_pendular + new_returnees
         WHEN intersector_model = 'maxagegender'
              THEN new_girls + new_boys + new_women + new_men + new_other_under_18 + new_other_above_18
         ELSE new_total END AS new_total)
FROM intersector_rows;
COMMENT ON VIEW staging.int_people_reached__intersector IS 'The Intersector row of every admin1 and month with a subsector row, before cumulation: monthly totals are Σ subsectors (a volume); new beneficiaries are the sum of the parts of the platform''s Intersector model (staging.int_intersector__sum_model, __max_per_column, __largest_subsector, __proportion_max, __southern_cone_added).';
COMMENT ON COLUMN staging.int_people_reached__intersector.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_people_reached__intersector.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_people_reached__intersector.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_people_reached__intersector.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_people_reached__intersector.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_people_reached__intersector.subsector IS 'Intersector.';
COMMENT ON COLUMN staging.int_people_reached__intersector.monthly_total IS 'Σ total monthly beneficiaries of every subsector (a volume).';
COMMENT ON COLUMN staging.int_people_reached__intersector.monthly_cva IS 'Σ total monthly beneficiaries of every subsector''s CVA rows.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_total IS 'Intersector new beneficiaries (persons) of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_cva IS 'Intersector new beneficiaries of CVA activities of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_in_destination IS 'Intersector new beneficiaries in destination of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_in_transit IS 'Intersector new beneficiaries in transit of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_host_community IS 'Intersector new beneficiaries from host communities of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_pendular IS 'Intersector new pendular beneficiaries of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_returnees IS 'Intersector new returnee beneficiaries of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_girls IS 'Intersector new beneficiaries: girls of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_boys IS 'Intersector new beneficiaries: boys of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_women IS 'Intersector new beneficiaries: women of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_men IS 'Intersector new beneficiaries: men of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_other_under_18 IS 'Intersector new beneficiaries: other under 18 of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.new_other_above_18 IS 'Intersector new beneficiaries: other above 18 of the month, by the platform''s model.';
COMMENT ON COLUMN staging.int_people_reached__intersector.intersector_model IS 'Intersector model of the platform and year (staging.int_intersector__platform_year_model).';
COMMENT ON COLUMN staging.int_people_reached__intersector.intersector_proportions IS 'With a proportion model: the basis and plan year of the shares (e.g. pin 2022); else NULL.';
COMMENT ON COLUMN staging.int_people_reached__intersector.intersector_subsectors_without_proportions IS 'Subsectors of the max group with people but no age/gender shares, left out of the max, separated by ''; ''; NULL when none.';

-- staging.int_people_reached__admin1_month: people reached per admin1, month and subsector, Intersector
-- included, before cumulation: the subsector rows of staging.int_people_reached__sector_month_filled
-- and the Intersector rows of staging.int_people_reached__intersector. marts.people_reached_monthly
-- cumulates them over the months and adds the country, platform and regional levels.
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_people_reached__admin1_month AS
SELECT platform, country_iso3, country, admin1, month, subsector, monthly_total, monthly_cva, COLUMNS('^new_'),
       'subsector' AS intersector_model, CAST(NULL AS VARCHAR) AS intersector_proportions,
       CAST(NULL AS VARCHAR) AS intersector_subsectors_without_proportions
FROM staging.int_people_reached__sector_month_filled
UNION ALL BY NAME
SELECT * FROM staging.int_people_reached__intersector;
COMMENT ON VIEW staging.int_people_reached__admin1_month IS 'People reached per admin1, month and subsector, Intersector included, before cumulation: what marts.people_reached_monthly cumulates over the months (consolidated_*) and sums to country, platform and regional level.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.subsector IS 'Sector or subsector by its canonical R4V name; or Intersector.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.monthly_total IS 'Σ total monthly beneficiaries (a volume); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.monthly_cva IS 'Σ total monthly beneficiaries of CVA rows; 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_total IS 'New beneficiaries (persons) of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_cva IS 'New beneficiaries of CVA activities of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_in_destination IS 'New beneficiaries in destination of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_in_transit IS 'New beneficiaries in transit of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_host_community IS 'New beneficiaries from host communities of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_pendular IS 'New pendular beneficiaries of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_returnees IS 'New returnee beneficiaries of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_girls IS 'New beneficiaries: girls of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_boys IS 'New beneficiaries: boys of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_women IS 'New beneficiaries: women of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_men IS 'New beneficiaries: men of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_other_under_18 IS 'New beneficiaries: other under 18 of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.new_other_above_18 IS 'New beneficiaries: other above 18 of the month (Intersector: by the platform''s model); 0 in a month without a report.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.intersector_model IS 'subsector on subsector rows; on Intersector rows the Intersector model of the platform and year.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.intersector_proportions IS 'Intersector rows with a proportion model: the basis and plan year of the shares (e.g. pin 2022); else NULL.';
COMMENT ON COLUMN staging.int_people_reached__admin1_month.intersector_subsectors_without_proportions IS 'Intersector rows: subsectors of the max group with people but no age/gender shares, left out of the max; else NULL.';

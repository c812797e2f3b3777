CREATE TABLE IF NOT EXISTS staging.int_people_reached__sector_month_filled (
    platform VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    country VARCHAR,
    admin1 VARCHAR NOT NULL,
    month DATE NOT NULL,
    subsector VARCHAR,
    monthly_total DECIMAL(38, 10) NOT NULL,
    monthly_cva DECIMAL(38, 10) NOT NULL,
    new_total DECIMAL(38, 10) NOT NULL,
    new_cva DECIMAL(38, 10) NOT NULL,
    new_in_destination DECIMAL(38, 10) NOT NULL,
    new_in_transit DECIMAL(38, 10) NOT NULL,
    new_host_community DECIMAL(38, 10) NOT NULL,
    new_pendular DECIMAL(38, 10) NOT NULL,
    new_returnees DECIMAL(38, 10) NOT NULL,
    new_girls DECIMAL(38, 10) NOT NULL,
    new_boys DECIMAL(38, 10) NOT NULL,
    new_women DECIMAL(38, 10) NOT NULL,
    new_men DECIMAL(38, 10) NOT NULL,
    new_other_under_18 DECIMAL(38, 10) NOT NULL,
    new_other_above_18 DECIMAL(38, 10) NOT NULL,
    model VARCHAR NOT NULL,
    proportions VARCHAR,
    proportions_year INTEGER,
    southern_cone_part VARCHAR,
    southern_cone_2022_added_again BOOLEAN
);
COMMENT ON TABLE staging.int_people_reached__sector_month_filled IS 'Every admin1 x subsector series month by month, from its first reported month to the last month reported anywhere in its year, 0 in the months without a report (they carry the consolidated figure), with the Intersector model of its platform and year: what every Intersector model reads. An intermediate table (not a view) so that the Intersector models read it once: the marts.people_reached_monthly asset rewrites a year''s rows with the mart''s, from the same 5W rows (only_rmrp_activities included).';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.subsector IS 'Sector or subsector by its canonical R4V name.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.monthly_total IS 'Σ total monthly beneficiaries of the month (a volume); 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.monthly_cva IS 'Σ total monthly beneficiaries of the month''s CVA rows; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_total IS 'Σ new beneficiaries of the month (persons); 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_cva IS 'Σ new beneficiaries of the month''s CVA rows; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_in_destination IS 'Σ new beneficiaries in destination; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_in_transit IS 'Σ new beneficiaries in transit; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_host_community IS 'Σ new beneficiaries from host communities; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_pendular IS 'Σ new pendular beneficiaries; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_returnees IS 'Σ new returnee beneficiaries; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_girls IS 'Σ new beneficiaries: girls; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_boys IS 'Σ new beneficiaries: boys; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_women IS 'Σ new beneficiaries: women; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_men IS 'Σ new beneficiaries: men; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_other_under_18 IS 'Σ new beneficiaries: other under 18; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.new_other_above_18 IS 'Σ new beneficiaries: other above 18; 0 without a report.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.model IS 'Intersector model of the platform and year (staging.int_intersector__platform_year_model).';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.proportions IS 'pin or target: the age/gender shares of the model; NULL without.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.proportions_year IS 'Plan year of those shares; NULL without.';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.southern_cone_part IS 'The subsector''s part in the southern cone models: max (the max group: Shelter, Humanitarian Transportation, WASH, Food Security), sum (added as reported: Protection (General), MPC, and under southernconemodel Integration, Health, Education) or NULL (left out).';
COMMENT ON COLUMN staging.int_people_reached__sector_month_filled.southern_cone_2022_added_again IS 'southernconemodel_2022 only: true for Humanitarian Transportation, WASH and Food Security, which R4V''s 2022 script adds again after their max (counted twice).';

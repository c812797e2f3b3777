-- staging.int_people_reached__sector_month: people reached per admin1, month and subsector as
-- reported: the 5W rows of staging.int_people_reached__activities summed. Sums are exact (DECIMAL),
-- as the proportion cells of the Intersector models that read them (persons x shares) must be.
-- Scope: as staging.int_people_reached__activities.
CREATE OR REPLACE VIEW staging.int_people_reached__sector_month AS
SELECT
    platform, country_iso3, country, admin1, month, subsector,
    sum(CAST(coalesce(total_monthly, 0) AS DECIMAL(38, 10))) AS monthly_total,
    sum(CASE WHEN cva THEN CAST(coalesce(total_monthly, 0) AS DECIMAL(38, 10)) ELSE 0 END) AS monthly_cva,
    sum(CAST(coalesce(new_beneficiaries, 0) AS DECIMAL(38, 10))) AS new_total,
    sum(CASE WHEN cva THEN CAST(coalesce(new_beneficiaries, 0) AS DECIMAL(38, 10)) ELSE 0 END) AS new_cva,
    sum(CAST(coalesce(in_destination, 0) AS DECIMAL(38, 10))) AS new_in_destination,
    sum(CAST(coalesce(in_transit, 0) AS DECIMAL(38, 10))) AS new_in_transit,
    sum(CAST(coalesce(host_community, 0) AS DECIMAL(38, 10))) AS new_host_community,
    sum(CAST(coalesce(pendular, 0) AS DECIMAL(38, 10))) AS new_pendular,
    sum(CAST(coalesce(returnees, 0) AS DECIMAL(38, 10))) AS new_returnees,
    sum(CAST(coalesce(girls, 0) AS DECIMAL(38, 10))) AS new_girls,
    sum(CAST(coalesce(boys, 0) AS DECIMAL(38, 10))) AS new_boys,
    sum(CAST(coalesce(women, 0) AS DECIMAL(38, 10))) AS new_women,
    sum(CAST(coalesce(men, 0) AS DECIMAL(38, 10))) AS new_men,
    sum(CAST(coalesce(other_under_18, 0) AS DECIMAL(38, 10))) AS new_other_under_18,
    sum(CAST(coalesce(other_above_18, 0) AS DECIMAL(38, 10))) AS new_other_above_18
FROM staging.int_people_reached__activities
GROUP BY ALL;
COMMENT ON VIEW staging.int_people_reached__sector_month IS 'People reached per admin1, month and subsector as reported: the rows of staging.int_people_reached__activities summed (persons, exact decimals). Months without a report are not here (see staging.int_people_reached__sector_month_filled).';
COMMENT ON COLUMN staging.int_people_reached__sector_month.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_people_reached__sector_month.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.month IS 'Reporting month (first day of the month).';
COMMENT ON COLUMN staging.int_people_reached__sector_month.subsector IS 'Sector or subsector by its canonical R4V name.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.monthly_total IS 'Σ total monthly beneficiaries of the month (persons served, repeat clients included: a volume).';
COMMENT ON COLUMN staging.int_people_reached__sector_month.monthly_cva IS 'Σ total monthly beneficiaries of the month''s CVA rows.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_total IS 'Σ new beneficiaries of the month (persons).';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_cva IS 'Σ new beneficiaries of the month''s CVA rows.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_in_destination IS 'Σ new beneficiaries in destination.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_in_transit IS 'Σ new beneficiaries in transit.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_host_community IS 'Σ new beneficiaries from host communities.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_pendular IS 'Σ new pendular beneficiaries.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_returnees IS 'Σ new returnee beneficiaries.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_girls IS 'Σ new beneficiaries: girls.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_boys IS 'Σ new beneficiaries: boys.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_women IS 'Σ new beneficiaries: women.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_men IS 'Σ new beneficiaries: men.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_other_under_18 IS 'Σ new beneficiaries: other under 18.';
COMMENT ON COLUMN staging.int_people_reached__sector_month.new_other_above_18 IS 'Σ new beneficiaries: other above 18.';

-- staging.int_intersector__max_per_column: the Intersector new beneficiaries of maxagegender (2021) and of
-- maxsector without proportions (R4V's methodology note): per admin1 and month, the max across
-- subsectors of every column. The total is not this new_total but the sum of the population-type
-- maxima (maxsector) or of the age/gender maxima (maxagegender): staging.int_people_reached__intersector.
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__max_per_column AS
SELECT platform, country_iso3, country, admin1, month, max(COLUMNS('^new_'))
FROM staging.int_people_reached__sector_month_filled
WHERE model = 'maxagegender' OR (model = 'maxsector' AND proportions IS NULL)
GROUP BY ALL;
COMMENT ON VIEW staging.int_intersector__max_per_column IS 'Intersector models maxagegender (2021) and maxsector without proportions: per admin1 and month, the max across subsectors of each column. The Intersector total is then the sum of the population-type maxima (maxsector) or of the age/gender maxima (maxagegender), not new_total here.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__max_per_column.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_total IS 'Max across subsectors of the new beneficiaries (persons).';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_cva IS 'Max across subsectors of the new beneficiaries of CVA activities.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_in_destination IS 'Max across subsectors of the new beneficiaries in destination.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_in_transit IS 'Max across subsectors of the new beneficiaries in transit.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_host_community IS 'Max across subsectors of the new beneficiaries from host communities.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_pendular IS 'Max across subsectors of the new pendular beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_returnees IS 'Max across subsectors of the new returnee beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_girls IS 'Max across subsectors of the new beneficiaries: girls.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_boys IS 'Max across subsectors of the new beneficiaries: boys.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_women IS 'Max across subsectors of the new beneficiaries: women.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_men IS 'Max across subsectors of the new beneficiaries: men.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_other_under_18 IS 'Max across subsectors of the new beneficiaries: other under 18.';
COMMENT ON COLUMN staging.int_intersector__max_per_column.new_other_above_18 IS 'Max across subsectors of the new beneficiaries: other above 18.';

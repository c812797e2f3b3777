-- staging.int_intersector__sum_model: the Intersector new beneficiaries of the sum model (R4V's default):
-- per admin1 and month, Σ over subsectors of every column.
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__sum_model AS
SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
FROM staging.int_people_reached__sector_month_filled
WHERE model = 'sum'
GROUP BY ALL;
COMMENT ON VIEW staging.int_intersector__sum_model IS 'Intersector model sum (R4V''s default): per admin1 and month, the new beneficiaries of every subsector added up, column by column. Platforms and years of other models have no row.';
COMMENT ON COLUMN staging.int_intersector__sum_model.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__sum_model.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__sum_model.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__sum_model.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__sum_model.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_total IS 'Σ over subsectors of the new beneficiaries (persons).';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_cva IS 'Σ over subsectors of the new beneficiaries of CVA activities.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_in_destination IS 'Σ over subsectors of the new beneficiaries in destination.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_in_transit IS 'Σ over subsectors of the new beneficiaries in transit.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_host_community IS 'Σ over subsectors of the new beneficiaries from host communities.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_pendular IS 'Σ over subsectors of the new pendular beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_returnees IS 'Σ over subsectors of the new returnee beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_girls IS 'Σ over subsectors of the new beneficiaries: girls.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_boys IS 'Σ over subsectors of the new beneficiaries: boys.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_women IS 'Σ over subsectors of the new beneficiaries: women.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_men IS 'Σ over subsectors of the new beneficiaries: men.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_other_under_18 IS 'Σ over subsectors of the new beneficiaries: other under 18.';
COMMENT ON COLUMN staging.int_intersector__sum_model.new_other_above_18 IS 'Σ over subsectors of the new beneficiaries: other above 18.';

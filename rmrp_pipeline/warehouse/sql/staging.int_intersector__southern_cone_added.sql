-- staging.int_intersector__southern_cone_added: in the southern cone models, the subsectors added as reported
-- on top of the max group: Protection (General) and MPC, plus Integration, Health and Education
-- (southernconemodel, R4V 2023) or Humanitarian Transportation, WASH and Food Security again
-- (southernconemodel_2022, the script behind R4V's published 2022 Argentina figures).
-- Years: those built (the years of staging.int_people_reached__sector_month_filled).
CREATE OR REPLACE VIEW staging.int_intersector__southern_cone_added AS
SELECT platform, country_iso3, country, admin1, month, sum(COLUMNS('^new_'))
FROM staging.int_people_reached__sector_month_filled
WHERE model IN ('southernconemodel', 'southernconemodel_2022')
  AND (southern_cone_part = 'sum' OR southern_cone_2022_added_again)
GROUP BY ALL;
COMMENT ON VIEW staging.int_intersector__southern_cone_added IS 'Southern cone Intersector models: the subsectors added as reported on top of the max group (southern_cone_part = sum, and under southernconemodel_2022 Humanitarian Transportation, WASH and Food Security again), summed per admin1 and month.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.admin1 IS 'Admin1 as staging.int_people_reached__activities names it.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.month IS 'Month (first day of the month).';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_total IS 'Σ over the added subsectors of the new beneficiaries (persons).';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_cva IS 'Σ over the added subsectors of the new beneficiaries of CVA activities.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_in_destination IS 'Σ over the added subsectors of the new beneficiaries in destination.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_in_transit IS 'Σ over the added subsectors of the new beneficiaries in transit.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_host_community IS 'Σ over the added subsectors of the new beneficiaries from host communities.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_pendular IS 'Σ over the added subsectors of the new pendular beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_returnees IS 'Σ over the added subsectors of the new returnee beneficiaries.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_girls IS 'Σ over the added subsectors of the new beneficiaries: girls.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_boys IS 'Σ over the added subsectors of the new beneficiaries: boys.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_women IS 'Σ over the added subsectors of the new beneficiaries: women.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_men IS 'Σ over the added subsectors of the new beneficiaries: men.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_other_under_18 IS 'Σ over the added subsectors of the new beneficiaries: other under 18.';
COMMENT ON COLUMN staging.int_intersector__southern_cone_added.new_other_above_18 IS 'Σ over the added subsectors of the new beneficiaries: other above 18.';

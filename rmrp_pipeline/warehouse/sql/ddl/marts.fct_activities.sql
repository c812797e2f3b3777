-- marts.fct_activities: the loaded 5W rows, a view of the staged rows that are not rejected (a copy
-- of a million rows cost more than the rest of the marts together; a view reads the same rows).
CREATE OR REPLACE VIEW marts.fct_activities AS
SELECT * EXCLUDE (is_rejected)
FROM staging.stg_5w__activities
WHERE NOT is_rejected;
COMMENT ON VIEW marts.fct_activities IS 'One row per loaded monthly 5W activity report row (rejected rows excluded), all templates in canonical columns. Counts in persons; never sum total_monthly across months. A view of staging.stg_5w__activities (its rows not rejected): read like a table.';
COMMENT ON COLUMN marts.fct_activities.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN marts.fct_activities.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN marts.fct_activities.source_row IS 'Excel row number of the row (1-based, header included).';
COMMENT ON COLUMN marts.fct_activities.template_id IS '5W template version the file was recognised as.';
COMMENT ON COLUMN marts.fct_activities.month IS 'Reporting month (first day of the month).';
COMMENT ON COLUMN marts.fct_activities.country_raw IS 'Country as written by the partner.';
COMMENT ON COLUMN marts.fct_activities.country IS 'R4V country name (English).';
COMMENT ON COLUMN marts.fct_activities.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN marts.fct_activities.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN marts.fct_activities.admin1 IS 'First administrative level (department, state, province) as reported.';
COMMENT ON COLUMN marts.fct_activities.admin1_listed IS 'The admin1 as R4V''s admin1 list of the reporting year spells it, where the reported name is in it (case, accents and spaces ignored: MENDOZA and Cordoba are Mendoza and Córdoba); NULL where it is not (finding admin1_not_in_list). People reached is consolidated by this name.';
COMMENT ON COLUMN marts.fct_activities.admin2 IS 'Second administrative level (municipality) as reported, from 2022 on (NULL in 2021).';
COMMENT ON COLUMN marts.fct_activities.appealing_org IS 'Appealing organisation (plans and reports under the RMRP), as reported.';
COMMENT ON COLUMN marts.fct_activities.appealing_org_id IS 'R4V id of the appealing organisation (ORGnnn); NULL if not in the partner list.';
COMMENT ON COLUMN marts.fct_activities.implementation IS 'Implementation set-up: TRUE when an implementing partner carries out the activity.';
COMMENT ON COLUMN marts.fct_activities.implementing_partner IS 'Implementing partner, as reported.';
COMMENT ON COLUMN marts.fct_activities.implementing_partner_id IS 'R4V id of the implementing partner (IPnnn); NULL if not in the list.';
COMMENT ON COLUMN marts.fct_activities.subsector IS 'Sector or subsector as reported (e.g. Protection (Human Trafficking & Smuggling)).';
COMMENT ON COLUMN marts.fct_activities.sector IS 'The subsector''s canonical R4V name (English, as in the 2023-2024 indicator registry) through the aliases of rmrp_pipeline/reference_data/sectors.csv across cycles and languages (Multipurpose CBI and Transferencias Monetarias Multipropósito (MPC) are Multipurpose Cash Assistance (MPC)); NULL when the name is not an R4V sector. People reached is consolidated by this name.';
COMMENT ON COLUMN marts.fct_activities.indicator IS 'Indicator text as reported.';
COMMENT ON COLUMN marts.fct_activities.indicator_code IS 'Indicator code in the cycle registry (codes are reused across cycles).';
COMMENT ON COLUMN marts.fct_activities.indicator_type IS 'Indicator type in the cycle registry (2021: Pin / People / Other).';
COMMENT ON COLUMN marts.fct_activities.counts_as_reached IS 'TRUE when the indicator counts toward people reached in its cycle (2021: type Pin).';
COMMENT ON COLUMN marts.fct_activities.activity_name IS 'Activity name (free text), personal data masked ([e-mail], [ID number], [phone], [name]; finding personal_data_in_free_text): the text as written stays in the raw file only (docs/data-protection.md).';
COMMENT ON COLUMN marts.fct_activities.activity_description IS 'Activity description (free text), personal data masked as in activity_name; the screening misses some (docs/data-protection.md): never copy it into reports.';
COMMENT ON COLUMN marts.fct_activities.covid19 IS 'COVID-19 situation flag (2021-2022 templates).';
COMMENT ON COLUMN marts.fct_activities.rmrp_activity IS 'TRUE when the activity is part of the RMRP.';
COMMENT ON COLUMN marts.fct_activities.support_space_activity IS 'Support Space activity flag (2021 template).';
COMMENT ON COLUMN marts.fct_activities.cva IS 'Cash and voucher assistance: TRUE when the activity is CVA.';
COMMENT ON COLUMN marts.fct_activities.value_usd IS 'Value of the transfers, USD, to the cent.';
COMMENT ON COLUMN marts.fct_activities.delivery_mechanism IS 'CVA delivery mechanism.';
COMMENT ON COLUMN marts.fct_activities.quantity_output IS 'Quantity of output (for indicators that do not count persons).';
COMMENT ON COLUMN marts.fct_activities.total_monthly IS 'Total monthly beneficiaries, persons served in the month (repeat clients included).';
COMMENT ON COLUMN marts.fct_activities.new_beneficiaries IS 'New beneficiaries of the month, persons not reached before in the year: the basis of consolidated figures.';
COMMENT ON COLUMN marts.fct_activities.in_destination IS 'New beneficiaries: refugees and migrants in destination, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.in_transit IS 'New beneficiaries: refugees and migrants in transit, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.host_community IS 'New beneficiaries: host communities, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.pendular IS 'New beneficiaries: pendular refugees and migrants, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.returnees IS 'New beneficiaries: Colombian returnees, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.girls IS 'New beneficiaries: women under 18 (girls), persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.boys IS 'New beneficiaries: men under 18 (boys), persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.women IS 'New beneficiaries: women 18 and over, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.men IS 'New beneficiaries: men 18 and over, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole).';
COMMENT ON COLUMN marts.fct_activities.other_under_18 IS 'New beneficiaries: other gender under 18, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole) (NULL before 2022).';
COMMENT ON COLUMN marts.fct_activities.other_above_18 IS 'New beneficiaries: other gender 18 and over, persons (whole persons: a fractional cell, as in R4V''s 2021 apportioned breakdowns, is rounded within its breakdown by largest remainder; the cell as written is the value of its finding breakdown_not_whole) (NULL before 2022).';

-- staging.int_people_reached__activities: the 5W rows that count as people reached, with the
-- subsector and admin1 names the people-reached tables use. First step of
-- marts.people_reached_monthly (docs/domain.md §3.4); the steps are views, each readable on its own.
-- Intermediate views live in the staging schema with an int_ prefix rather than in a schema of
-- their own: they are derived from marts and seeds, never a source, and there analysts find them
-- with the other staging tables in meta.data_dictionary, while the warehouse keeps its four layers
-- (raw, staging, marts, meta).
-- Scope: the DuckDB variables cycle_start, cycle_end (DATE, end exclusive) and only_rmrp_activities
-- (BOOLEAN), set by people_reached.build_people_reached for one year; unset (a plain shell), every
-- month and every row. Every step works year by year, so a year reads the same either way.
CREATE OR REPLACE VIEW staging.int_people_reached__activities AS
WITH counted AS (
    SELECT source_file, source_sheet, source_row, platform, country_iso3, country,
           -- admin1: the admin1 list's spelling where the name is in it
           coalesce(admin1_listed, trim(admin1), 'Admin1 not reported') AS admin1, admin1_listed, month,
           -- subsector: the canonical R4V name (staging.ref_sectors, through the staging's sector), so
           -- that 'Multipurpose CBI' (2021) and 'Transferencias Monetarias Multipropósito (MPC)' are one
           coalesce(sector, subsector) AS subsector,
           cva, total_monthly, new_beneficiaries, in_destination, in_transit, host_community, pendular, returnees,
           girls, boys, women, men, other_under_18, other_above_18
    FROM marts.fct_activities
    WHERE counts_as_reached
      AND month >= coalesce(getvariable('cycle_start'), DATE '0001-01-01')
      AND month < coalesce(getvariable('cycle_end'), DATE '9999-12-31')
      AND (NOT coalesce(getvariable('only_rmrp_activities'), false) OR coalesce(rmrp_activity, false))
),
-- names not in the list: one series per name whatever its case, accents and spaces, as the list is
-- matched; it is named by the list's spelling if any row of the year has it, else the first in order.
-- Worked out on the distinct spellings of a country and year (a few thousand), not on every row.
spellings AS (
    SELECT DISTINCT year(month) AS year, country_iso3, admin1, admin1_listed IS NULL AS unlisted
    FROM counted
),
named AS (
    SELECT DISTINCT year, country_iso3, admin1, first_value(admin1) OVER (
               PARTITION BY year, country_iso3, name_key(admin1) ORDER BY unlisted, admin1) AS named_admin1
    FROM spellings
)
SELECT c.* EXCLUDE (admin1_listed) REPLACE (n.named_admin1 AS admin1)
FROM counted c
JOIN named n ON n.year = year(c.month) AND n.country_iso3 IS NOT DISTINCT FROM c.country_iso3 AND n.admin1 = c.admin1;
COMMENT ON VIEW staging.int_people_reached__activities IS 'The 5W rows of marts.fct_activities that count as people reached (counts_as_reached), one row each, with the subsector by its canonical R4V name and one admin1 name per place and year: the first step of marts.people_reached_monthly. Scope: the variables cycle_start, cycle_end, only_rmrp_activities when set (SET VARIABLE), else every month and row.';
COMMENT ON COLUMN staging.int_people_reached__activities.source_file IS 'Lineage: file the 5W row comes from (relative to the raw folder).';
COMMENT ON COLUMN staging.int_people_reached__activities.source_sheet IS 'Lineage: sheet the row comes from.';
COMMENT ON COLUMN staging.int_people_reached__activities.source_row IS 'Lineage: Excel row number (1-based, header included).';
COMMENT ON COLUMN staging.int_people_reached__activities.platform IS 'R4V national or sub-regional platform of the country.';
COMMENT ON COLUMN staging.int_people_reached__activities.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.int_people_reached__activities.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.int_people_reached__activities.admin1 IS 'Admin1 as people reached are consolidated: the admin1 list''s spelling where the name is listed; other names grouped by their case-, accent- and space-free key within the country and year, named by the first spelling in order; Admin1 not reported when empty.';
COMMENT ON COLUMN staging.int_people_reached__activities.month IS 'Reporting month (first day of the month).';
COMMENT ON COLUMN staging.int_people_reached__activities.subsector IS 'Sector or subsector by its canonical R4V name (marts.fct_activities.sector), else as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.cva IS 'Whether the activity is cash and voucher assistance (CVA).';
COMMENT ON COLUMN staging.int_people_reached__activities.total_monthly IS 'Total beneficiaries of the month (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.new_beneficiaries IS 'New beneficiaries of the month (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.in_destination IS 'New beneficiaries in destination (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.in_transit IS 'New beneficiaries in transit (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.host_community IS 'New beneficiaries from host communities (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.pendular IS 'New pendular beneficiaries (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.returnees IS 'New returnee beneficiaries (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.girls IS 'New beneficiaries: girls (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.boys IS 'New beneficiaries: boys (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.women IS 'New beneficiaries: women (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.men IS 'New beneficiaries: men (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.other_under_18 IS 'New beneficiaries: other under 18 (persons), as reported.';
COMMENT ON COLUMN staging.int_people_reached__activities.other_above_18 IS 'New beneficiaries: other above 18 (persons), as reported.';

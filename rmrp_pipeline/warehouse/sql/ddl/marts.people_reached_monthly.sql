CREATE TABLE IF NOT EXISTS marts.people_reached_monthly (
    platform VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    country VARCHAR,
    admin1 VARCHAR NOT NULL,
    month DATE NOT NULL,
    subsector VARCHAR NOT NULL,
    monthly_total BIGINT NOT NULL,
    monthly_cva BIGINT NOT NULL,
    consolidated_total BIGINT NOT NULL,
    consolidated_cva BIGINT NOT NULL,
    consolidated_in_destination BIGINT NOT NULL,
    consolidated_in_transit BIGINT NOT NULL,
    consolidated_host_community BIGINT NOT NULL,
    consolidated_pendular BIGINT NOT NULL,
    consolidated_returnees BIGINT NOT NULL,
    consolidated_girls BIGINT NOT NULL,
    consolidated_boys BIGINT NOT NULL,
    consolidated_women BIGINT NOT NULL,
    consolidated_men BIGINT NOT NULL,
    consolidated_other_under_18 BIGINT NOT NULL,
    consolidated_other_above_18 BIGINT NOT NULL,
    intersector_model VARCHAR NOT NULL,
    intersector_proportions VARCHAR,
    intersector_subsectors_without_proportions VARCHAR,
    only_rmrp_activities BOOLEAN NOT NULL,
    level VARCHAR NOT NULL,
    check_population_type_breakdown BOOLEAN NOT NULL,
    check_age_gender_breakdown BOOLEAN NOT NULL,
    check_cva_not_above_total BOOLEAN NOT NULL,
    sector VARCHAR GENERATED ALWAYS AS (subsector) VIRTUAL
);
COMMENT ON TABLE marts.people_reached_monthly IS 'People reached per month and subsector, plus Intersector, at every level R4V reports (docs/domain.md §3.4), as R4V consolidates them: only indicators that count as people reached in the cycle (2021: type Pin). level says which: admin1 (as reported), country (admin1 = Country level, the sum of its admin1 rows), platform (admin1 = Platform level, country NULL: the sum of its countries) and regional (platform = Regional, admin1 = Regional level, country NULL: the sum of all countries; in-transit people may be counted in several countries). Countries without admin1 in R4V''s script (Aruba, Curaçao, Costa Rica, Dominican Republic, Trinidad and Tobago, Guyana, Mexico, Panama) have only Country level rows. Never add up rows of different levels. A subsector with no report in a month keeps its consolidated figure (monthly total 0) up to the last reported month of the cycle.';
COMMENT ON COLUMN marts.people_reached_monthly.platform IS 'R4V national or sub-regional platform; Regional on regional rows.';
COMMENT ON COLUMN marts.people_reached_monthly.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country; NULL on platform and regional rows.';
COMMENT ON COLUMN marts.people_reached_monthly.country IS 'R4V country name (English); NULL on platform and regional rows.';
COMMENT ON COLUMN marts.people_reached_monthly.admin1 IS 'Admin1 as reported on admin1 rows (Admin1 not reported when the 5W cell is empty); Country level, Platform level or Regional level on the aggregate rows (same value as level, in R4V''s wording).';
COMMENT ON COLUMN marts.people_reached_monthly.month IS 'Reporting month (first day of the month).';
COMMENT ON COLUMN marts.people_reached_monthly.subsector IS 'Sector or subsector: the canonical R4V name (English, 2023-2024 registry) of the 5W subsector through reference_data/sectors.csv (Multipurpose CBI, 2021, is Multipurpose Cash Assistance (MPC)); or Intersector.';
COMMENT ON COLUMN marts.people_reached_monthly.monthly_total IS 'Sum of total monthly beneficiaries in the month, persons served (a volume: never sum it across months).';
COMMENT ON COLUMN marts.people_reached_monthly.monthly_cva IS 'Sum of total monthly beneficiaries of CVA activities in the month, persons served.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_total IS 'People reached without double counting from January to this month: sum of new beneficiaries, persons. Intersector: by the model in intersector_model at admin1, then summed up the levels.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_cva IS 'Consolidated people reached by CVA activities (new beneficiaries where CVA = Yes), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_in_destination IS 'Consolidated people reached: refugees and migrants in destination, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_in_transit IS 'Consolidated people reached: refugees and migrants in transit, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_host_community IS 'Consolidated people reached: host communities, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_pendular IS 'Consolidated people reached: pendular refugees and migrants, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_returnees IS 'Consolidated people reached: Colombian returnees, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_girls IS 'Consolidated people reached: girls (women under 18), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_boys IS 'Consolidated people reached: boys (men under 18), persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_women IS 'Consolidated people reached: women 18 and over, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_men IS 'Consolidated people reached: men 18 and over, persons.';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_other_under_18 IS 'Consolidated people reached: other gender under 18, persons (0 before 2022).';
COMMENT ON COLUMN marts.people_reached_monthly.consolidated_other_above_18 IS 'Consolidated people reached: other gender 18 and over, persons (0 before 2022).';
COMMENT ON COLUMN marts.people_reached_monthly.intersector_model IS 'How the Intersector row is consolidated at admin1 (then summed to country, platform, region), chosen per platform and year in rmrp_pipeline/reference_data/intersector_models.csv, default sum, as R4V''s scripts do it: sum (Σ subsectors); maxsector (with proportions, R4V 2022-2023: each subsector''s population types split into girls, boys, women and men by the shares in intersector_proportions, the max across subsectors of each cell, then summed, Other = 0; without: the max of each population type, total = their sum); maxsector_2021 (the whole row of the subsector with most new beneficiaries); maxagegender (max of each age/gender cell, total = their sum); southernconemodel (R4V 2023: the maxsector cells over Shelter, Humanitarian Transportation, WASH, Food Security + Protection (General) + Σ MPC, Integration, Health, Education); southernconemodel_2022 (R4V''s 2022 script, behind its published Argentina figures: its last step adds MPC, Humanitarian Transportation, WASH and Food Security instead, counting the last three twice); mixed on a country, platform or regional Intersector row whose parts use different models; subsector on subsector rows. Monthly totals are always Σ subsectors (a volume). Per-model details: rmrp_pipeline/marts/people_reached.py.';
COMMENT ON COLUMN marts.people_reached_monthly.intersector_proportions IS 'Intersector rows of the proportion models: whose age/gender shares split the population types (pin or target) and their plan year, e.g. pin 2022 (staging.ref_planning_proportions: the admin1''s row of the subsector, else the country''s Country level row); mixed when the rows summed use different ones; NULL otherwise.';
COMMENT ON COLUMN marts.people_reached_monthly.intersector_subsectors_without_proportions IS 'Intersector rows of the proportion models: the subsectors whose people could not be split because no share exists for their country, admin1 and subsector (nor at Country level); their people are left out of the max, so the Intersector figure may be low; several are separated by a semicolon. NULL when none (the figure is complete).';
COMMENT ON COLUMN marts.people_reached_monthly.level IS 'admin1, country, platform or regional: the level of the row. Each level is the sum of the level below (countries without admin1 have no admin1 rows).';
COMMENT ON COLUMN marts.people_reached_monthly.check_population_type_breakdown IS 'R4V''s check Check PopType Breakdown (docs/domain.md §3.4 item 8): true when consolidated_total equals the sum of the five consolidated population types within half a person (R4V''s tolerance, set for its 2021 apportioned breakdowns).';
COMMENT ON COLUMN marts.people_reached_monthly.check_age_gender_breakdown IS 'R4V''s check Check AGD Breakdown: true when consolidated_total equals the sum of the six consolidated age/gender cells within half a person.';
COMMENT ON COLUMN marts.people_reached_monthly.check_cva_not_above_total IS 'R4V''s check Check CVA higher Total: true when consolidated_cva is not above consolidated_total.';
COMMENT ON COLUMN marts.people_reached_monthly.only_rmrp_activities IS 'TRUE when only 5W rows with RMRP Activity = Yes were counted (R4V''s per-organisation script, to match its public Activity Explorer; rmrp run --only-rmrp-activities); FALSE when every row of a people-reached indicator was, as R4V''s country scripts do (the default).';
COMMENT ON COLUMN marts.people_reached_monthly.sector IS 'Same as subsector, under the name marts.fct_activities and marts.sector_key_figures use for the canonical R4V sector or subsector (or Intersector); subsector stays for the queries that use it.';

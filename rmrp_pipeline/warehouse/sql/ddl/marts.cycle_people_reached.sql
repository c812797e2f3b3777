CREATE TABLE IF NOT EXISTS marts.cycle_people_reached (
    cycle VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    platform VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    country VARCHAR,
    admin1 VARCHAR NOT NULL,
    subsector VARCHAR NOT NULL,
    intersector_model VARCHAR NOT NULL,
    intersector_subsectors_without_proportions VARCHAR,
    only_rmrp_activities BOOLEAN NOT NULL,
    cycle_end_month DATE NOT NULL,
    last_month_with_data DATE NOT NULL,
    months_with_reports INTEGER NOT NULL,
    is_complete BOOLEAN NOT NULL,
    consolidated_total BIGINT NOT NULL,
    consolidated_cva BIGINT NOT NULL,
    plan_year INTEGER NOT NULL,
    people_targeted BIGINT,
    people_in_need BIGINT,
    share_of_target DOUBLE,
    share_of_pin DOUBLE,
    flagged_share DOUBLE,
    outlier_share DOUBLE,
    share_note VARCHAR,
    sector VARCHAR GENERATED ALWAYS AS (subsector) VIRTUAL
);
COMMENT ON TABLE marts.cycle_people_reached IS 'People reached in a reporting cycle (2021-H1 = January-June, mid-year report; 2021-H2 = January-December, end-year report) per level, place and subsector: the consolidated figure of marts.people_reached_monthly at the last month of the cycle with data, beside the plan year''s target and PiN from marts.fct_planning_figures where R4V published them for that level, place and sector. Never add up rows of different levels.';
COMMENT ON COLUMN marts.cycle_people_reached.cycle IS 'Reporting cycle: YYYY-H1 (January-June) or YYYY-H2 (January-December, cumulative).';
COMMENT ON COLUMN marts.cycle_people_reached.level IS 'admin1, country, platform or regional (as in marts.people_reached_monthly).';
COMMENT ON COLUMN marts.cycle_people_reached.platform IS 'R4V national or sub-regional platform; Regional on regional rows.';
COMMENT ON COLUMN marts.cycle_people_reached.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country; NULL on platform and regional rows.';
COMMENT ON COLUMN marts.cycle_people_reached.country IS 'R4V country name (English); NULL on platform and regional rows.';
COMMENT ON COLUMN marts.cycle_people_reached.admin1 IS 'Admin1 as reported, or Country level, Platform level, Regional level.';
COMMENT ON COLUMN marts.cycle_people_reached.subsector IS 'Sector or subsector: the canonical R4V name (English, 2023-2024 registry) of the 5W subsector through reference_data/sectors.csv (Multipurpose CBI, 2021, is Multipurpose Cash Assistance (MPC)); or Intersector.';
COMMENT ON COLUMN marts.cycle_people_reached.intersector_model IS 'How the Intersector figure is consolidated (see marts.people_reached_monthly.intersector_model); subsector on subsector rows.';
COMMENT ON COLUMN marts.cycle_people_reached.cycle_end_month IS 'Last month of the cycle: June (H1) or December (H2), first day of the month.';
COMMENT ON COLUMN marts.cycle_people_reached.last_month_with_data IS 'Last month of the cycle with any report counted as people reached (anywhere); the consolidated figures are those of this month.';
COMMENT ON COLUMN marts.cycle_people_reached.months_with_reports IS 'Number of months of the cycle with at least one report counted as people reached (anywhere in the 5W data).';
COMMENT ON COLUMN marts.cycle_people_reached.is_complete IS 'True when the cycle''s data reaches its last month (June or December); false when it stops before, so the figure understates the cycle.';
COMMENT ON COLUMN marts.cycle_people_reached.consolidated_total IS 'People reached without double counting from January to last_month_with_data, persons.';
COMMENT ON COLUMN marts.cycle_people_reached.consolidated_cva IS 'People reached by CVA activities without double counting from January to last_month_with_data, persons.';
COMMENT ON COLUMN marts.cycle_people_reached.plan_year IS 'RMRP plan year whose target and PiN are compared: the cycle''s year.';
COMMENT ON COLUMN marts.cycle_people_reached.people_targeted IS 'People targeted in the plan year for this level, place and sector (all population types and ages), persons: admin1 and country rows from R4V''s PiN/target tables, platform and regional rows as published, else as marts.sector_key_figures gives them (computed from the PiN/target tables); NULL when there is none.';
COMMENT ON COLUMN marts.cycle_people_reached.people_in_need IS 'People in need in the plan year for this level, place and sector (same sources as people_targeted), persons; NULL when there is none.';
COMMENT ON COLUMN marts.cycle_people_reached.share_of_target IS 'consolidated_total / people_targeted, a fraction (0.25 = 25%); NULL without a target (or a target of 0), and on platform and regional rows whose figure does not cover every country the target covers (share_note says why).';
COMMENT ON COLUMN marts.cycle_people_reached.share_of_pin IS 'consolidated_total / people_in_need, a fraction; NULL without a PiN (or a PiN of 0), and when the figure and the PiN do not cover the same countries, as share_of_target.';
COMMENT ON COLUMN marts.cycle_people_reached.intersector_subsectors_without_proportions IS 'As in marts.people_reached_monthly at the cycle''s last month with data: subsectors left out of a proportion-model Intersector for want of age/gender shares (the figure may be low); NULL when none.';
COMMENT ON COLUMN marts.cycle_people_reached.only_rmrp_activities IS 'TRUE when only 5W rows with RMRP Activity = Yes were counted (rmrp run --only-rmrp-activities); FALSE: every row of a people-reached indicator (the default).';
COMMENT ON COLUMN marts.cycle_people_reached.flagged_share IS 'Share of the figure resting on 5W rows with a quality finding (meta.quality_findings, any rule but personal_data_in_free_text and quantity_not_expected_for_type, which are about the free text and the quantity of output, not the figure), a fraction: the New beneficiaries of the month of the counted rows with a finding over those of every row the figure is computed from (the same place, subsector and months; Intersector: every subsector''s rows, whatever the model). NULL when those rows carry no New beneficiaries, or when the figure is 0 (an Intersector whose model leaves those rows'' subsectors out). rmrp explain people-reached lists the rows.';
COMMENT ON COLUMN marts.cycle_people_reached.outlier_share IS 'Share of the figure resting on 5W rows flagged as outliers (findings outlier_organisation_history, outlier_above_pin), a fraction, as flagged_share; never above flagged_share.';
COMMENT ON COLUMN marts.cycle_people_reached.share_note IS 'Why share_of_target or share_of_pin is empty: no target or PiN for this level, place, sector and plan year; a target or PiN of 0; or, on platform and regional rows, the figure comes from the 5W data of fewer countries than the target and PiN cover (which ones have data is named). NULL when both shares are given.';
COMMENT ON COLUMN marts.cycle_people_reached.sector IS 'Same as subsector, under the name marts.fct_activities and marts.sector_key_figures use for the canonical R4V sector or subsector (or Intersector); subsector stays for the queries that use it.';

CREATE OR REPLACE TABLE marts.sector_key_figures (
    plan_year INTEGER,
    platform VARCHAR,
    level VARCHAR,
    sector VARCHAR,
    people_in_need DOUBLE,
    people_in_need_text VARCHAR,
    people_in_need_source VARCHAR,
    people_targeted DOUBLE,
    people_targeted_text VARCHAR,
    people_targeted_source VARCHAR,
    target_share_of_pin DOUBLE,
    target_share_of_pin_text VARCHAR,
    target_share_of_pin_source VARCHAR,
    requirements_usd DOUBLE,
    requirements_usd_text VARCHAR,
    requirements_usd_source VARCHAR,
    partners DOUBLE,
    partners_text VARCHAR,
    partners_source VARCHAR,
    people_in_need_computed DOUBLE,
    people_in_need_in_transit DOUBLE,
    people_targeted_computed DOUBLE,
    people_targeted_in_transit DOUBLE,
    requirements_per_person_targeted DOUBLE,
    people_in_need_yoy_change DOUBLE,
    people_targeted_yoy_change DOUBLE,
    requirements_usd_yoy_change DOUBLE,
    yoy_basis VARCHAR,
    requirements_usd_submitted DOUBLE,
    requirements_inkind_usd_submitted DOUBLE,
    requirements_cva_usd_submitted DOUBLE,
    people_targeted_submitted DOUBLE,
    partners_submitted BIGINT,
    activities_submitted BIGINT,
    requirements_usd_submitted_minus_published DOUBLE,
    share_of_total_pin DOUBLE,
    share_of_total_pin_text VARCHAR,
    people_in_need_share_women DOUBLE,
    people_in_need_share_men DOUBLE,
    people_in_need_share_girls DOUBLE,
    people_in_need_share_boys DOUBLE,
    people_targeted_share_women DOUBLE,
    people_targeted_share_men DOUBLE,
    people_targeted_share_girls DOUBLE,
    people_targeted_share_boys DOUBLE,
    sector_leads VARCHAR
);
COMMENT ON TABLE marts.sector_key_figures IS 'Sector key figures by plan year and platform (and Regional), for every sector and plan year with data: PiN, people targeted, target share of PiN, requirements in USD and partners, each with its published text and its source (published, or computed from R4V''s PiN/target tables); the computed figures, the figures of the activity submissions, requirements per person targeted and the change from the previous plan year beside them.';
COMMENT ON COLUMN marts.sector_key_figures.plan_year IS 'Plan year.';
COMMENT ON COLUMN marts.sector_key_figures.platform IS 'R4V national or sub-regional platform, or Regional for the whole plan.';
COMMENT ON COLUMN marts.sector_key_figures.level IS 'platform or regional.';
COMMENT ON COLUMN marts.sector_key_figures.sector IS 'Sector or subsector (R4V English name).';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need IS 'People in need (PiN), persons.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_text IS 'People in need (PiN) exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_source IS 'published (as published, stored as given) or computed (from R4V''s PiN/target tables for PiN and target: a platform = sum of its countries'' Country level rows, Regional = sum of the countries minus people in transit; the share = target / PiN of this row); NULL when there is no figure.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted IS 'People targeted, persons.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_text IS 'People targeted exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_source IS 'published (as published, stored as given) or computed (from R4V''s PiN/target tables for PiN and target: a platform = sum of its countries'' Country level rows, Regional = sum of the countries minus people in transit; the share = target / PiN of this row); NULL when there is no figure.';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin IS 'People targeted as a share of PiN, a fraction (0.028 = 2.8%).';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin_text IS 'People targeted as a share of PiN exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.target_share_of_pin_source IS 'published (as published, stored as given) or computed (from R4V''s PiN/target tables for PiN and target: a platform = sum of its countries'' Country level rows, Regional = sum of the countries minus people in transit; the share = target / PiN of this row); NULL when there is no figure.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd IS 'Financial requirements, USD.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_text IS 'Financial requirements exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_source IS 'published (as published, stored as given) or computed (from R4V''s PiN/target tables for PiN and target: a platform = sum of its countries'' Country level rows, Regional = sum of the countries minus people in transit; the share = target / PiN of this row); NULL when there is no figure.';
COMMENT ON COLUMN marts.sector_key_figures.partners IS 'Number of RMRP appealing partners, appealing organisations.';
COMMENT ON COLUMN marts.sector_key_figures.partners_text IS 'Number of RMRP appealing partners exactly as published (NULL when computed).';
COMMENT ON COLUMN marts.sector_key_figures.partners_source IS 'published (as published, stored as given) or computed (from R4V''s PiN/target tables for PiN and target: a platform = sum of its countries'' Country level rows, Regional = sum of the countries minus people in transit; the share = target / PiN of this row); NULL when there is no figure.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_computed IS 'PiN computed from R4V''s PiN table, persons: a platform = sum of its countries'' Country level rows (in-transit people included); Regional = sum of all countries minus people in transit (R4V''s 2022 rule, domain.md section 2.3). Beside a published PiN it is a check, never a replacement.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_in_transit IS 'People in transit in the sum behind people_in_need_computed, persons (subtracted at Regional level, where they would be counted by every country they cross).';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_computed IS 'People targeted computed from R4V''s target table, persons (same rule as people_in_need_computed).';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_in_transit IS 'People in transit in the sum behind people_targeted_computed, persons.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_per_person_targeted IS 'requirements_usd / people_targeted of this row, USD per person targeted (NULL when either is missing).';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_yoy_change IS 'Change of people_in_need from the previous plan year (same platform and sector), a fraction (0.064 = +6.4%); see yoy_basis for the sources compared.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_yoy_change IS 'Change of people_targeted from the previous plan year, a fraction.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_yoy_change IS 'Change of requirements_usd from the previous plan year, a fraction.';
COMMENT ON COLUMN marts.sector_key_figures.yoy_basis IS 'Which figures the year-over-year changes compare (e.g. people_in_need: published 2024 vs published 2023; published 2023 vs computed 2022 compares a rounded published figure with a table sum).';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_submitted IS 'Sum of the total budgets of the loaded activity submissions, USD (requirements are additive: Regional = every activity, regional-level ones included; Intersector = every sector).';
COMMENT ON COLUMN marts.sector_key_figures.requirements_inkind_usd_submitted IS 'Sum of the in-kind budgets of the loaded activity submissions, USD.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_cva_usd_submitted IS 'Sum of the CVA budgets of the loaded activity submissions, USD.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_submitted IS 'Sum of the total targets of the loaded Direct Assistance activities, persons: an upper bound of the people targeted (several activities may target the same people); none for Intersector.';
COMMENT ON COLUMN marts.sector_key_figures.partners_submitted IS 'Distinct appealing organisations among the loaded activity submissions (one organisation counts once, whatever its number of activities, platforms or sectors).';
COMMENT ON COLUMN marts.sector_key_figures.activities_submitted IS 'Loaded activity submission rows.';
COMMENT ON COLUMN marts.sector_key_figures.requirements_usd_submitted_minus_published IS 'requirements_usd_submitted - requirements_usd (published), USD: what the loaded submissions ask for beyond (+) or short of (-) the published requirements.';
COMMENT ON COLUMN marts.sector_key_figures.share_of_total_pin IS 'The sector''s PiN as a share of a total PiN, a fraction, as published (PORCENTAJE DE PIN; which total is not stated, see meta.reconciliation check share_of_total_pin_denominator); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.share_of_total_pin_text IS 'share_of_total_pin exactly as published.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_share_women IS 'Share of women in the PiN, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_share_men IS 'Share of men in the PiN, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_share_girls IS 'Share of girls in the PiN, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_in_need_share_boys IS 'Share of boys in the PiN, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_share_women IS 'Share of women in the people targeted, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_share_men IS 'Share of men in the people targeted, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_share_girls IS 'Share of girls in the people targeted, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.people_targeted_share_boys IS 'Share of boys in the people targeted, a fraction, as published once for the multi-year plan (the same value on each of its plan years); NULL when not published.';
COMMENT ON COLUMN marts.sector_key_figures.sector_leads IS 'Organisations leading the sector, as published once for the multi-year plan (e.g. OIM, ONU MUJERES; the same text on each of its plan years); NULL when not published.';

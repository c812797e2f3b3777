-- marts.sector_key_figures: one row per plan year, platform (and Regional) and sector with data.
-- Reads marts.fct_planning_figures, and the published ratios it leaves out
-- (staging.int_planning__published_ratios). Sources, never mixed silently (each figure says where
-- it comes from in its *_source column):
--   published  the published key figures (source_kind published), stored as given;
--   computed   from R4V's PiN/target tables (source_kind pin_target_table):
--              a platform = the sum of its countries' Country level rows; Regional = the sum of the
--              countries minus the people in transit, who cross several countries (R4V's 2022 rule,
--              docs/domain.md §2.3; the reconciliation checks it against the published regional figures);
--   submissions the appealing organisations' activities (source_kind submission), in *_submitted
--              columns beside the published figures, compared in requirements_usd_submitted_minus_published.
-- Published once for a multi-year plan (the age/gender shares, the sector leads): on every plan year
-- of that plan (staging.int_planning__published_ratios gives them one row per plan year).
-- A published figure always wins over a computed one; published values are never replaced by sums.
-- A figure printed in several workbooks is the one of the first workbook by path (then sheet, row
-- and column): the same whatever order the rows are stored in.
INSERT INTO marts.sector_key_figures BY NAME
WITH published_rows AS (
    SELECT plan_year, platform, sector, measure, NULL AS age_gender, value, published_text,
           (source_file, source_sheet, source_row, source_column) AS printed_at
    FROM marts.fct_planning_figures WHERE source_kind = 'published'
    UNION ALL
    SELECT plan_year, platform, sector, measure, age_gender, value, published_text,
           (source_file, source_sheet, source_row, source_column) AS printed_at
    FROM staging.int_planning__published_ratios
),
published AS (
    SELECT
        plan_year, platform, sector,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_in_need') AS pin,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'people_in_need') AS pin_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_targeted') AS targeted,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'people_targeted') AS targeted_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'target_share_of_pin') AS share,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'target_share_of_pin') AS share_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'requirements_usd') AS requirements,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'requirements_usd') AS requirements_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'partners') AS partners,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'partners') AS partners_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'share_of_total_pin') AS share_of_total,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'share_of_total_pin') AS share_of_total_text,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_in_need_share' AND age_gender = 'women') AS pin_women,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_in_need_share' AND age_gender = 'men') AS pin_men,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_in_need_share' AND age_gender = 'girls') AS pin_girls,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_in_need_share' AND age_gender = 'boys') AS pin_boys,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_targeted_share' AND age_gender = 'women') AS targeted_women,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_targeted_share' AND age_gender = 'men') AS targeted_men,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_targeted_share' AND age_gender = 'girls') AS targeted_girls,
        arg_min(value, printed_at) FILTER (WHERE measure = 'people_targeted_share' AND age_gender = 'boys') AS targeted_boys,
        arg_min(published_text, printed_at) FILTER (WHERE measure = 'sector_leads') AS sector_leads
    FROM published_rows
    GROUP BY plan_year, platform, sector
),
country_rows AS (
    SELECT
        plan_year, platform, country_iso3, sector, measure,
        sum(value) FILTER (WHERE population_type = 'all') AS total,
        coalesce(sum(value) FILTER (WHERE population_type = 'in_transit'), 0) AS in_transit
    FROM marts.fct_planning_figures
    WHERE source_kind = 'pin_target_table' AND level = 'country' AND age_gender = 'all'
      AND measure IN ('people_in_need', 'people_targeted')
    GROUP BY ALL
),
computed_long AS (
    SELECT plan_year, platform, sector, measure, sum(total) AS value, sum(in_transit) AS in_transit
    FROM country_rows GROUP BY ALL
    UNION ALL
    SELECT plan_year, 'Regional' AS platform, sector, measure, sum(total) - sum(in_transit) AS value, sum(in_transit) AS in_transit
    FROM country_rows GROUP BY ALL
),
computed AS (
    SELECT
        plan_year, platform, sector,
        any_value(value) FILTER (WHERE measure = 'people_in_need') AS pin,
        any_value(in_transit) FILTER (WHERE measure = 'people_in_need') AS pin_in_transit,
        any_value(value) FILTER (WHERE measure = 'people_targeted') AS targeted,
        any_value(in_transit) FILTER (WHERE measure = 'people_targeted') AS targeted_in_transit
    FROM computed_long GROUP BY ALL
),
-- Submissions: each activity once per sector, and once more under Intersector (requirements are
-- additive across sectors; people targeted are not, so Intersector has none).
submission_rows AS (
    SELECT * FROM marts.fct_planning_figures WHERE source_kind = 'submission'
    UNION ALL
    SELECT * REPLACE ('Intersector' AS sector) FROM marts.fct_planning_figures
    WHERE source_kind = 'submission' AND measure <> 'people_targeted'
),
submission_scopes AS (
    -- platform rows: the platform's own activities; Regional: every activity, regional-level ones included
    SELECT * FROM submission_rows WHERE level <> 'regional'
    UNION ALL
    SELECT * REPLACE ('Regional' AS platform) FROM submission_rows
),
submitted AS (
    SELECT
        plan_year, platform, sector,
        sum(value) FILTER (WHERE measure = 'requirements_usd') AS requirements,
        sum(value) FILTER (WHERE measure = 'requirements_inkind_usd') AS requirements_inkind,
        sum(value) FILTER (WHERE measure = 'requirements_cva_usd') AS requirements_cva,
        sum(value) FILTER (WHERE measure = 'people_targeted' AND population_type = 'all' AND age_gender = 'all') AS targeted,
        count(DISTINCT organisation_key) AS partners,
        count(DISTINCT (source_file, source_sheet, source_row)) AS activities
    FROM submission_scopes GROUP BY ALL
),
keys AS (
    SELECT plan_year, platform, sector FROM published
    UNION SELECT plan_year, platform, sector FROM computed
    UNION SELECT plan_year, platform, sector FROM submitted
),
figures AS (
    SELECT
        k.plan_year, k.platform, k.sector,
        CASE WHEN k.platform = 'Regional' THEN 'regional' ELSE 'platform' END AS level,
        coalesce(p.pin, c.pin) AS people_in_need,
        p.pin_text AS people_in_need_text,
        CASE WHEN p.pin IS NOT NULL THEN 'published' WHEN c.pin IS NOT NULL THEN 'computed' END AS people_in_need_source,
        coalesce(p.targeted, c.targeted) AS people_targeted,
        p.targeted_text AS people_targeted_text,
        CASE WHEN p.targeted IS NOT NULL THEN 'published' WHEN c.targeted IS NOT NULL THEN 'computed' END AS people_targeted_source,
        p.share AS share_published, p.share_text AS target_share_of_pin_text,
        p.requirements AS requirements_usd, p.requirements_text AS requirements_usd_text,
        CASE WHEN p.requirements IS NOT NULL THEN 'published' END AS requirements_usd_source,
        p.partners, p.partners_text,
        CASE WHEN p.partners IS NOT NULL THEN 'published' END AS partners_source,
        c.pin AS people_in_need_computed, c.pin_in_transit AS people_in_need_in_transit,
        c.targeted AS people_targeted_computed, c.targeted_in_transit AS people_targeted_in_transit,
        s.requirements AS requirements_usd_submitted,
        s.requirements_inkind AS requirements_inkind_usd_submitted,
        s.requirements_cva AS requirements_cva_usd_submitted,
        s.targeted AS people_targeted_submitted,
        s.partners AS partners_submitted,
        s.activities AS activities_submitted,
        p.share_of_total AS share_of_total_pin, p.share_of_total_text AS share_of_total_pin_text,
        p.pin_women AS people_in_need_share_women, p.pin_men AS people_in_need_share_men,
        p.pin_girls AS people_in_need_share_girls, p.pin_boys AS people_in_need_share_boys,
        p.targeted_women AS people_targeted_share_women, p.targeted_men AS people_targeted_share_men,
        p.targeted_girls AS people_targeted_share_girls, p.targeted_boys AS people_targeted_share_boys,
        p.sector_leads
    FROM keys k
    LEFT JOIN published p USING (plan_year, platform, sector)
    LEFT JOIN computed c USING (plan_year, platform, sector)
    LEFT JOIN submitted s USING (plan_year, platform, sector)
),
with_ratios AS (
    SELECT
        *,
        coalesce(share_published, CASE WHEN people_in_need > 0 THEN people_targeted / people_in_need END) AS target_share_of_pin,
        CASE WHEN share_published IS NOT NULL THEN 'published'
             WHEN people_in_need > 0 AND people_targeted IS NOT NULL THEN 'computed' END AS target_share_of_pin_source,
        CASE WHEN people_targeted > 0 THEN requirements_usd / people_targeted END AS requirements_per_person_targeted,
        requirements_usd_submitted - requirements_usd AS requirements_usd_submitted_minus_published
    FROM figures
)
SELECT
    cur.* EXCLUDE (share_published),
    CASE WHEN prev.people_in_need > 0 THEN cur.people_in_need / prev.people_in_need - 1 END AS people_in_need_yoy_change,
    CASE WHEN prev.people_targeted > 0 THEN cur.people_targeted / prev.people_targeted - 1 END AS people_targeted_yoy_change,
    CASE WHEN prev.requirements_usd > 0 THEN cur.requirements_usd / prev.requirements_usd - 1 END AS requirements_usd_yoy_change,
    nullif(concat_ws('; ',
        CASE WHEN prev.people_in_need > 0 AND cur.people_in_need IS NOT NULL
             THEN 'people_in_need: ' || cur.people_in_need_source || ' ' || cur.plan_year || ' vs ' || prev.people_in_need_source || ' ' || prev.plan_year END,
        CASE WHEN prev.people_targeted > 0 AND cur.people_targeted IS NOT NULL
             THEN 'people_targeted: ' || cur.people_targeted_source || ' ' || cur.plan_year || ' vs ' || prev.people_targeted_source || ' ' || prev.plan_year END,
        CASE WHEN prev.requirements_usd > 0 AND cur.requirements_usd IS NOT NULL
             THEN 'requirements_usd: ' || cur.requirements_usd_source || ' ' || cur.plan_year || ' vs ' || prev.requirements_usd_source || ' ' || prev.plan_year END
    ), '') AS yoy_basis
FROM with_ratios cur
LEFT JOIN with_ratios prev
    ON prev.plan_year = cur.plan_year - 1 AND prev.platform = cur.platform AND prev.sector = cur.sector
ORDER BY cur.plan_year, cur.level DESC, cur.platform, cur.sector;

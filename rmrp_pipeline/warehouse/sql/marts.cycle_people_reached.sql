-- People reached per reporting cycle x level x place x subsector, with the plan year's target and PiN.
-- Parameters: $cycle (VARCHAR), $cycle_start, $cycle_end (DATE, end exclusive). The caller deletes
-- the cycle's rows first. Reads marts.people_reached_monthly (built for the cycle),
-- marts.fct_planning_figures and marts.sector_key_figures (platform and regional targets and PiN),
-- staging.ref_countries (the countries a platform's or the region's target covers); for the shares resting on flagged rows, the 5W rows of
-- staging.int_people_reached__activities (unscoped: every row; marts.fct_activities for the
-- RMRP-activities option) and meta.quality_findings.
INSERT INTO marts.cycle_people_reached BY NAME
WITH counted AS (   -- the rows marts.people_reached_monthly counted: with its RMRP-activities option
    SELECT coalesce(bool_or(only_rmrp_activities), false) AS only_rmrp_activities
    FROM marts.people_reached_monthly WHERE month >= $cycle_start AND month < $cycle_end
),
reported AS (
    SELECT DISTINCT month FROM marts.fct_activities, counted
    WHERE counts_as_reached AND month >= $cycle_start AND month < $cycle_end
      AND (NOT counted.only_rmrp_activities OR coalesce(rmrp_activity, false))
),
span AS (
    SELECT max(month) AS last_month, CAST(count(*) AS INTEGER) AS months_with_reports FROM reported
),
at_end AS (
    SELECT p.*, s.last_month, s.months_with_reports
    FROM marts.people_reached_monthly p, span s
    WHERE p.month = s.last_month
),
-- The 5W rows each figure rests on: those the people-reached views count (the admin1 and subsector
-- as they name them), from the cycle's first month to its last month with data, each with its New
-- beneficiaries of the month and whether a quality finding or an outlier finding is on it (any rule
-- but personal_data_in_free_text and quantity_not_expected_for_type: masked free text and a quantity of
-- output beside the people say nothing about the figure).
flagged_rows AS (
    SELECT a.platform, a.country_iso3, a.admin1, a.subsector,
           CAST(coalesce(a.new_beneficiaries, 0) AS DECIMAL(38, 10)) AS people,
           q.row_number IS NOT NULL AS with_findings, coalesce(q.outlier, false) AS outlier
    FROM staging.int_people_reached__activities a
    CROSS JOIN span s
    CROSS JOIN counted
    LEFT JOIN marts.fct_activities f
           ON counted.only_rmrp_activities AND f.source_file = a.source_file AND f.source_sheet = a.source_sheet
          AND f.source_row = a.source_row
    LEFT JOIN (SELECT source_file, sheet, row_number, bool_or(starts_with(rule, 'outlier')) AS outlier
               FROM meta.quality_findings
               WHERE rule NOT IN ('personal_data_in_free_text', 'quantity_not_expected_for_type') GROUP BY ALL) q
           ON q.source_file = a.source_file AND q.sheet = a.source_sheet AND q.row_number = a.source_row
    WHERE a.month >= $cycle_start AND a.month <= s.last_month
      AND (NOT counted.only_rmrp_activities OR coalesce(f.rmrp_activity, false))
),
-- Per level, place and subsector (Intersector: every subsector's rows), the share of those rows'
-- New beneficiaries on rows with findings and on outlier rows.
flagged AS (
    SELECT CASE WHEN grouping(admin1) = 0 THEN 'admin1' WHEN grouping(country_iso3) = 0 THEN 'country'
                WHEN grouping(platform) = 0 THEN 'platform' ELSE 'regional' END AS level,
           platform, country_iso3, admin1, subsector,
           CAST(coalesce(sum(people) FILTER (WHERE with_findings), 0) / nullif(sum(people), 0) AS DOUBLE) AS flagged_share,
           CAST(coalesce(sum(people) FILTER (WHERE outlier), 0) / nullif(sum(people), 0) AS DOUBLE) AS outlier_share
    FROM (SELECT * FROM flagged_rows UNION ALL SELECT * REPLACE ('Intersector' AS subsector) FROM flagged_rows)
    GROUP BY GROUPING SETS ((platform, country_iso3, admin1, subsector), (platform, country_iso3, subsector),
                            (platform, subsector), (subsector))
),
-- Planning figures of the year, all population types and ages; the source R4V publishes per level.
-- Both name subsectors the canonical R4V way (reference_data/sectors.csv).
planning AS (
    SELECT level, platform, country_iso3, admin1, sector,
           max(value) FILTER (WHERE measure = 'people_targeted') AS people_targeted,
           max(value) FILTER (WHERE measure = 'people_in_need') AS people_in_need
    FROM marts.fct_planning_figures
    WHERE plan_year = year($cycle_start) AND population_type = 'all' AND age_gender = 'all'
      AND measure IN ('people_targeted', 'people_in_need')
      AND ((level IN ('admin1', 'country') AND source_kind = 'pin_target_table')
           OR (level IN ('platform', 'regional') AND source_kind = 'published'))
    GROUP BY ALL
),
-- The key figures of the year (published, or computed from the PiN/target tables) for the platform
-- and regional rows that the published planning figures leave without a target or PiN.
key_figures AS (
    SELECT level, platform, sector, people_targeted, people_in_need
    FROM marts.sector_key_figures WHERE plan_year = year($cycle_start)
),
-- The countries with 5W data counted as people reached in the cycle (up to its last month with data).
covered AS (
    SELECT DISTINCT a.country_iso3 FROM marts.fct_activities a, span s, counted
    WHERE a.counts_as_reached AND a.month >= $cycle_start AND a.month <= s.last_month
      AND (NOT counted.only_rmrp_activities OR coalesce(a.rmrp_activity, false))
),
-- Per platform (and Regional: every country), the countries its target and PiN cover and those of
-- them with 5W data: a platform or regional figure compares with its target only when all have data.
coverage AS (
    SELECT CASE WHEN grouping(r.platform) = 0 THEN r.platform ELSE 'Regional' END AS platform,
           count(*) AS countries, count(c.country_iso3) AS countries_with_data,
           coalesce(string_agg(c.country_iso3, ', ' ORDER BY c.country_iso3), 'none') AS with_data
    FROM staging.ref_countries r LEFT JOIN covered c ON c.country_iso3 = r.iso3
    GROUP BY GROUPING SETS ((r.platform), ())
),
joined AS (
    SELECT e.*, coalesce(pl.people_targeted, kf.people_targeted) AS people_targeted,
           coalesce(pl.people_in_need, kf.people_in_need) AS people_in_need,
           e.level IN ('platform', 'regional') AND cv.countries_with_data < cv.countries AS partial_places,
           cv.countries, cv.countries_with_data, cv.with_data
    FROM at_end e
    LEFT JOIN planning pl
      ON pl.level = e.level
     AND pl.sector = e.subsector
     AND CASE e.level
             WHEN 'admin1' THEN pl.country_iso3 = e.country_iso3
                            AND name_key(pl.admin1) = name_key(e.admin1)
             WHEN 'country' THEN pl.country_iso3 = e.country_iso3
             WHEN 'platform' THEN pl.platform = e.platform
             ELSE TRUE END
    LEFT JOIN key_figures kf
      ON e.level IN ('platform', 'regional') AND kf.level = e.level AND kf.platform = e.platform
     AND kf.sector = e.subsector
    LEFT JOIN coverage cv ON cv.platform = e.platform
)
SELECT $cycle AS cycle, e.level, e.platform, e.country_iso3, e.country, e.admin1, e.subsector, e.intersector_model,
       e.intersector_subsectors_without_proportions, e.only_rmrp_activities,
       CAST(CASE WHEN month($cycle_end - INTERVAL 1 MONTH) = 6 THEN make_date(year($cycle_start), 6, 1)
                 ELSE make_date(year($cycle_start), 12, 1) END AS DATE) AS cycle_end_month,
       e.last_month AS last_month_with_data,
       e.months_with_reports,
       e.last_month >= CAST($cycle_end - INTERVAL 1 MONTH AS DATE) AS is_complete,
       e.consolidated_total, e.consolidated_cva,
       CAST(year($cycle_start) AS INTEGER) AS plan_year,
       e.people_targeted, e.people_in_need,
       CASE WHEN NOT coalesce(e.partial_places, false) THEN e.consolidated_total / nullif(e.people_targeted, 0) END AS share_of_target,
       CASE WHEN NOT coalesce(e.partial_places, false) THEN e.consolidated_total / nullif(e.people_in_need, 0) END AS share_of_pin,
       CASE WHEN (e.people_targeted IS NOT NULL OR e.people_in_need IS NOT NULL) AND e.partial_places
                 THEN format('Shares left empty: the figure comes from the 5W data of {} of the {} countries the target and PiN cover ({}).',
                             e.countries_with_data, e.countries, e.with_data)
            WHEN e.people_targeted IS NULL AND e.people_in_need IS NULL
                 THEN format('No target or PiN of {} for this level, place and sector.', year($cycle_start))
            WHEN e.people_targeted IS NULL THEN format('No target of {} for this level, place and sector.', year($cycle_start))
            WHEN e.people_in_need IS NULL THEN format('No PiN of {} for this level, place and sector.', year($cycle_start))
            WHEN e.people_targeted = 0 OR e.people_in_need = 0 THEN 'A target or PiN of 0: no share.'
       END AS share_note,
       -- a figure of 0 rests on no one (an Intersector whose model leaves its subsectors out): no share
       CASE WHEN e.consolidated_total <> 0 THEN fl.flagged_share END AS flagged_share,
       CASE WHEN e.consolidated_total <> 0 THEN fl.outlier_share END AS outlier_share
FROM joined e
LEFT JOIN flagged fl
  ON fl.level = e.level
 AND fl.subsector = e.subsector
 AND CASE e.level
         WHEN 'admin1' THEN fl.platform = e.platform AND fl.country_iso3 = e.country_iso3 AND fl.admin1 = e.admin1
         WHEN 'country' THEN fl.platform = e.platform AND fl.country_iso3 = e.country_iso3
         WHEN 'platform' THEN fl.platform = e.platform
         ELSE TRUE END;

-- marts.sector_key_figures: published key figures, one row per plan year, platform and sector.
-- Published values are stored as given, never replaced by sums (domain.md §2.3).
INSERT INTO marts.sector_key_figures BY NAME
SELECT
    plan_year, platform, any_value(level) AS level, sector,
    any_value(value) FILTER (WHERE measure = 'people_in_need') AS people_in_need,
    any_value(published_text) FILTER (WHERE measure = 'people_in_need') AS people_in_need_text,
    CASE WHEN count(*) FILTER (WHERE measure = 'people_in_need') > 0 THEN 'published' END AS people_in_need_source,
    any_value(value) FILTER (WHERE measure = 'people_targeted') AS people_targeted,
    any_value(published_text) FILTER (WHERE measure = 'people_targeted') AS people_targeted_text,
    CASE WHEN count(*) FILTER (WHERE measure = 'people_targeted') > 0 THEN 'published' END AS people_targeted_source,
    any_value(value) FILTER (WHERE measure = 'target_share_of_pin') AS target_share_of_pin,
    any_value(published_text) FILTER (WHERE measure = 'target_share_of_pin') AS target_share_of_pin_text,
    CASE WHEN count(*) FILTER (WHERE measure = 'target_share_of_pin') > 0 THEN 'published' END AS target_share_of_pin_source,
    any_value(value) FILTER (WHERE measure = 'requirements_usd') AS requirements_usd,
    any_value(published_text) FILTER (WHERE measure = 'requirements_usd') AS requirements_usd_text,
    CASE WHEN count(*) FILTER (WHERE measure = 'requirements_usd') > 0 THEN 'published' END AS requirements_usd_source,
    any_value(value) FILTER (WHERE measure = 'partners') AS partners,
    any_value(published_text) FILTER (WHERE measure = 'partners') AS partners_text,
    CASE WHEN count(*) FILTER (WHERE measure = 'partners') > 0 THEN 'published' END AS partners_source
FROM staging.stg_planning__published_figures
WHERE plan_year IS NOT NULL
GROUP BY plan_year, platform, sector
ORDER BY plan_year, level DESC, platform;

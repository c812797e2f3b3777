-- Question: what are a platform's key planning figures for a plan year, sector by sector?
-- People in need, people targeted, the target's share of the PiN, requirements and partners as
-- marts.sector_key_figures holds them (published where R4V published them, else computed from the
-- PiN/target tables).
-- Parameters: plan_year (default 2022), platform (default Brazil).
SELECT sector, people_in_need, people_targeted, target_share_of_pin, requirements_usd, partners
FROM marts.sector_key_figures
WHERE plan_year = CAST(coalesce(getvariable('plan_year'), '2022') AS INTEGER)
  AND platform = coalesce(getvariable('platform'), 'Brazil')
  AND level = 'platform'
ORDER BY sector = 'Intersector' DESC, sector;

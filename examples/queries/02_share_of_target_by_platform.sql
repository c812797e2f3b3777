-- Question: what share of its target has each platform reached, in the latest reporting cycle that
-- has targets?
-- Per platform: the people reached and the target of the countries that have a target for the
-- subsector (country rows of marts.cycle_people_reached), and the share. Countries without a target
-- are left out of both, so the share compares like with like.
-- Parameters: sector (default Intersector).
WITH latest AS (
    SELECT max(cycle) AS cycle FROM marts.cycle_people_reached WHERE people_targeted IS NOT NULL
)
SELECT c.cycle, c.platform, count(*) AS countries_with_target,
       sum(c.consolidated_total) AS people_reached, sum(c.people_targeted) AS people_targeted,
       sum(c.consolidated_total) / sum(c.people_targeted) AS share_of_target
FROM marts.cycle_people_reached c JOIN latest USING (cycle)
WHERE c.level = 'country' AND c.subsector = coalesce(getvariable('sector'), 'Intersector')
  AND c.people_targeted > 0
GROUP BY ALL
ORDER BY share_of_target DESC;

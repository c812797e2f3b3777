-- The Trafficking & Smuggling subsector by pillar per reporting cycle and country: outputs of
-- marts.cycle_outputs summed per pillar, and the subsector's people reached (marts.cycle_people_reached,
-- country level) under protection. Parameters: $cycle (VARCHAR), $cycle_start, $cycle_end (DATE, end
-- exclusive). The caller deletes the cycle's rows first; marts.cycle_outputs and
-- marts.cycle_people_reached must be built for the cycle.
INSERT INTO marts.cycle_trafficking_pillars BY NAME
WITH outputs AS (
    SELECT platform, country_iso3, country, subsector, pillar,
           string_agg(DISTINCT indicator_code, ', ' ORDER BY indicator_code) AS output_indicator_codes,
           sum(persons_trained_or_reached) AS persons_trained_or_reached,
           sum(quantity_output) AS quantity_output
    FROM marts.cycle_outputs
    WHERE cycle = $cycle AND subsector ILIKE '%trafficking%'
    GROUP BY ALL
),
reached_codes AS (
    SELECT country_iso3, coalesce(sector, subsector) AS subsector,
           string_agg(DISTINCT indicator_code, ', ' ORDER BY indicator_code) AS codes
    FROM marts.fct_activities
    WHERE counts_as_reached AND coalesce(sector, subsector) ILIKE '%trafficking%' AND month >= $cycle_start AND month < $cycle_end
    GROUP BY ALL
),
reached AS (
    SELECT c.platform, c.country_iso3, c.country, c.subsector, 'protection' AS pillar,
           c.consolidated_total AS people_reached, r.codes AS people_reached_indicator_codes,
           c.is_complete AS people_reached_is_complete
    FROM marts.cycle_people_reached c
    LEFT JOIN reached_codes r USING (country_iso3, subsector)
    WHERE c.cycle = $cycle AND c.level = 'country' AND c.subsector ILIKE '%trafficking%'
)
SELECT $cycle AS cycle, CAST(year($cycle_start) AS INTEGER) AS plan_year,
       coalesce(o.platform, r.platform) AS platform,
       coalesce(o.country_iso3, r.country_iso3) AS country_iso3,
       coalesce(o.country, r.country) AS country,
       coalesce(o.subsector, r.subsector) AS subsector,
       coalesce(o.pillar, r.pillar) AS pillar,
       o.output_indicator_codes, o.persons_trained_or_reached, o.quantity_output,
       r.people_reached, r.people_reached_indicator_codes, r.people_reached_is_complete
FROM outputs o
FULL OUTER JOIN reached r
  ON o.country_iso3 IS NOT DISTINCT FROM r.country_iso3 AND o.subsector = r.subsector AND o.pillar = r.pillar;

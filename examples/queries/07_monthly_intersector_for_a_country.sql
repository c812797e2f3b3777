-- Question: month by month, how many people has the response reached in a country (Intersector,
-- consolidated: without double counting, from January to the month)?
-- Parameters: country (default Peru), year (default 2021).
SELECT strftime(month, '%Y-%m') AS month, intersector_model, monthly_total, consolidated_total AS people_reached
FROM marts.people_reached_monthly
WHERE level = 'country' AND subsector = 'Intersector'
  AND country = coalesce(getvariable('country'), 'Peru')
  AND year(month) = CAST(coalesce(getvariable('year'), '2021') AS INTEGER)
ORDER BY 1;

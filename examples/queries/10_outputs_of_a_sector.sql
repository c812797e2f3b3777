-- Question: besides people reached, what did a sector deliver in a reporting cycle (trainings,
-- outputs), per country and indicator?
-- Indicators of types other than people reached, summed over the cycle's months.
-- Parameters: cycle (default 2021-H1), sector (default Protection (Human Trafficking and Smuggling)).
SELECT country, indicator_code, indicator_type, persons_trained_or_reached, quantity_output, report_rows
FROM marts.cycle_outputs
WHERE cycle = coalesce(getvariable('cycle'), '2021-H1')
  AND subsector = coalesce(getvariable('sector'), 'Protection (Human Trafficking and Smuggling)')
ORDER BY country, indicator_code;

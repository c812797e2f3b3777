-- Question: how many people did a sector reach in each country in a reporting cycle?
-- The cycle's consolidated figure per country (people reached without double counting, from January
-- to the cycle's last month with 5W data), largest first, with the months it covers.
-- Parameters (rmrp sql FILE --set name=value): cycle (default 2021-H1), sector (default Shelter).
SELECT country, subsector, consolidated_total AS people_reached, months_with_reports,
       strftime(last_month_with_data, '%Y-%m') AS up_to_month, is_complete
FROM marts.cycle_people_reached
WHERE cycle = coalesce(getvariable('cycle'), '2021-H1')
  AND subsector = coalesce(getvariable('sector'), 'Shelter')
  AND level = 'country'
ORDER BY people_reached DESC, country;

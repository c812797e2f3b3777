-- Question: how many people did cash and voucher assistance (CVA) reach in each country, next to
-- everyone reached, in a reporting cycle (Intersector)?
-- Parameters: cycle (default 2021-H1).
SELECT country, consolidated_cva AS reached_with_cva, consolidated_total AS people_reached,
       consolidated_cva / nullif(consolidated_total, 0) AS cva_share
FROM marts.cycle_people_reached
WHERE cycle = coalesce(getvariable('cycle'), '2021-H1') AND level = 'country' AND subsector = 'Intersector'
ORDER BY reached_with_cva DESC, country;

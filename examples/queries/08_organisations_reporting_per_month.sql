-- Question: how many appealing organisations reported each month in each country?
-- Parameters: year (default 2021).
SELECT country, strftime(month, '%Y-%m') AS month, count(DISTINCT appealing_org) AS organisations,
       count(*) AS rows_reported
FROM marts.fct_activities
WHERE year(month) = CAST(coalesce(getvariable('year'), '2021') AS INTEGER)
GROUP BY ALL
ORDER BY country, month;

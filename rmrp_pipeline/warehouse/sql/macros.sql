-- Macros of the derived tables' and intermediate views' SQL, stored in the warehouse file (not
-- TEMP), so that a saved query or a view that uses them runs in any DuckDB shell opened on the
-- warehouse, read-only included. Re-created by every build (warehouse.ensure_schemas).
-- name_key: a name as text.cells.normalise_key matches it (case, accents and runs of spaces ignored),
-- so 'MENDOZA ', 'Mendoza' and 'Córdoba'/'Cordoba' meet in SQL as they do in the staging.
CREATE OR REPLACE MACRO name_key(x) AS strip_accents(lower(trim(regexp_replace(x, '\s+', ' ', 'g'))));
-- How a level row names what its rows were built with: the one value they share, else 'mixed'
-- (NULL when none has one); and the '; '-separated lists of its rows merged (distinct, sorted).
CREATE OR REPLACE MACRO one_or_mixed(x) AS
    CASE WHEN count(DISTINCT x) = 1 THEN min(x) WHEN count(DISTINCT x) > 1 THEN 'mixed' END;
CREATE OR REPLACE MACRO merged_lists(x) AS
    nullif(array_to_string(list_sort(list_distinct(flatten(list(string_split(x, '; ')) FILTER (WHERE x IS NOT NULL)))), '; '), '');

-- meta.data_dictionary: every table and column of the warehouse with its description.
CREATE OR REPLACE VIEW meta.data_dictionary AS
SELECT
    c.schema_name AS table_schema,
    c.table_name,
    t.comment AS table_description,
    c.column_index AS column_position,
    c.column_name,
    c.data_type,
    c.comment AS column_description
FROM duckdb_columns() c
JOIN duckdb_tables() t USING (database_name, schema_name, table_name)
WHERE c.schema_name IN ('raw', 'staging', 'marts', 'meta')
ORDER BY c.schema_name, c.table_name, c.column_index;

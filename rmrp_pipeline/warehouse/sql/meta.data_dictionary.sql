-- meta.data_dictionary: every table, view and column of the warehouse with its description.
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
JOIN (SELECT database_name, schema_name, table_name, comment FROM duckdb_tables()
      UNION ALL
      SELECT database_name, schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal) t
  USING (database_name, schema_name, table_name)
WHERE c.schema_name IN ('raw', 'staging', 'marts', 'meta')
ORDER BY c.schema_name, c.table_name, c.column_index;
COMMENT ON VIEW meta.data_dictionary IS 'Every table, view and column of the warehouse (schemas raw, staging, marts, meta) with its description.';
COMMENT ON COLUMN meta.data_dictionary.table_schema IS 'Layer of the table: raw, staging, marts or meta.';
COMMENT ON COLUMN meta.data_dictionary.table_name IS 'Table or view name.';
COMMENT ON COLUMN meta.data_dictionary.table_description IS 'What one row of the table is, and how it is built.';
COMMENT ON COLUMN meta.data_dictionary.column_position IS 'Position of the column in the table (0-based).';
COMMENT ON COLUMN meta.data_dictionary.column_name IS 'Column name.';
COMMENT ON COLUMN meta.data_dictionary.data_type IS 'DuckDB type of the column.';
COMMENT ON COLUMN meta.data_dictionary.column_description IS 'What the column holds, with its unit (persons, USD, fractions).';

"""The DuckDB warehouse: connections and writes (db.py), table definitions (sql/ddl) and derived tables (sql/)."""

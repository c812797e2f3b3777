"""The queries behind the asset checks: rows lost between a file and the warehouse, inconsistent
rows of the reconciliation, and tables, views or columns without a description."""

from __future__ import annotations

import duckdb
import pandas as pd

from rmrp_pipeline.warehouse import db as warehouse


def sheets_with_lost_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Recognised (or superseded) sheets of ``meta.load_log`` where rows read <> loaded + rejected
    + superseded, or where the rows read do not match the rows with values counted in the file
    (file, sheet and counts)."""
    return con.execute(
        "SELECT source_file, sheet, rows_read, rows_loaded, rows_rejected FROM meta.load_log "
        "WHERE status IN ('recognised', 'superseded') "
        "AND (rows_read <> rows_loaded + rows_rejected + coalesce(rows_superseded, 0) "
        "OR rows_in_file < rows_read OR rows_in_file > rows_read + blank_rows)"
    ).df()


def sheets_not_recognised(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Files and sheets of ``meta.load_log`` that were not recognised or could not be read, with why."""
    return con.execute("SELECT source_file, sheet, status, message FROM meta.load_log WHERE status <> 'recognised'").df()


def inconsistent_reconciliation(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The ``inconsistent`` rows of ``meta.reconciliation``."""
    return con.execute(
        "SELECT plan_year, platform, sector, check_name, published_text, explanation "
        "FROM meta.reconciliation WHERE status = 'inconsistent'"
    ).df()


def undocumented(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """What has no description among ``tables`` (tables or views): ``schema.table`` for a missing
    table comment, ``schema.table.column`` for a missing column comment; a table that does not
    exist is listed too."""
    missing = []
    for table in tables:
        schema, name = table.split(".")
        found = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? "
            "UNION ALL SELECT comment FROM duckdb_views() WHERE schema_name = ? AND view_name = ?",
            [schema, name, schema, name]).fetchall()
        if not found or not found[0][0]:
            missing.append(table)
        missing += [f"{table}.{column}" for column, _type, comment in warehouse.table_columns(con, table) if not comment]
    return missing

"""Every table built from the ingested tables is the same whatever order their rows are stored in,
and the same as `rmrp run` builds it when built without Dagster (``marts.builds.build_tables``).

A re-run stores the rows of a changed file after the others' (``warehouse.db.sync_table``), where a
clean run stores them in file order; so no built table may depend on the stored order. Checked on
the session's warehouse of the bundled real files (tests/conftest.py ``built_warehouse``), with the
published figures of one key-figures workbook printed again, with other numbers, by a second
workbook named after it: the first workbook by path gives the figure (as in a clean run).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from rmrp_pipeline.marts import builds, registry
from rmrp_pipeline.warehouse import db
from tests.conftest import compare_warehouses

pytestmark = pytest.mark.e2e


def _stored_columns(table: str) -> str:
    return ", ".join(f'"{c}"' for c in db.stored_columns(table))


def _store_reversed(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """The rows of ``table`` stored again, the last first."""
    columns = _stored_columns(table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _reversed AS SELECT {columns} FROM {table} ORDER BY rowid DESC")
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _reversed ORDER BY rowid")
    con.execute("DROP TABLE _reversed")


def test_the_built_tables_do_not_depend_on_the_stored_order_of_the_ingested_rows(built_warehouse, tmp_path):
    in_order, reversed_ = tmp_path / "in_order.duckdb", tmp_path / "reversed.duckdb"
    shutil.copy(built_warehouse[0], in_order)
    with duckdb.connect(str(in_order)) as con:
        first, = con.execute("SELECT min(source_file) FROM staging.stg_planning__published_figures").fetchone()
        columns = _stored_columns(registry.PUBLISHED)
        copy = columns.replace('"source_file"', "? || '_copy.xlsx'").replace('"value"', "value + 1")
        copied = con.execute(
            f"INSERT INTO {registry.PUBLISHED} ({columns}) SELECT {copy} FROM {registry.PUBLISHED} "
            "WHERE source_file = ? AND value IS NOT NULL", [first, first]).fetchone()[0]
        assert copied > 0
    shutil.copy(in_order, reversed_)
    with duckdb.connect(str(reversed_)) as con:
        for table in registry.ingested():
            _store_reversed(con, table)
        builds.build_tables(con, builds.cycles_to_build(con))
    with duckdb.connect(str(in_order)) as con:
        builds.build_tables(con, builds.cycles_to_build(con))
    assert compare_warehouses.compare(in_order, reversed_) == ([], [])


def test_the_tables_built_without_dagster_are_those_rmrp_run_built(built_warehouse, tmp_path):
    """``builds.build_tables`` (used above and by bench/bench_real_job.py) over the session's warehouse
    of ``rmrp run`` rebuilds every table as the Dagster jobs built it."""
    again = tmp_path / "again.duckdb"
    shutil.copy(built_warehouse[0], again)
    with duckdb.connect(str(again)) as con:
        builds.build_tables(con, builds.cycles_to_build(con))
    assert compare_warehouses.compare(built_warehouse[0], again) == ([], [])

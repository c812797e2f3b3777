"""rmrp export of a table by reporting cycle holds the cycle's months only, also for a table whose
rows are written a year at a time (marts.people_reached_monthly)."""

from __future__ import annotations

import duckdb
import pytest

from rmrp_pipeline.reports.exports import ExportError, read_table
from rmrp_pipeline.warehouse import db as warehouse

TABLE = "marts.people_reached_monthly"


@pytest.fixture()
def con():
    connection = duckdb.connect()
    warehouse.create_table(connection, TABLE)
    columns = connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marts' "
        "AND table_name = 'people_reached_monthly' AND is_generated <> 'ALWAYS' ORDER BY ordinal_position").fetchall()
    for month, total in (("2022-03-01", 10), ("2022-08-01", 27)):
        # one row of Argentina's Shelter figures: every column filled (a date, a number, a text, false)
        values = [month if kind == "DATE" else total if kind in ("BIGINT", "DOUBLE", "INTEGER") else
                  False if kind == "BOOLEAN" else "x" for _name, kind in columns]
        names = ", ".join(f'"{name}"' for name, _kind in columns)
        connection.execute(f"INSERT INTO {TABLE} ({names}) VALUES ({', '.join('?' * len(values))})", values)
    yield connection
    connection.close()


def test_a_cycle_export_holds_only_the_months_of_the_cycle(con):
    mid_year = read_table(con, TABLE, "2022-H1").data
    assert [str(m) for m in mid_year.column("month").to_pylist()] == ["2022-03-01"]
    end_year = read_table(con, TABLE, "2022-H2").data   # January to December
    assert sorted(end_year.column("monthly_total").to_pylist()) == [10, 27]


def test_a_mid_year_cycle_without_months_of_data_exports_nothing(con):
    con.execute(f"DELETE FROM {TABLE} WHERE month < DATE '2022-07-01'")
    with pytest.raises(ExportError, match="no rows of 2022-H1: its months: 2022-08"):
        read_table(con, TABLE, "2022-H1")

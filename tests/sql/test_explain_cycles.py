"""rmrp explain of a cycle the warehouse did not build says so, rather than suggesting the subsector
that was given."""

from __future__ import annotations

import duckdb
import pytest

from rmrp_pipeline.reports.explain import ExplainError, find_figure
from rmrp_pipeline.warehouse import db as warehouse


def _insert(con: duckdb.DuckDBPyConnection, table: str, given: dict) -> None:
    """One row of ``table``: the ``given`` values, every other column filled (0, false, a text)."""
    schema, name = table.split(".")
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "AND is_generated <> 'ALWAYS' ORDER BY ordinal_position", [schema, name]).fetchall()
    values = [given.get(c, 0 if kind in ("BIGINT", "DOUBLE", "INTEGER") else False if kind == "BOOLEAN"
                        else "2021-05-01" if kind == "DATE" else "x") for c, kind in columns]
    names = ", ".join(f'"{c}"' for c, _kind in columns)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(values))})", values)


@pytest.fixture()
def con():
    connection = duckdb.connect()
    for table in ("staging.ref_countries", "marts.people_reached_monthly", "marts.cycle_people_reached"):
        warehouse.create_table(connection, table)
    connection.execute("INSERT INTO staging.ref_countries (platform, country, iso3) VALUES ('Peru', 'Peru', 'PER')")
    place = {"level": "country", "country": "Peru", "country_iso3": "PER", "subsector": "Health"}
    _insert(connection, "marts.people_reached_monthly", {**place, "month": "2021-05-01", "consolidated_total": 7})
    _insert(connection, "marts.cycle_people_reached", {**place, "cycle": "2021-H1", "consolidated_total": 7})
    yield connection
    connection.close()


def test_a_figure_of_a_built_cycle_is_found(con):
    assert find_figure(con, "2021-H1", "Peru", "Health")["consolidated_total"] == 7


def test_a_cycle_not_built_is_named_as_such(con):
    # 2021-H2: the data stop in May, so only the mid-year cycle is built
    with pytest.raises(ExplainError) as raised:
        find_figure(con, "2021-H2", "Peru", "Health")
    assert "2021-H2 is not a reporting cycle of this warehouse (its cycles: 2021-H1)" in str(raised.value)
    assert "did you mean" not in str(raised.value)

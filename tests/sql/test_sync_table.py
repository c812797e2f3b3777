"""warehouse.db.sync_table: an ingested table ends holding exactly the new rows, and only the rows
of the files whose rows differ are deleted and inserted again (the others keep their row ids).

The table is meta.quality_findings as its DDL declares it (eight stored columns, two generated).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from rmrp_pipeline.warehouse import db

TABLE = "meta.quality_findings"
COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "value", "message", "produced_by"]


def _rows(file: str, count: int, first: int = 2) -> list[tuple]:
    return [(file, "5W", n, "Women", "not_whole", str(n), f"row {n}: not a whole number", "ingest")
            for n in range(first, first + count)]


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def _content(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in COLUMNS)
    return sorted(con.execute(f"SELECT {quoted} FROM {TABLE}").fetchall())


def _row_ids(con: duckdb.DuckDBPyConnection, file: str) -> list[int]:
    return [r for r, in con.execute(f"SELECT rowid FROM {TABLE} WHERE source_file = ? ORDER BY rowid", [file]).fetchall()]


@pytest.fixture()
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_a_first_write_creates_the_table_as_declared(con):
    rows = _rows("a.xlsx", 3)
    assert db.sync_table(con, TABLE, _frame(rows)) == (3, 0)
    assert _content(con) == sorted(rows)
    assert db.column_types(con, TABLE) == db.declared_columns(TABLE)


def test_only_the_files_whose_rows_differ_are_rewritten(con):
    a, b, c = _rows("a.xlsx", 10), _rows("b.xlsx", 2), _rows("c.xlsx", 1)
    db.sync_table(con, TABLE, _frame(a + b + c))
    kept_ids = _row_ids(con, "a.xlsx")
    # b: one row's "column" and "rule" values swapped (the same values in other places); c gone; d new;
    # a's rows in another order
    swapped = b[1][:3] + (b[1][4], b[1][3]) + b[1][5:]
    d = _rows("d.xlsx", 1)
    new = list(reversed(a)) + [b[0], swapped] + d
    assert db.sync_table(con, TABLE, _frame(new)) == (3, 10)
    assert _content(con) == sorted(new)
    assert _row_ids(con, "a.xlsx") == kept_ids
    assert con.execute(f"SELECT count(*) FROM {TABLE} WHERE source_file = 'c.xlsx'").fetchone() == (0,)


def test_a_repeated_row_is_a_difference(con):
    a, b = _rows("a.xlsx", 10), _rows("b.xlsx", 1)
    db.sync_table(con, TABLE, _frame(a + b + b))           # b's row twice
    new = a + b + _rows("b.xlsx", 1, first=3)              # b: the same row once, and another
    assert db.sync_table(con, TABLE, _frame(new)) == (2, 10)
    assert _content(con) == sorted(new)


def test_arrow_rows_of_other_types_are_compared_as_the_table_stores_them(con):
    rows = _rows("a.xlsx", 4) + _rows("b.xlsx", 3)
    db.sync_table(con, TABLE, _frame(rows))
    frame = _frame(rows)
    arrow = pa.table({c: (pa.array(frame[c], pa.int32()) if c == "row_number"
                          else pa.array(frame[c]).dictionary_encode()) for c in COLUMNS})
    assert db.sync_table(con, TABLE, arrow) == (0, 7)
    assert _content(con) == sorted(rows)


def test_more_than_half_of_the_rows_changed_replaces_the_table(con):
    db.sync_table(con, TABLE, _frame(_rows("a.xlsx", 2) + _rows("b.xlsx", 2)))
    new = _rows("a.xlsx", 2) + _rows("b.xlsx", 3)
    assert db.sync_table(con, TABLE, _frame(new)) == (5, 0)
    assert _content(con) == sorted(new)


def test_a_table_of_another_structure_is_replaced(con):
    rows = _rows("a.xlsx", 10) + _rows("b.xlsx", 1)
    db.sync_table(con, TABLE, _frame(rows))
    con.execute(f"COMMENT ON COLUMN {TABLE}.message IS 'an older text'")
    assert db.sync_table(con, TABLE, _frame(rows)) == (11, 0)
    declared = dict((c, d) for c, _t, d in db.table_columns(db._scratch(), TABLE))
    assert dict((c, d) for c, _t, d in db.table_columns(con, TABLE))["message"] == declared["message"]


def test_rows_without_every_stored_column_replace_the_table(con):
    rows = _rows("a.xlsx", 10) + _rows("b.xlsx", 1)
    db.sync_table(con, TABLE, _frame(rows))
    assert db.sync_table(con, TABLE, _frame(rows).drop(columns=["value"])) == (11, 0)
    assert con.execute(f"SELECT count(*) FROM {TABLE} WHERE value IS NULL").fetchone() == (11,)


def test_no_rows_empty_the_table(con):
    db.sync_table(con, TABLE, _frame(_rows("a.xlsx", 3)))
    assert db.sync_table(con, TABLE, _frame([])) == (0, 0)
    assert _content(con) == []


# --- marts.fct_activities: a view of the staged rows that are not rejected -----------------------

def _staged(rows: list[tuple[str, int, float, bool]]) -> pd.DataFrame:
    """5W staged rows (file, Excel row, new beneficiaries, rejected)."""
    return pd.DataFrame(rows, columns=["source_file", "source_row", "new_beneficiaries", "is_rejected"]).assign(
        source_sheet="5W", month=pd.Timestamp("2021-03-01").date(), country="Colombia")


def _activities(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(con.execute("SELECT source_file, source_row, new_beneficiaries FROM marts.fct_activities").fetchall())


def test_the_activities_are_the_staged_rows_not_rejected_as_the_staging_holds_them_now(con):
    """Built once, the view follows every later sync of the staged rows: a file corrected, its
    rejected row fixed, another file gone; its columns are those its DDL declares (the staging's
    without is_rejected), and nothing is stored twice."""
    from rmrp_pipeline.marts import builds

    a = [("a.xlsx", n, 10.0, False) for n in range(2, 12)]
    b = [("b.xlsx", 2, 5.0, False), ("b.xlsx", 3, 7.0, True)]
    db.sync_table(con, "staging.stg_5w__activities", _staged(a + b))
    builds.rebuild_table(con, "marts.fct_activities")
    assert _activities(con) == sorted([r[:3] for r in a] + [("b.xlsx", 2, 5.0)])
    db.sync_table(con, "staging.stg_5w__activities", _staged([("b.xlsx", 2, 6.0, False), ("b.xlsx", 3, 7.0, False)]))
    assert _activities(con) == [("b.xlsx", 2, 6.0), ("b.xlsx", 3, 7.0)]
    assert db.column_types(con, "marts.fct_activities") == db.declared_columns("marts.fct_activities")
    assert [c for c, _t in db.declared_columns("staging.stg_5w__activities")] == [
        c for c, _t in db.declared_columns("marts.fct_activities")] + ["is_rejected"]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fct_activities'").fetchone() == (0,)
    assert db.table_exists(con, "marts.fct_activities") and db.layer_tables(con) == [
        "marts.fct_activities", "staging.stg_5w__activities"]

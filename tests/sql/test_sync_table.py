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


# --- a table built from one query (marts.builds.rebuild_table): marts.fct_activities ---------------

def _staged(rows: list[tuple[str, int, float, bool]]) -> pd.DataFrame:
    """5W staged rows (file, Excel row, new beneficiaries, rejected)."""
    return pd.DataFrame(rows, columns=["source_file", "source_row", "new_beneficiaries", "is_rejected"]).assign(
        source_sheet="5W", month=pd.Timestamp("2021-03-01").date(), country="Colombia")


def _activities(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(con.execute("SELECT source_file, source_row, new_beneficiaries FROM marts.fct_activities").fetchall())


def test_a_table_built_from_one_query_writes_only_the_files_whose_rows_differ(con, monkeypatch):
    from rmrp_pipeline.marts import builds

    monkeypatch.setattr(builds, "SYNC_FROM_ROWS", 0)
    assert builds.insert_query("marts.fct_activities").startswith("SELECT * EXCLUDE (is_rejected)")
    a = [("a.xlsx", n, 10.0, False) for n in range(2, 12)]
    b = [("b.xlsx", 2, 5.0, False), ("b.xlsx", 3, 7.0, True)]
    db.replace_table(con, "staging.stg_5w__activities", _staged(a + b))
    builds.rebuild_table(con, "marts.fct_activities")
    assert _activities(con) == sorted([r[:3] for r in a] + [("b.xlsx", 2, 5.0)])
    kept_ids = [r for r, in con.execute("SELECT rowid FROM marts.fct_activities WHERE source_file = 'a.xlsx' ORDER BY 1").fetchall()]
    # b corrected: its rejected row fixed, its other row's figure changed; a as it was
    b = [("b.xlsx", 2, 6.0, False), ("b.xlsx", 3, 7.0, False)]
    db.replace_table(con, "staging.stg_5w__activities", _staged(a + b))
    synced = []
    real = db.sync_from_query
    monkeypatch.setattr(db, "sync_from_query", lambda *args: synced.append(real(*args)) or synced[-1])
    builds.rebuild_table(con, "marts.fct_activities")
    assert synced == [(2, 10)]
    assert _activities(con) == sorted([r[:3] for r in a] + [("b.xlsx", 2, 6.0), ("b.xlsx", 3, 7.0)])
    assert [r for r, in con.execute("SELECT rowid FROM marts.fct_activities WHERE source_file = 'a.xlsx' "
                                     "ORDER BY 1").fetchall()] == kept_ids


def test_a_small_table_built_from_one_query_is_written_again_whole(con, monkeypatch):
    from rmrp_pipeline.marts import builds

    compared = []
    monkeypatch.setattr(db, "sync_from_query", lambda *args: compared.append(args))

    rows = [("a.xlsx", n, 10.0, False) for n in range(2, 12)] + [("b.xlsx", 2, 5.0, False)]
    db.replace_table(con, "staging.stg_5w__activities", _staged(rows))
    builds.rebuild_table(con, "marts.fct_activities")
    db.replace_table(con, "staging.stg_5w__activities", _staged(rows[:-1] + [("b.xlsx", 2, 6.0, False)]))
    builds.rebuild_table(con, "marts.fct_activities")   # 11 rows, under SYNC_FROM_ROWS: recreated
    assert compared == []
    assert _activities(con) == sorted([r[:3] for r in rows[:-1]] + [("b.xlsx", 2, 6.0)])
    assert builds.insert_query("marts.fct_planning_figures") is None   # a ";" in a comment of its query: rebuilt whole


def test_a_query_ending_in_a_line_comment_is_compared(con):
    """``builds.insert_query`` keeps a comment on the query's last line: the query is still one
    expression once wrapped."""
    a = [("a.xlsx", n, 10.0, False) for n in range(2, 6)]
    db.replace_table(con, "staging.stg_5w__activities", _staged(a + [("b.xlsx", 2, 5.0, False)]))
    query = "SELECT * EXCLUDE (is_rejected)\nFROM staging.stg_5w__activities\nWHERE NOT is_rejected  -- loaded rows only"
    db.create_table(con, "marts.fct_activities")
    con.execute("INSERT INTO marts.fct_activities BY NAME SELECT * EXCLUDE (is_rejected) FROM staging.stg_5w__activities")
    db.replace_table(con, "staging.stg_5w__activities", _staged(a + [("b.xlsx", 2, 6.0, False)]))
    assert db.sync_from_query(con, "marts.fct_activities", query) == (1, 4)
    assert _activities(con) == [("a.xlsx", n, 10.0) for n in range(2, 6)] + [("b.xlsx", 2, 6.0)]

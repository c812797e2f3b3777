"""scripts/compare_warehouses.py: a numeric type change is a difference, unless --cast-numbers, which
compares the values as DOUBLE and names the columns whose values differ."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import compare_warehouses


def _warehouse(path: Path, kind: str, values: list) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"CREATE TABLE marts.t (name VARCHAR, persons {kind})")
        con.executemany("INSERT INTO marts.t VALUES (?, ?)", [(f"row {n}", v) for n, v in enumerate(values)])
    return path


def test_a_type_change_with_equal_values_is_identical_only_with_cast_numbers(tmp_path, capsys):
    before = _warehouse(tmp_path / "a.duckdb", "DOUBLE", [10.0, 12.0, None])
    after = _warehouse(tmp_path / "b.duckdb", "BIGINT", [10, 12, None])
    assert compare_warehouses.main([str(before), str(after)]) == 1
    assert compare_warehouses.main(["--cast-numbers", str(before), str(after)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2:] == ["type: marts.t: persons DOUBLE -> BIGINT", "identical (values; numeric types changed as listed)"]


def test_cast_numbers_names_the_columns_whose_values_differ(tmp_path, capsys):
    before = _warehouse(tmp_path / "a.duckdb", "DOUBLE", [10.0, 0.4])
    after = _warehouse(tmp_path / "b.duckdb", "BIGINT", [10, 0])
    assert compare_warehouses.main(["--cast-numbers", str(before), str(after)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert "    persons: 1 value(s) only in BEFORE, 1 only in AFTER; sum 10.4 BEFORE, 10.0 AFTER" in printed
    assert "    name: " not in "\n".join(printed)


def test_rows_are_counted_as_multisets_on_each_side(tmp_path, capsys):
    """A row twice on one side and once on the other is one row only on the first side; NULLs equal NULLs."""
    before = _warehouse(tmp_path / "a.duckdb", "BIGINT", [10, None, 12])
    after = _warehouse(tmp_path / "b.duckdb", "BIGINT", [10, None, 13])
    with duckdb.connect(str(before)) as con:
        con.execute("INSERT INTO marts.t VALUES ('row 0', 10), ('row 1', NULL)")
    with duckdb.connect(str(after)) as con:
        con.execute("INSERT INTO marts.t VALUES ('row 1', NULL)")
    assert compare_warehouses.compare(before, after)[0][:2] == ["marts.t: 2 row(s) only in BEFORE",
                                                                "marts.t: 1 row(s) only in AFTER"]

"""Compare two warehouses built from the same raw folder: every table and view of the first must be
in the second with the same columns (names, order, types) and the same rows (as multisets), leaving
out timestamp columns (when a file was read) and the records of each run (``meta.publications``:
compared on its columns only, since its run ids and times differ between any two runs). Tables only in the second, and columns the second adds
after all of the first's, are listed, not failures (the rows are then compared on the first's columns).

Usage: python scripts/compare_warehouses.py [--cast-numbers] BEFORE.duckdb AFTER.duckdb
Exit 0 when identical, 1 when anything differs (each difference on its own line), 2 on bad arguments.

``--cast-numbers``: a column whose numeric type changed (DOUBLE -> BIGINT or DECIMAL, ...) is not a
difference by itself; every numeric column is compared as its values cast to DOUBLE, and the
type changes are listed apart. Where rows differ, the columns whose values differ are named, with
how many values and the column's sum on each side.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

_LISTING = """
SELECT table_schema, table_name FROM information_schema.tables
WHERE table_catalog = '{db}' AND table_schema IN ('raw', 'staging', 'marts', 'meta') ORDER BY 1, 2
"""
_COLUMNS = """
SELECT column_name, data_type FROM information_schema.columns
WHERE table_catalog = '{db}' AND table_schema = ? AND table_name = ? ORDER BY ordinal_position
"""

#: Tables that record the run itself: their columns are compared, their rows never agree.
PER_RUN_TABLES = {"meta.publications"}


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in con.execute(_LISTING.format(db=db)).fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, table: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in con.execute(_COLUMNS.format(db=db), [schema, table]).fetchall()]


_NUMERIC = ("DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "DECIMAL")


def _numeric(kind: str) -> bool:
    return kind.split("(")[0] in _NUMERIC


def _select(columns: list[tuple[str, str]], cast_numbers: bool) -> list[str]:
    """The compared expressions of ``columns`` (timestamps left out; numbers as DOUBLE when asked)."""
    return [f'CAST("{c}" AS DOUBLE)' if cast_numbers and _numeric(t) else f'"{c}"'
            for c, t in columns if not t.startswith("TIMESTAMP")]


def _only_in_each(con: duckdb.DuckDBPyConnection, name: str, expressions: list[str]) -> tuple[int, int]:
    """The rows of ``name`` (as ``expressions``) only in a and only in b, as multisets (what ``EXCEPT
    ALL`` counts each way), in one pass over each side: each distinct row with its count on either side."""
    kept = ", ".join(f"{e} AS c{i}" for i, e in enumerate(expressions))
    groups = ", ".join(f"c{i}" for i in range(len(expressions)))
    only = con.execute(
        "SELECT coalesce(sum(greatest(in_a - in_b, 0)), 0), coalesce(sum(greatest(in_b - in_a, 0)), 0) FROM ("
        "SELECT count(*) FILTER (WHERE side = 'a') AS in_a, count(*) FILTER (WHERE side = 'b') AS in_b FROM ("
        f"SELECT {kept}, 'a' AS side FROM a.{name} UNION ALL SELECT {kept}, 'b' FROM b.{name}) GROUP BY {groups})").fetchone()
    return int(only[0]), int(only[1])


def _differing_columns(con: duckdb.DuckDBPyConnection, name: str, columns: list[tuple[str, str]], cast_numbers: bool) -> list[str]:
    """Each column whose values (as a multiset) differ: how many only on each side, and for a
    number its sum on each side."""
    lines = []
    for (column, kind), expression in zip([c for c in columns if not c[1].startswith("TIMESTAMP")], _select(columns, cast_numbers)):
        before, after = _only_in_each(con, name, [expression])
        if not before and not after:
            continue
        sums = ""
        if _numeric(kind):
            a, b = (con.execute(f"SELECT sum({expression}) FROM {db}.{name}").fetchone()[0] for db in ("a", "b"))
            sums = f"; sum {a!r} BEFORE, {b!r} AFTER"
        lines.append(f"    {column}: {before} value(s) only in BEFORE, {after} only in AFTER{sums}")
    return lines


def compare(before: Path, after: Path, cast_numbers: bool = False) -> tuple[list[str], list[str]]:
    """(differences, additions: tables only in AFTER and columns AFTER adds) between two warehouse
    files, opened read-only; with ``cast_numbers``, numbers are compared as DOUBLE and a changed
    numeric type is a note (returned among the differences, marked ``type:``, not counted as one)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
    old, new = _tables(con, "a"), _tables(con, "b")
    problems = [f"missing table {s}.{t}" for s, t in old if (s, t) not in new]
    added = [f"{s}.{t}" for s, t in new if (s, t) not in old]
    for schema, table in (pair for pair in old if pair in new):
        name = f"{schema}.{table}"
        cols_a, cols_b = _columns(con, "a", schema, table), _columns(con, "b", schema, table)
        shared = cols_b[: len(cols_a)]
        if shared != cols_a:
            retyped = [(ca, ta, tb) for (ca, ta), (cb, tb) in zip(cols_a, shared) if ca == cb and ta != tb]
            same_names = [c for c, _t in cols_a] == [c for c, _t in shared]
            if not (cast_numbers and same_names and all(_numeric(ta) and _numeric(tb) for _c, ta, tb in retyped)):
                problems.append(f"{name}: columns differ: {cols_a} != {cols_b}")
                continue
            problems.append(f"type: {name}: " + ", ".join(f"{c} {ta} -> {tb}" for c, ta, tb in retyped))
        if len(cols_b) > len(cols_a):
            added.append(f"{name} columns " + ", ".join(c for c, _t in cols_b[len(cols_a):]))
        if name in PER_RUN_TABLES:
            continue
        expressions = _select(cols_a, cast_numbers)
        counts = dict(zip(("BEFORE", "AFTER"), _only_in_each(con, name, expressions)))
        for side, extra in counts.items():
            if extra:
                problems.append(f"{name}: {extra} row(s) only in {side}")
        if any(counts.values()):
            problems += _differing_columns(con, name, cols_a, cast_numbers)
    return problems, added


def main(argv: list[str]) -> int:
    cast_numbers = "--cast-numbers" in argv
    paths = [a for a in argv if a != "--cast-numbers"]
    if len(paths) != 2 or not all(Path(p).is_file() for p in paths):
        print("usage: python scripts/compare_warehouses.py [--cast-numbers] BEFORE.duckdb AFTER.duckdb (two existing files)")
        return 2
    lines, added = compare(Path(paths[0]), Path(paths[1]), cast_numbers)
    for line in lines:
        print(line)
    if added:
        print("only in AFTER (new tables and columns): " + "; ".join(added))
    problems = [line for line in lines if not line.startswith(("type: ", "    "))]
    if not problems:
        print("identical" + (" (values; numeric types changed as listed)" if lines else ""))
    else:
        print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Compare two warehouses built from the same raw folder: every table and view of the first must be
in the second with the same columns (names, order, types) and the same rows (as multisets), leaving
out timestamp columns (when a file was read). Tables only in the second, and columns the second adds
after all of the first's, are listed, not failures (the rows are then compared on the first's columns).

Usage: python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb
Exit 0 when identical, 1 when anything differs (each difference on its own line), 2 on bad arguments.
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


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in con.execute(_LISTING.format(db=db)).fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, table: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in con.execute(_COLUMNS.format(db=db), [schema, table]).fetchall()]


def compare(before: Path, after: Path) -> tuple[list[str], list[str]]:
    """(differences, additions: tables only in AFTER and columns AFTER adds) between two warehouse
    files, opened read-only."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
    old, new = _tables(con, "a"), _tables(con, "b")
    problems = [f"missing table {s}.{t}" for s, t in old if (s, t) not in new]
    added = [f"{s}.{t}" for s, t in new if (s, t) not in old]
    for schema, table in (pair for pair in old if pair in new):
        cols_a, cols_b = _columns(con, "a", schema, table), _columns(con, "b", schema, table)
        if cols_b[: len(cols_a)] != cols_a:
            problems.append(f"{schema}.{table}: columns differ: {cols_a} != {cols_b}")
            continue
        if len(cols_b) > len(cols_a):
            added.append(f"{schema}.{table} columns " + ", ".join(c for c, _t in cols_b[len(cols_a):]))
        kept = ", ".join(f'"{c}"' for c, t in cols_a if not t.startswith("TIMESTAMP"))
        for x, y in (("a", "b"), ("b", "a")):
            extra = con.execute(
                f"SELECT count(*) FROM (SELECT {kept} FROM {x}.{schema}.{table} "
                f"EXCEPT ALL SELECT {kept} FROM {y}.{schema}.{table})"
            ).fetchone()[0]
            if extra:
                problems.append(f"{schema}.{table}: {extra} row(s) only in {'BEFORE' if x == 'a' else 'AFTER'}")
    return problems, added


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not all(Path(p).is_file() for p in argv):
        print("usage: python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb (two existing files)")
        return 2
    problems, added = compare(Path(argv[0]), Path(argv[1]))
    for line in problems:
        print(line)
    if added:
        print("only in AFTER (new tables and columns): " + "; ".join(added))
    print("identical" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

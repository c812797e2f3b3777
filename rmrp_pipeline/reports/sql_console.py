"""``rmrp sql``: a read-only SQL console on the warehouse, for analysts and scripts.

The warehouse file is opened read-only, so no statement can change it; statements that would
write anything (INSERT, CREATE, COPY ... TO a file, ATTACH, EXPORT, INSTALL, ...) are refused
before they run, with ``rmrp sql: the warehouse is read-only here``. Allowed: SELECT (with WITH, FROM-first,
DESCRIBE, SHOW, SUMMARIZE), EXPLAIN and PRAGMA. Several statements separated by ``;`` run in
order and the last one's result is shown. The macros of ``warehouse/sql/macros.sql`` are stored in
the file, so queries can use them (``name_key``, ...).

Output: an aligned table for people (numbers right-aligned with thousands separators, NULL shown
as ``NULL``), or CSV or JSON for scripts (values as they are: no thousands separators, dates ISO,
NULL as an empty CSV field or JSON ``null``).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rmrp_pipeline.reports.connect import first_line, open_read_only
from rmrp_pipeline.text.printable import os_reason, printable

#: Statement types that only read.
READING_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


class QueryError(ValueError):
    """A query that is refused or fails; the message is one line for the terminal."""


@dataclass
class QueryResult:
    """Column names, DuckDB type names and rows (Python values) of a query; ``unshown``: the
    statements before the last one that have a result (a USE has none), which ran but whose
    results are not these."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]
    unshown: int = 0


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    """The parsed statements of ``sql``, all of them reading ones.

    Raises:
        QueryError: ``sql`` does not parse, is empty, or holds a statement that writes.
    """
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(first_line(str(exc))) from exc
    if not statements:
        raise QueryError("no SQL statement given")
    for statement in statements:
        _check_reading(con, statement)
    return statements


#: White space and comments before a statement's first keyword.
_LEADING = r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
#: What comes before the statement an EXPLAIN explains: the keyword, then ANALYZE or options in parentheses.
_EXPLAIN = re.compile(_LEADING + r"EXPLAIN\b\s*(?:ANALY[SZ]E\b|\([^()]*\))?", re.I | re.S)
#: A USE statement (``USE staging``, ``USE rmrp.marts``).
_USE = re.compile(_LEADING + r"USE\s+[\w.\"]+\s*;?\s*$", re.I | re.S)


def _check_reading(con: duckdb.DuckDBPyConnection, statement) -> None:
    """Refuse a statement that is not a reading one, and an EXPLAIN of one (EXPLAIN ANALYZE runs
    the statement it explains: a COPY ... TO under it writes its file)."""
    kind = statement.type.name
    if kind == "SET" and _USE.match(statement.query):
        return   # USE staging: the schema names are read in, nothing written
    if kind not in READING_STATEMENTS:
        raise QueryError(f"the warehouse is read-only here: {kind} statements are not run "
                         "(SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA and USE are)")
    if kind == "EXPLAIN":
        found = _EXPLAIN.match(statement.query)
        try:
            explained = con.extract_statements(statement.query[found.end():]) if found else []
        except duckdb.Error:
            explained = []
        if not explained:
            raise QueryError("the warehouse is read-only here: an EXPLAIN whose statement cannot be checked is not run")
        for inner in explained:
            _check_reading(con, inner)


def query_text(argument: str) -> str:
    """The SQL of ``rmrp sql``'s argument: the text itself, the contents of a ``.sql`` file, or
    standard input for ``-``.

    Raises:
        QueryError: a ``.sql`` file that cannot be read.
    """
    if argument == "-":
        return sys.stdin.read()
    if argument.strip().lower().endswith(".sql") and "\n" not in argument:
        try:
            return Path(argument.strip()).read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read {argument.strip()}: {os_reason(exc)}") from exc
    return argument


def run_query(warehouse: str, sql: str, variables: dict[str, str] | None = None) -> QueryResult:
    """Run ``sql`` on the warehouse file, read-only; the last statement's result. ``variables``:
    values the SQL reads with ``getvariable(name)`` (the saved questions' parameters).

    Raises:
        WarehouseError: the warehouse is missing, locked by a writer, or not a DuckDB file.
        QueryError: the SQL writes, does not parse, or fails (unknown table, wrong type, ...).
    """
    con = open_read_only(warehouse)
    try:
        # a query naming a remote or foreign file does not download an extension into the home folder
        con.execute("SET autoinstall_known_extensions = false")
        statements = check_read_only(con, sql)
        try:
            for name, value in (variables or {}).items():
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    raise QueryError(f"not a variable name: {name!r}")
                con.execute(f"SET VARIABLE {name} = ?", [value])
            for statement in statements[:-1]:
                con.execute(statement)
            cursor = con.execute(statements[-1])
            columns = [d[0] for d in cursor.description or []]
            types = [str(d[1]) for d in cursor.description or []]
            rows = cursor.fetchall() if columns else []
        except duckdb.Error as exc:
            message = first_line(str(exc))
            if "read-only mode" in message:
                message = f"the warehouse is read-only here: {message}"
            extension = re.search(r"install the required extension '(\w+)", message)
            if extension:
                message = (f"the query needs DuckDB's {extension.group(1)} extension, which rmrp sql does not "
                           "install (it reads the warehouse; read other files in a DuckDB session of your own)")
            raise QueryError(message) from exc
        return QueryResult(columns, types, rows, sum(st.type.name != "SET" for st in statements[:-1]))
    finally:
        con.close()


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def plain_number_column(column: str) -> bool:
    """Whether a column holds numbers that are names, not quantities (years, row numbers): shown
    without thousands separators."""
    name = column.lower()
    return name.endswith(("year", "row", "row_number", "_id", "position"))


def format_value(value: object, plain: bool = False) -> str:
    """A value for people: numbers with thousands separators (fractions with two decimals,
    below 1 with four significant digits; none with ``plain``), dates ISO, NULL as ``NULL``; a
    text on one line (a line break as a space, another control character as its escape:
    ``text.printable``)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if plain and isinstance(value, int):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, decimal.Decimal)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return str(number)
        if number.is_integer() and abs(number) < 1e15:
            return f"{int(number):,}"
        return f"{number:,.2f}" if abs(number) >= 1 else f"{number:.4g}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return printable(str(value).replace("\n", " ").replace("\r", " "))


#: Characters of a text cell shown by the table output (the rest cut, marked with "…"; CSV and JSON give it whole).
TABLE_CELL_CHARS = 60


def _shown(text: str) -> str:
    """A cell's text (one line: ``format_value``) in at most TABLE_CELL_CHARS characters."""
    return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"


def as_table(result: QueryResult) -> str:
    """The result aligned in columns, numbers right-aligned (years and row numbers without
    thousands separators), a text over TABLE_CELL_CHARS characters cut (the last line says so),
    and a line with the row count."""
    if not result.columns:
        return "(no result)"
    if result.columns == ["explain_key", "explain_value"]:   # EXPLAIN: the plan as DuckDB draws it
        return "\n".join(str(value) for _key, value in result.rows)
    plain = [plain_number_column(c) for c in result.columns]
    full = [[format_value(v, p) for v, p in zip(row, plain)] for row in result.rows]
    cut = any(len(cell) > TABLE_CELL_CHARS for row in full for cell in row)
    cells = [[_shown(cell) for cell in row] for row in full]
    numeric = [any(_is_number(r[i]) for r in result.rows) and all(_is_number(r[i]) or r[i] is None for r in result.rows)
               for i in range(len(result.columns))]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)).rstrip()

    lines = [line(result.columns), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    lines.append(f"({len(result.rows):,} row{'s' if len(result.rows) != 1 else ''}"
                 + (f"; texts over {TABLE_CELL_CHARS} characters cut: --csv or --json give them whole)" if cut else ")"))
    return "\n".join(lines)


def _plain(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def as_csv(result: QueryResult) -> str:
    """The result as CSV (header row, values as they are, NULL as an empty field)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else _csv_text(_plain(v))
                         for v in row])
    return out.getvalue().rstrip("\n")


def as_json(result: QueryResult) -> str:
    """The result as a JSON array of objects, one per row (column -> value)."""
    return json.dumps([dict(zip(result.columns, (_plain(v) for v in row))) for row in result.rows],
                      ensure_ascii=False, indent=1)


def _csv_text(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value

"""Opening the warehouse for a report, read-only, with one-line errors for people.

A report never writes the warehouse: the file is opened read-only, so a report can run while the
Dagster UI, another report or ``rmrp run`` works (a run publishes a new file beside it and renames it
into place, docs/operations.md). A warehouse that another process holds open for writing is locked
by DuckDB; that, a missing file and a file that is not a DuckDB database each become a
:class:`WarehouseError` whose message is one line saying what to do.
"""

from __future__ import annotations

import os
import re

import duckdb


class WarehouseError(RuntimeError):
    """The warehouse cannot be read; the message is one line for the terminal. ``wrong_argument``:
    no file at the path given (the command's exit code 2, as for any wrong argument; 1 otherwise)."""

    def __init__(self, message: str, wrong_argument: bool = False):
        super().__init__(message)
        self.wrong_argument = wrong_argument


def open_read_only(warehouse: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckDB file ``warehouse``.

    Raises:
        WarehouseError: no file there, another process holds the write lock, or the file is not a
            DuckDB warehouse.
    """
    path = os.fspath(warehouse)
    if not os.path.isfile(path):
        raise WarehouseError(missing_warehouse(path), wrong_argument=True)
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(open_problem(path, exc)) from exc


def missing_warehouse(path: str) -> str:
    """The one line for a warehouse path with no file: the path as given, and where that is when it
    is relative (it is read from the current folder)."""
    where = "" if os.path.isabs(path) else f" (from the folder {os.getcwd()}: {os.path.abspath(path)})"
    return f"no warehouse at {path}{where}: run `rmrp run` first, or give --warehouse"


def built_cycles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reporting cycles whose figures the warehouse holds (``marts.cycle_people_reached``), sorted;
    none when that table is missing."""
    try:
        return [c for (c,) in con.execute("SELECT DISTINCT cycle FROM marts.cycle_people_reached ORDER BY 1").fetchall()]
    except duckdb.CatalogException:
        return []


def no_5w_data(con: duckdb.DuckDBPyConnection, cycle: str, what: str = "people reached") -> str:
    """The one line for a cycle whose months have no 5W data in the warehouse: ``no <what> in
    <cycle>: ...``, naming the cycles the warehouse has (:func:`built_cycles`)."""
    return (f"no {what} in {cycle}: the warehouse has no 5W data of its months "
            f"(its cycles: {', '.join(built_cycles(con)) or 'none'})")


def open_problem(path: str, exc: Exception) -> str:
    """One line saying why ``path`` could not be opened, from DuckDB's error ``exc``."""
    text = str(exc)
    if "lock" in text.lower():
        pid = re.search(r"PID (\d+)", text)
        holder = f"process {pid.group(1)}" if pid else "another process"
        return (f"the warehouse {path} is locked: {holder} holds it open for writing (`rmrp run` never does: it "
                "publishes a new file, docs/operations.md); try again when it has closed it")
    return f"cannot open the warehouse {path}: {first_line(text)}"


def first_line(message: str) -> str:
    """A DuckDB error message on one line: its lines before the ``LINE n:`` excerpt, joined."""
    kept = []
    for line in message.splitlines():
        if line.startswith("LINE ") or (kept and not line.strip()):
            break
        if line.strip():
            kept.append(line.strip())
    return " ".join(kept) or message.strip()

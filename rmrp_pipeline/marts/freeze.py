"""Cycle freezes (docs/freeze.md): a published reporting cycle's figures kept while the raw files
change, as ActivityInfo's timelocks and DHIS2's data approval keep a reported period.

``meta.cycle_freezes`` holds one row per freeze or unfreeze (who, when, why; history kept); a cycle
is frozen while its latest event is a freeze. While it is, ``builds.rewrite_cycle`` leaves its rows
of every table the registry declares frozen cycle by cycle (``registry.frozen_by_cycle``) as they
are, a rewrite of another cycle keeps them (:func:`kept_rows`), and ``builds.drop_cycles_without_data``
keeps them; ``marts.revisions`` lists what the current data would change. Plain functions of a
DuckDB connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.marts import registry
from rmrp_pipeline.warehouse import db as warehouse

FREEZES = registry.FREEZES


class FreezeError(ValueError):
    """A freeze or unfreeze that cannot be done; the message is one line for the person who asked."""


@dataclass(frozen=True)
class Freeze:
    """The freeze in force of a cycle: when (UTC), by whom and why."""

    cycle: str
    changed_at: dt.datetime
    changed_by: str
    reason: str


def create_freezes_table(con: duckdb.DuckDBPyConnection) -> str:
    """Create ``meta.cycle_freezes`` if missing (its rows are never rewritten); returns ``""`` (all
    rows are the table's)."""
    warehouse.create_table(con, FREEZES)
    return ""


def frozen_cycles(con: duckdb.DuckDBPyConnection) -> dict[str, Freeze]:
    """The frozen cycles (latest event a freeze), by cycle; empty when the warehouse has no
    ``meta.cycle_freezes``."""
    if not warehouse.table_exists(con, FREEZES):
        return {}
    rows = con.execute(
        f"SELECT cycle, changed_at, changed_by, reason FROM {FREEZES} "
        "QUALIFY row_number() OVER (PARTITION BY cycle ORDER BY changed_at DESC, action) = 1 AND action = 'freeze' "
        "ORDER BY cycle").fetchall()
    return {cycle: Freeze(cycle, at, by, reason) for cycle, at, by, reason in rows}


def freeze_cycle(con: duckdb.DuckDBPyConnection, cycle: str, reason: str | None, by: str | None = None,
                 at: dt.datetime | None = None) -> Freeze:
    """Freeze ``cycle``: record the event with the 5W files behind its months (``frozen_inputs``).
    ``by`` defaults to the login name; ``at`` to now (UTC).

    Raises:
        FreezeError: a malformed cycle, no reason, a cycle without figures in this warehouse, or
            one already frozen.
    """
    reason = _checked(cycle, reason)
    frozen = frozen_cycles(con)
    if cycle in frozen:
        done = frozen[cycle]
        raise FreezeError(f"{cycle} is already frozen (on {done.changed_at:%Y-%m-%d %H:%M} UTC by {done.changed_by}: "
                          f"{done.reason}); unfreeze it first to freeze its current figures")
    if not _has_figures(con, cycle):
        raise FreezeError(f"{cycle} has no figures in this warehouse: nothing to freeze (run `rmrp run` with its 5W data first)")
    return _record(con, cycle, "freeze", reason, by, at)


def unfreeze_cycle(con: duckdb.DuckDBPyConnection, cycle: str, reason: str | None, by: str | None = None,
                   at: dt.datetime | None = None) -> Freeze:
    """Unfreeze ``cycle`` (the next run rebuilds it from the current data and clears its rows of
    ``meta.cycle_revisions``).

    Raises:
        FreezeError: a malformed cycle, no reason, or a cycle that is not frozen.
    """
    reason = _checked(cycle, reason)
    if cycle not in frozen_cycles(con):
        frozen = ", ".join(frozen_cycles(con)) or "none"
        raise FreezeError(f"{cycle} is not frozen (frozen cycles: {frozen})")
    return _record(con, cycle, "unfreeze", reason, by, at)


def _checked(cycle: str, reason: str | None) -> str:
    try:
        cycle_window(cycle)
    except ValueError as exc:
        raise FreezeError(str(exc)) from None
    if not reason or not reason.strip():
        raise FreezeError('give the reason with --reason, e.g. --reason "mid-year report published"')
    return " ".join(reason.split())


def _has_figures(con: duckdb.DuckDBPyConnection, cycle: str) -> bool:
    """Whether ``cycle`` was built: ``marts.cycle_people_reached`` holds its rows. (The monthly
    tables hold months, which a year's mid-year and end-year cycles share: their rows of January to
    June do not make the end-year cycle built.)"""
    table = "marts.cycle_people_reached"
    return warehouse.table_exists(con, table) and bool(
        con.execute(f"SELECT count(*) FROM {table} WHERE cycle = ?", [cycle]).fetchone()[0])


def _record(con: duckdb.DuckDBPyConnection, cycle: str, action: str, reason: str, by: str | None,
            at: dt.datetime | None) -> Freeze:
    create_freezes_table(con)
    when = at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    who = (by or "").strip() or _login()
    inputs = f"({frozen_inputs_sql(cycle)})" if action == "freeze" else "NULL"
    con.execute(f"INSERT INTO {FREEZES} SELECT ?, ?, ?, ?, ?, {inputs}", [cycle, action, reason, who, when])
    return Freeze(cycle, when, who, reason)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no login name in this environment (a container without a passwd entry)
        return "unknown"


def frozen_inputs_sql(cycle: str) -> str:
    """SQL giving the list ``meta.cycle_freezes.frozen_inputs`` of ``cycle`` from the loaded 5W rows
    of its months (``staging.stg_5w__activities``) and the files' hashes (``raw.source_files``)."""
    start, end = cycle_window(cycle)
    return (
        "SELECT list({'source_file': source_file, 'sha256': sha256, 'platform': platform, "
        "'country_iso3': country_iso3, 'rows_loaded': rows_loaded, 'rows_rejected': rows_rejected} "
        "ORDER BY source_file, platform, country_iso3) FROM ("
        "SELECT a.source_file, any_value(f.sha256) AS sha256, a.platform, a.country_iso3, "
        "count(*) FILTER (WHERE NOT a.is_rejected) AS rows_loaded, count(*) FILTER (WHERE a.is_rejected) AS rows_rejected "
        "FROM staging.stg_5w__activities a LEFT JOIN raw.source_files f ON f.source_file = a.source_file "
        f"WHERE a.month >= DATE '{start}' AND a.month < DATE '{end}' GROUP BY a.source_file, a.platform, a.country_iso3)")


def kept_condition(con: duckdb.DuckDBPyConnection, table: registry.Table, except_cycle: str | None = None) -> str:
    """SQL condition of the rows of the frozen cycles (``except_cycle`` aside) in ``table``, a table
    filled cycle by cycle: those a freeze keeps (``CycleRows.published``), or for a table the freeze
    does not keep (``meta.cycle_revisions``) the cycle's rows; ``FALSE`` when none."""
    rows = table.cycle_rows
    parts = [f"({rows.published(c) if rows.frozen else rows.where(c).removeprefix('WHERE ')})"
             for c in frozen_cycles(con) if c != except_cycle]
    return " OR ".join(parts) or "FALSE"


@contextlib.contextmanager
def kept_rows(con: duckdb.DuckDBPyConnection, names: list[str], cycle: str) -> Iterator[None]:
    """Around a rewrite of ``cycle`` in the tables ``names``: the rows other frozen cycles keep in
    them (the months of a frozen mid-year cycle in a table rewritten a year at a time; every kept
    row of a table recreated because its columns changed) are copied aside first and put back
    after, in one transaction. Rows of frozen cycles the rewrite cannot touch are not copied."""
    saved: list[tuple[str, str, str]] = []
    for number, name in enumerate(names):
        table = registry.table(name)
        condition = kept_condition(con, table, except_cycle=cycle)
        if condition == "FALSE" or not warehouse.table_exists(con, name):
            continue
        recreated = warehouse.column_types(con, name) != warehouse.declared_columns(name)
        if not recreated and not table.cycle_rows.by_year:
            continue   # a rewrite of one cycle's column value leaves the other cycles' rows alone
        scratch = f"_kept_by_freeze_{number}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {scratch} AS SELECT * FROM {name} WHERE {condition}")
        saved.append((name, condition, scratch))
    try:
        yield
    finally:
        if saved:
            _put_back(con, saved)


def _put_back(con: duckdb.DuckDBPyConnection, saved: list[tuple[str, str, str]]) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        for name, condition, scratch in saved:
            have = {r[0] for r in con.execute(f"DESCRIBE {scratch}").fetchall()}
            columns = ", ".join(f'"{c}"' for c in warehouse.stored_columns(name) if c in have)
            con.execute(f"DELETE FROM {name} WHERE {condition}")
            con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {scratch}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for _name, _condition, scratch in saved:
            con.execute(f"DROP TABLE IF EXISTS {scratch}")

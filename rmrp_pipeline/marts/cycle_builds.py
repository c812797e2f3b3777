"""What each reporting cycle's tables were built from (``meta.cycle_builds``), kept in the warehouse
beside the tables so that it always describes the rows it sits with: a run rebuilds only the cycles
whose record differs from what they would be built from now (``to_rebuild``). The record is a
fingerprint of the cycle's inputs (``marts.cycle_inputs``), the package's code and configuration
and the versions of the libraries the SQL and builders run on, the people-reached option, and the
freezes of the cycle's year (both its cycles: the tables built a year at a time keep a frozen
cycle's months, which the other one reads). A cycle without a record is rebuilt; any doubt rebuilds."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import duckdb

from rmrp_pipeline.marts import cycle_inputs, freeze
from rmrp_pipeline.read.cache import fingerprint, package_fingerprint
from rmrp_pipeline.warehouse import db as warehouse

TABLE = "meta.cycle_builds"
#: The libraries whose version can change what the SQL and builders compute.
LIBRARIES = ("duckdb", "pandas", "numpy", "pyarrow")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The package's code and configuration (every .py, .sql and .csv file), the libraries'
    versions (:data:`LIBRARIES`) and Python's (``read.cache.package_fingerprint``), once per process."""
    return package_fingerprint(Path(__file__).resolve().parents[1], LIBRARIES)


def built_from(con: duckdb.DuckDBPyConnection, cycles: list[str], only_rmrp_activities: bool,
               inputs: dict[str, str] | None = None) -> dict[str, str]:
    """``{cycle: fingerprint}`` of what each of ``cycles`` would be built from now (``inputs``: their
    ``cycle_inputs.input_fingerprints`` when already worked out)."""
    inputs = inputs if inputs is not None else cycle_inputs.input_fingerprints(con, cycles)
    frozen = freeze.frozen_cycles(con)
    found = {}
    for cycle in cycles:
        # both cycles of the year: the tables built a year at a time keep the months a frozen cycle
        # of the year keeps, which the other cycle then reads (docs/freeze.md)
        held = [frozen.get(f"{cycle[:4]}-{half}") for half in ("H1", "H2")]
        found[cycle] = fingerprint(cycle, inputs[cycle], code_fingerprint(), bool(only_rmrp_activities),
                                   [h.changed_at.isoformat() if h else None for h in held])
    return found


def recorded(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{cycle: fingerprint}`` of the cycles whose tables hold a record (empty without the table)."""
    if not warehouse.table_exists(con, TABLE):
        return {}
    return dict(con.execute(f"SELECT cycle, built_from FROM {TABLE}").fetchall())


def to_rebuild(con: duckdb.DuckDBPyConnection, cycles: list[str], only_rmrp_activities: bool,
               inputs: dict[str, str] | None = None) -> list[str]:
    """The cycles of ``cycles`` whose record is missing or differs from :func:`built_from`, in order."""
    now, held = built_from(con, cycles, only_rmrp_activities, inputs), recorded(con)
    return [cycle for cycle in cycles if held.get(cycle) != now[cycle]]


def record(con: duckdb.DuckDBPyConnection, cycles: list[str], only_rmrp_activities: bool,
           inputs: dict[str, str] | None = None) -> None:
    """Record that every table filled cycle by cycle was just built for ``cycles`` from what the
    warehouse holds now (call it after they all were, on the same connection; ``inputs`` as for
    :func:`built_from`)."""
    now = built_from(con, cycles, only_rmrp_activities, inputs)
    built_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    warehouse.create_table(con, TABLE)
    con.execute(f"DELETE FROM {TABLE} WHERE list_contains(?, cycle)", [cycles])
    con.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", [[c, now[c], built_at] for c in cycles])


def forget(con: duckdb.DuckDBPyConnection, cycles: list[str] | None = None, keep: list[str] | None = None) -> None:
    """Delete the records of ``cycles`` (their tables were built in part, so they must be rebuilt),
    or of every cycle not in ``keep``."""
    if not warehouse.table_exists(con, TABLE):
        return
    if cycles is not None:
        con.execute(f"DELETE FROM {TABLE} WHERE list_contains(?, cycle)", [cycles])
    if keep is not None:
        con.execute(f"DELETE FROM {TABLE} WHERE NOT list_contains(?, cycle)", [keep])

"""Fingerprints of what a reporting cycle's tables are built from: the loaded 5W rows of the
cycle's months (``cycles.cycle_window``) and the planning rows (PiN/targets, submissions, published
figures) of its year. Two fingerprints differ when any of those rows was added, removed or changed;
the Dagster wiring records one with every cycle it builds and compares (``defs/checks.py``,
``defs/jobs.py``) to tell which cycles are stale."""

from __future__ import annotations

import hashlib

import duckdb

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.marts import registry
from rmrp_pipeline.warehouse import db as warehouse

#: (table, its condition for the rows of one cycle, from ``$start``/``$end`` (the cycle's months) and ``$year``).
_INPUTS = (
    (registry.STAGED_5W, "NOT is_rejected AND month >= $start AND month < $end"),
    (registry.PIN_TARGET, "NOT is_rejected AND plan_year = $year"),
    (registry.SUBMISSIONS, "NOT is_rejected AND plan_year = $year"),
    (registry.PUBLISHED, "plan_year = $year"),
)
#: The tables a cycle's fingerprint is worked out from (all written by the ingest alone).
INPUT_TABLES = tuple(table for table, _condition in _INPUTS)


def input_fingerprints(con: duckdb.DuckDBPyConnection, cycles: list[str]) -> dict[str, str]:
    """``{cycle: fingerprint}`` (16 hex digits) of the rows each cycle of ``cycles`` is built from
    (row count and an order-free sum of row hashes per input table; a missing table counts as empty).

    Raises:
        ValueError: a cycle is not ``YYYY-H1`` or ``YYYY-H2``.
    """
    found = {}
    for cycle in cycles:
        start, end = cycle_window(cycle)
        values = {"start": start, "end": end, "year": start.year}
        parts = [cycle]
        for table, condition in _INPUTS:
            if warehouse.table_exists(con, table):
                count, total = con.execute(
                    f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} t WHERE {condition}",
                    {name: value for name, value in values.items() if f"${name}" in condition},
                ).fetchone()
                parts.append(f"{table}:{count}:{total}")
        found[cycle] = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
    return found

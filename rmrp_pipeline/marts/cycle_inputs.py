"""Fingerprints of what a reporting cycle's tables are built from: the 5W rows of the cycle's year
(``cycles.year_window``: a mid-year cycle's figures are read from
tables built a year at a time, e.g. one admin1 name per place and year), the rejected ones too (a
frozen cycle's revisions name every file behind its months: ``marts.revisions.file_reasons``), the
quality findings of the files holding those rows, the files they come
from (name and hash), the planning rows (PiN/targets, submissions, published figures) of its year,
and the reference tables the cycle SQL reads whole (countries and platforms, planning
proportions). Two fingerprints differ when any of those rows was added, removed or changed; the
Dagster wiring records one with every cycle it builds and compares (``defs/checks.py``,
``defs/jobs.py``) to tell which cycles are stale. Every table written by the ingest that a cycle
table reads, directly or through the tables it reads (``registry``), is one of them
(tests/sql/test_run_fingerprints.py)."""

from __future__ import annotations

import hashlib

import duckdb

from rmrp_pipeline.cycles import year_window
from rmrp_pipeline.marts import registry
from rmrp_pipeline.warehouse import db as warehouse

#: The 5W rows of the cycle's year, rejected ones too, from ``$start``/``$end``.
_CYCLE_ROWS = f"SELECT * FROM {registry.STAGED_5W} WHERE month >= $start AND month < $end"
#: (table, the query of its row count and order-free sum of row hashes for one cycle, from
#: ``$start``/``$end`` and ``$year``).
_INPUTS = (
    (registry.STAGED_5W, "SELECT count(*), coalesce(sum(hash(t)), 0) FROM (" + _CYCLE_ROWS + ") t"),
    # a finding can change with other files (a row far above the organisation's history) while the row
    # does not; those of the files holding the year's rows (a file's findings on other years' rows
    # too: on the 1M-row bench, a join on the file alone takes 0.08 s, one on each row 0.18 s)
    ("meta.quality_findings", "SELECT count(*), coalesce(sum(hash(q)), 0) FROM meta.quality_findings q SEMI JOIN ("
     + _CYCLE_ROWS + ") a ON q.source_file = a.source_file"),
    # the hashes of the files listed in a frozen cycle's revisions (meta.cycle_revisions)
    ("raw.source_files", "SELECT count(*), coalesce(sum(hash(f.source_file, f.sheet, f.sha256)), 0) FROM raw.source_files f "
     "SEMI JOIN (" + _CYCLE_ROWS + ") a ON f.source_file = a.source_file"),
    (registry.PIN_TARGET, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {registry.PIN_TARGET} t "
                          "WHERE NOT is_rejected AND plan_year = $year"),
    (registry.SUBMISSIONS, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {registry.SUBMISSIONS} t "
                           "WHERE NOT is_rejected AND plan_year = $year"),
    (registry.PUBLISHED, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {registry.PUBLISHED} t WHERE plan_year = $year"),
    # read whole: a platform's countries; proportions of the year an intersector model names, not the cycle's
    ("staging.ref_countries", "SELECT count(*), coalesce(sum(hash(t)), 0) FROM staging.ref_countries t"),
    (registry.PROPORTIONS, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {registry.PROPORTIONS} t"),
)
#: The tables a cycle's fingerprint is worked out from (all written by the ingest alone).
INPUT_TABLES = tuple(table for table, _query in _INPUTS)


def input_fingerprints(con: duckdb.DuckDBPyConnection, cycles: list[str]) -> dict[str, str]:
    """``{cycle: fingerprint}`` (16 hex digits) of the rows each cycle of ``cycles`` is built from
    (row count and an order-free sum of row hashes per input table; a missing table counts as empty).

    Raises:
        ValueError: a cycle is not ``YYYY-H1`` or ``YYYY-H2``.
    """
    found = {}
    worked_out: dict[tuple[str, tuple], tuple[int, int]] = {}   # both cycles of a year ask the same
    for cycle in cycles:
        start, end = year_window(cycle)   # what the tables built a year at a time read
        values = {"start": start, "end": end, "year": start.year}
        parts = [cycle]
        for table, query in _INPUTS:
            params = {name: value for name, value in values.items() if f"${name}" in query}
            key = (table, tuple(params.items()))
            if key not in worked_out:
                worked_out[key] = (0, 0)   # a missing table counts as empty
                of_rows = "$start" in query   # a query of the year's 5W rows needs their table too
                if warehouse.table_exists(con, table) and (not of_rows or warehouse.table_exists(con, registry.STAGED_5W)):
                    worked_out[key] = con.execute(query, params).fetchone()
            count, total = worked_out[key]
            parts.append(f"{table}:{count}:{total}")
        found[cycle] = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
    return found

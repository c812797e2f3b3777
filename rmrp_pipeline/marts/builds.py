"""How a declared table (:mod:`rmrp_pipeline.marts.registry`) is built: a whole table from its SQL
file, the rows of one reporting cycle, a seed from its reference CSV; and the cleanup of the
cycles no longer in the 5W data. Plain functions of a DuckDB connection, testable without Dagster.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from importlib import resources
from typing import Any

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import cycle_window, cycles_in
from rmrp_pipeline.marts import freeze, registry
from rmrp_pipeline.warehouse import db as warehouse


def rebuild_table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """Build ``name`` after (re)creating the views it is built with: recreated from its DDL and
    filled from ``sql/<name>.sql``, or, for a mart declared as a view (``warehouse.is_view``), only
    (re)created. Returns the ``WHERE`` clause of the rows written (empty: all)."""
    warehouse.ensure_schemas(con)
    for view in registry.built_with(name, "intermediate"):
        warehouse.run_sql(con, view)
    warehouse.create_table(con, name)
    if not warehouse.is_view(name):
        warehouse.run_sql(con, name)
    return ""


def rewrite_cycle(con: duckdb.DuckDBPyConnection, name: str, cycle: str,
                  params: dict[str, Any] | None = None) -> str:
    """Rewrite the rows of ``cycle`` in ``name`` from ``sql/<name>.sql`` in one transaction
    (``warehouse.rewrite_rows``: its intermediate views recreated and the cycle's rows of its
    intermediate tables rewritten, in registry order, then the cycle's rows deleted and inserted);
    ``params`` default to ``cycle``, ``cycle_start`` and ``cycle_end`` (``cycles.cycle_window``).
    A frozen cycle (``marts.freeze``) is not rewritten: its rows stay as frozen; the rows other
    frozen cycles keep in the tables rewritten stay too (``freeze.kept_rows``). Returns the
    ``WHERE`` clause of the cycle's rows.

    Raises:
        ValueError: ``cycle`` is not ``YYYY-H1`` or ``YYYY-H2``.
        warehouse.StaleTableError: a table it reads is missing or out of date.
    """
    table = registry.table(name)
    where = table.cycle_rows.where(cycle)
    if table.cycle_rows.frozen and cycle in freeze.frozen_cycles(con):
        return where
    if params is None:
        start, end = cycle_window(cycle)
        params = {"cycle": cycle, "cycle_start": start, "cycle_end": end}
    steps = tuple(registry.built_with(name, "intermediate"))
    with freeze.kept_rows(con, [s for s in steps if registry.table(s).cycle_rows] + [name], cycle):
        warehouse.rewrite_rows(con, name, where, params, sources=registry.sources(name), steps=steps)
    return where


def seed_frame(name: str) -> pd.DataFrame:
    """The reference CSV of the seed ``name`` (``rmrp_pipeline/reference_data``), every cell as
    text (empty cells NaN): the seed's DDL types it on load."""
    kind, _, file = registry.table(name).build.partition(":")
    if kind != "csv":
        raise ValueError(f"{name} is not a seed of a reference CSV")
    with resources.files("rmrp_pipeline.reference_data").joinpath(file).open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str)


def load_seed(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | None = None) -> int:
    """Replace the seed table ``name`` with ``frame`` (default: its reference CSV, :func:`seed_frame`);
    returns rows loaded.

    Raises:
        duckdb.Error: a value does not fit the seed's DDL.
    """
    return warehouse.replace_table(con, name, seed_frame(name) if frame is None else frame)


def cycles_in_warehouse(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reporting cycles of the staged 5W rows (``cycles.cycles_in`` of their distinct months)."""
    return cycles_in(con.execute("SELECT DISTINCT month, is_rejected FROM staging.stg_5w__activities").df())


def cycles_to_build(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The cycles a run builds: those of the staged 5W rows (:func:`cycles_in_warehouse`) and the
    frozen ones (``marts.freeze``: their figures are kept and what the data would change in them is
    listed, even when their 5W rows are gone), sorted."""
    return sorted(set(cycles_in_warehouse(con)) | set(freeze.frozen_cycles(con)))


def drop_cycles_without_data(con: duckdb.DuckDBPyConnection, cycles: list[str]) -> int:
    """Delete from every table filled cycle by cycle (``registry.by_cycle``) the rows of the
    reporting cycles that are no longer in the 5W data (``cycles``: those that are, e.g.
    :func:`cycles_in_warehouse`), so that no figure outlives its data; a table keyed by year keeps
    the years of ``cycles``; the rows frozen cycles keep (``freeze.kept_condition``) stay.
    Returns the number of rows deleted."""
    deleted = 0
    for table in registry.by_cycle():
        if warehouse.table_exists(con, table.name):
            key, kept = table.cycle_rows.kept(cycles)
            frozen = freeze.kept_condition(con, table)
            deleted += int(con.execute(f"DELETE FROM {table.name} WHERE NOT list_contains(?, {key}) AND NOT ({frozen})",
                                       [kept]).fetchone()[0])
    return deleted


def builder(table: registry.Table) -> Callable:
    """The plain function the registry names for ``table`` (``module:function`` of
    ``rmrp_pipeline.marts``); for a table built from its SQL file alone, :func:`rebuild_table`
    or, filled cycle by cycle, :func:`rewrite_cycle`, bound to the table."""
    if table.build == registry.SQL:
        build = rewrite_cycle if table.cycle_rows else rebuild_table
        return lambda con, *args, **kwargs: build(con, table.name, *args, **kwargs)
    module, _, function = table.build.partition(":")
    return getattr(importlib.import_module(f"rmrp_pipeline.marts.{module}"), function)


def build_cycles(con: duckdb.DuckDBPyConnection, table: registry.Table, cycles: list[str],
                 build: Callable[[duckdb.DuckDBPyConnection, str], str]) -> dict[str, str]:
    """Build the rows of each cycle of ``cycles`` in ``table`` with ``build`` (:func:`cycle_build`),
    in order; returns ``{cycle: WHERE clause of its rows}``. A table whose rows are kept by year
    (``registry.CycleRows.by_year``: both cycles of a year write the same rows, those of the whole
    year) is rewritten once per year: a cycle whose year was rewritten by an earlier cycle of
    ``cycles`` (one not frozen, which ``build`` rewrote) is not rewritten again."""
    rows = table.cycle_rows
    frozen = set(freeze.frozen_cycles(con)) if rows.by_year and rows.frozen else set()
    written_years: set[str] = set()
    wheres = {}
    for cycle in cycles:
        if rows.by_year and cycle[:4] in written_years:
            wheres[cycle] = rows.where(cycle)
            continue
        wheres[cycle] = build(con, cycle)
        if cycle not in frozen:
            written_years.add(cycle[:4])
    return wheres


def build_tables(con: duckdb.DuckDBPyConnection, cycles: list[str], only_rmrp_activities: bool = False) -> None:
    """Build every declared table but the ingest's, as the Dagster jobs do without Dagster: the
    tables built whole, then each table filled cycle by cycle for ``cycles`` (:func:`build_cycles`),
    each table after the tables it reads (``registry.deps``)."""
    tables = in_build_order([t for t in registry.assets() if t.build != registry.INGEST])
    for table in tables:
        if table.cycle_rows is None:
            builder(table)(con)
    for table in tables:
        if table.cycle_rows is not None:
            build_cycles(con, table, cycles, cycle_build(table, only_rmrp_activities))


def in_build_order(tables: list[registry.Table]) -> list[registry.Table]:
    """``tables``, each after those of them it reads (``registry.deps``), else in declaration order."""
    names = {t.name for t in tables}
    done: list[registry.Table] = []
    waiting = list(tables)
    while waiting:
        built = {t.name for t in done}
        ready = next(t for t in waiting if all(d not in names or d in built for d in registry.deps(t.name)))
        done.append(ready)
        waiting.remove(ready)
    return done


def cycle_build(table: registry.Table, only_rmrp_activities: bool = False) -> Callable[[duckdb.DuckDBPyConnection, str], str]:
    """``build(connection, cycle) -> WHERE clause of the rows written`` for a table filled cycle by
    cycle: its :func:`builder`, given ``only_rmrp_activities`` when it takes that option."""
    build = builder(table)
    if "only_rmrp_activities" in inspect.signature(build).parameters:
        return lambda con, cycle: build(con, cycle, only_rmrp_activities=only_rmrp_activities)
    return build

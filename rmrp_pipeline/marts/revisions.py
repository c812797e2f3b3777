"""``meta.cycle_revisions``: what the current raw data would change in a frozen cycle's figures
(docs/freeze.md).

The cycle is built from the current data in a scratch copy of the warehouse where it is not
frozen, by the same builders a run uses (``registry.frozen_by_cycle``, in build order), and its
rows there are compared, figure by figure (a column of one row, rows named by
``CycleRows.key``), with the frozen rows the warehouse keeps. Why, where the 5W files tell it:
the files behind the cycle's months now against those recorded at the freeze
(``meta.cycle_freezes.frozen_inputs``). For a cycle that is not frozen the rows are deleted (an
unfreeze applied by the run).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from rmrp_pipeline.marts import builds, freeze, registry
from rmrp_pipeline.warehouse import db as warehouse

TABLE = "meta.cycle_revisions"
#: Relative difference under which two DOUBLE figures are the same (sums in another order).
TOLERANCE = 1e-9


def build_revisions(con: duckdb.DuckDBPyConnection, cycle: str, only_rmrp_activities: bool = False) -> str:
    """Rewrite the rows of ``cycle`` in ``meta.cycle_revisions``: none when it is not frozen, else
    every figure the current data would change (``only_rmrp_activities`` as the run builds the
    cycle). Returns the ``WHERE`` clause of the cycle's rows.

    Raises:
        ValueError: ``cycle`` is not ``YYYY-H1`` or ``YYYY-H2``.
    """
    where = registry.table(TABLE).cycle_rows.where(cycle)
    frozen = freeze.frozen_cycles(con).get(cycle)
    changes = _changes(con, cycle, only_rmrp_activities) if frozen else pd.DataFrame()
    if len(changes):
        option = option_reason(con, cycle, only_rmrp_activities)
        changes["reasons"] = ["; ".join(r for r in (option, found) if r) or None
                              for found in _reasons(con, cycle, changes)]
    warehouse.create_table(con, TABLE)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {TABLE} {where}")
        warehouse.insert_frame(con, TABLE, changes.assign(cycle=cycle, found_at=_now()) if len(changes) else changes)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return where


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def current_rows(con: duckdb.DuckDBPyConnection, cycle: str, only_rmrp_activities: bool = False) -> dict[str, pd.DataFrame]:
    """The rows of ``cycle`` the current data gives in each frozen asset table (by name, as
    :func:`_figures` selects them), built in a scratch copy of the warehouse file where ``cycle`` is
    not frozen; the warehouse itself is not written."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    if not path:
        raise ValueError("the frozen cycle's current figures are built in a copy of the warehouse file: "
                         "an in-memory warehouse has none")
    con.execute("CHECKPOINT")
    folder = Path(tempfile.mkdtemp(prefix="rmrp_revisions_"))
    try:
        copy = folder / "warehouse.duckdb"
        shutil.copyfile(path, copy)
        with duckdb.connect(str(copy)) as scratch:
            scratch.execute(f"DELETE FROM {freeze.FREEZES} WHERE cycle = ?", [cycle])
            for table in registry.frozen_by_cycle():
                if table.is_asset:
                    builds.cycle_build(table, only_rmrp_activities)(scratch, cycle)
            return {t.name: _figures(scratch, t, cycle) for t in registry.frozen_by_cycle() if t.is_asset}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figures(con: duckdb.DuckDBPyConnection, table: registry.Table, cycle: str) -> pd.DataFrame:
    """The rows of ``cycle`` in ``table``: ``figure_key`` (the key columns as name=value), platform,
    country_iso3 and every other stored column."""
    key = table.cycle_rows.key
    named = ", ".join(f"'{c}=' || \"{c}\"" for c in key)
    values = [c for c in warehouse.stored_columns(table.name) if c not in key and c != table.cycle_rows.column]
    quoted = ", ".join(f'"{c}"' for c in values)
    if not warehouse.table_exists(con, table.name):
        return pd.DataFrame(columns=["figure_key", "_platform", "_country_iso3", *values])
    return con.execute(
        f"SELECT concat_ws(', ', {named}) AS figure_key, platform AS _platform, country_iso3 AS _country_iso3, {quoted} "
        f"FROM {table.name} WHERE {table.cycle_rows.published(cycle)}").df()


def _changes(con: duckdb.DuckDBPyConnection, cycle: str, only_rmrp_activities: bool) -> pd.DataFrame:
    """Every figure of ``cycle`` whose current value differs from the frozen one, as rows of
    ``meta.cycle_revisions`` (without cycle, reasons and found_at)."""
    current = current_rows(con, cycle, only_rmrp_activities)
    frames = [compare(name, _figures(con, registry.table(name), cycle), now) for name, now in current.items()]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compare(name: str, frozen: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """The revisions of table ``name``: ``frozen`` and ``now`` as :func:`_figures` gives them,
    matched by figure_key; a changed value is one row per column, a row on one side only one row
    (added or removed)."""
    merged = frozen.merge(now, on="figure_key", how="outer", suffixes=("_f", "_c"), indicator=True)
    columns = [c for c in frozen.columns if c not in ("figure_key", "_platform", "_country_iso3")]
    rows = []
    for record in merged.to_dict("records"):
        side = "_f" if record["_merge"] != "right_only" else "_c"
        place = {"table_name": name, "figure_key": record["figure_key"],
                 "platform": _text(record[f"_platform{side}"]), "country_iso3": _text(record[f"_country_iso3{side}"])}
        if record["_merge"] != "both":
            rows.append({**place, "column_name": None, "change": "removed" if side == "_f" else "added",
                         "frozen_value": None, "current_value": None, "difference": None})
            continue
        for column in columns:
            old, new = record[f"{column}_f"], record[f"{column}_c"]
            if not _same(old, new):
                rows.append({**place, "column_name": column, "change": "changed", "frozen_value": _text(old),
                             "current_value": _text(new), "difference": _difference(old, new)})
    return pd.DataFrame(rows, columns=["table_name", "figure_key", "platform", "country_iso3", "column_name", "change",
                                       "frozen_value", "current_value", "difference"])


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _number(value: object) -> float | None:
    if isinstance(value, bool) or _missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _same(old: object, new: object) -> bool:
    if _missing(old) or _missing(new):
        return _missing(old) and _missing(new)
    a, b = _number(old), _number(new)
    if a is not None and b is not None:
        return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1.0)
    return _text(old) == _text(new)


def _difference(old: object, new: object) -> float | None:
    a, b = _number(old), _number(new)
    return b - a if a is not None and b is not None else None


def _text(value: object) -> str | None:
    """A figure as text: whole numbers without decimals, dates as YYYY-MM-DD."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def option_reason(con: duckdb.DuckDBPyConnection, cycle: str, only_rmrp_activities: bool) -> str | None:
    """The reason every figure of ``cycle`` changes when the run counts people reached otherwise
    than the frozen figures did (``only_rmrp_activities``, which the frozen rows of
    ``marts.people_reached_monthly`` record); None when both count alike."""
    where = registry.table(registry.MONTHLY).cycle_rows.where(cycle)
    frozen = con.execute(f"SELECT bool_or(only_rmrp_activities) FROM {registry.MONTHLY} {where}").fetchone()[0]
    if frozen is None or bool(frozen) == only_rmrp_activities:
        return None
    counted = {True: "RMRP activities only", False: "every row"}
    return (f"people reached counted from {counted[only_rmrp_activities]} in this run, "
            f"from {counted[bool(frozen)]} at the freeze")


def _reasons(con: duckdb.DuckDBPyConnection, cycle: str, changes: pd.DataFrame) -> list[str | None]:
    """Why each change, from the 5W files of the cycle's months now and at the freeze
    (:func:`file_reasons`): those of the row's country, else of its platform, else every one."""
    by_place = file_reasons(con, cycle)
    out = []
    for platform, country in zip(changes["platform"], changes["country_iso3"]):
        if country is not None:
            found = by_place[by_place["country_iso3"] == country]
        elif platform not in (None, "Regional", "Regional level"):
            found = by_place[by_place["platform"] == platform]
        else:
            found = by_place
        out.append("; ".join(dict.fromkeys(found["reason"])) or None)
    return out


def file_reasons(con: duckdb.DuckDBPyConnection, cycle: str) -> pd.DataFrame:
    """(platform, country_iso3, reason) for every difference between the 5W files behind the
    cycle's months now and those recorded at its freeze: late reports (a new file), corrections
    (same path, other bytes), superseded (a file gone where another is new), withdrawn (a file
    gone), rows now rejected (more rejected rows in the same file)."""
    frozen = _inputs(con, f"SELECT frozen_inputs FROM {freeze.FREEZES} WHERE cycle = ? AND action = 'freeze' "
                          "ORDER BY changed_at DESC LIMIT 1", [cycle])
    now = _inputs(con, freeze.frozen_inputs_sql(cycle))
    places = pd.concat([frozen, now])[["platform", "country_iso3"]].drop_duplicates()
    rows: list[tuple] = []
    for place in places.itertuples(index=False):
        was = _at(frozen, place)
        is_ = _at(now, place)
        gone = sorted(set(was) - set(is_))
        new = sorted(set(is_) - set(was))
        for file in new:
            rows.append((place, f"superseded: {', '.join(gone)} by {file}" if gone else f"late reports: {file}"))
        rows += [(place, f"withdrawn: {file} no longer in the raw folder") for file in gone if not new]
        for file in sorted(set(was) & set(is_)):
            if was[file][0] != is_[file][0]:
                rows.append((place, f"corrections: {file} changed"))
            if is_[file][1] > was[file][1]:
                rows.append((place, f"rows now rejected: {is_[file][1] - was[file][1]} in {file}"))
    return pd.DataFrame([(_place(p.platform), _place(p.country_iso3), r) for p, r in rows],
                        columns=["platform", "country_iso3", "reason"])


INPUT_COLUMNS = ["source_file", "sha256", "platform", "country_iso3", "rows_loaded", "rows_rejected"]


def _inputs(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> pd.DataFrame:
    """The list of 5W files per place that ``query`` gives (one row, one column of the type of
    ``meta.cycle_freezes.frozen_inputs``) as a frame of :data:`INPUT_COLUMNS`."""
    found = con.execute(f"SELECT unnest(inputs, recursive := true) FROM ({query}) AS q(inputs)", params or []).df()
    return found.reindex(columns=INPUT_COLUMNS) if len(found) else pd.DataFrame(columns=INPUT_COLUMNS)


def _place(value: object) -> str:
    return "" if _missing(value) else str(value)


def _at(inputs: pd.DataFrame, place) -> dict[str, tuple[str, int]]:
    """file -> (sha256, rows rejected) of ``inputs`` at ``place`` (platform, country_iso3)."""
    if inputs.empty:
        return {}
    here = inputs[(inputs["platform"].map(_place) == _place(place.platform))
                  & (inputs["country_iso3"].map(_place) == _place(place.country_iso3))]
    return {r.source_file: (r.sha256, int(r.rows_rejected)) for r in here.itertuples(index=False)}

"""People reached (docs/domain.md §3.4): ``marts.people_reached_monthly``, ``marts.cycle_people_reached``
and ``marts.reporting_completeness`` for one reporting cycle.

The arithmetic is SQL (``warehouse/sql/marts.people_reached_monthly.sql`` over the views of
``registry.built_with``); ``builds.rewrite_cycle`` writes a cycle's rows. This module checks and
loads the Intersector model per platform and year (``reference_data/intersector_models.csv`` ->
seed ``staging.ref_intersector_models``; a platform and year not listed uses ``sum``; a bad
configuration raises ValueError) and sets the views' scope (DuckDB variables ``cycle_start``,
``cycle_end``, ``only_rmrp_activities``). Counts are persons. The models, as R4V's scripts compute
them: docs/data_dictionary.md, "Monthly 5W reports: decisions", Intersector models.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import year_window
from rmrp_pipeline.marts import builds
from rmrp_pipeline.warehouse import db as warehouse

TABLE = "marts.people_reached_monthly"
CYCLE_TABLE = "marts.cycle_people_reached"
FINDINGS = "meta.quality_findings"
#: Inputs of marts.cycle_people_reached that a warehouse may lack (created empty).
OPTIONAL_INPUTS = ("marts.sector_key_figures", "staging.ref_countries", FINDINGS)
MODELS_SEED = "staging.ref_intersector_models"
PROPORTIONS = "staging.ref_planning_proportions"
INTERSECTOR_MODELS = ("sum", "maxsector", "maxsector_2021", "maxagegender", "southernconemodel", "southernconemodel_2022")
#: Models that split population types by age/gender shares, and those that must.
PROPORTION_MODELS = ("maxsector", "southernconemodel", "southernconemodel_2022")
NEEDS_PROPORTIONS = ("southernconemodel", "southernconemodel_2022")
PROPORTION_BASES = ("pin", "target")
CONFIG_COLUMNS = ["platform", "year_from", "year_to", "model", "proportions", "proportions_year"]


def intersector_models() -> pd.DataFrame:
    """The configured Intersector models (``reference_data/intersector_models.csv``).

    Raises:
        ValueError: see :func:`check_models`.
    """
    return check_models(builds.seed_frame(MODELS_SEED))


def check_models(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (platform, year_from, year_to, model, and optionally proportions, proportions_year)
    typed and checked: ``CONFIG_COLUMNS``, years as ``Int64`` (``year_to`` may be empty: open-ended),
    ``proportions`` ``pin``/``target`` or NA.

    Raises:
        ValueError: an empty platform or year_from, a year that is not a number, year_to before
            year_from; an unknown model or proportions basis; proportions on a model that does not
            use them, or missing on one that needs them, or without their plan year; a platform
            whose year ranges overlap.
    """
    frame = frame.reindex(columns=CONFIG_COLUMNS).copy()
    frame["platform"] = frame["platform"].astype("string").str.strip()
    if frame["platform"].isna().any() or frame["platform"].eq("").any():
        raise ValueError("an intersector model without a platform: name the R4V platform of every row")
    for column in ("year_from", "year_to", "proportions_year"):
        try:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        except (TypeError, ValueError) as exc:
            raise ValueError(f"intersector models: {column} must be a year ({exc})") from None
    if frame["year_from"].isna().any():
        raise ValueError("an intersector model without year_from: give the first year it applies to")
    backwards = frame[frame["year_to"].notna() & (frame["year_to"] < frame["year_from"])]
    if len(backwards):
        raise ValueError(f"intersector models whose year_to is before year_from: {backwards[['platform', 'year_from', 'year_to']].values.tolist()}")
    frame["proportions"] = frame["proportions"].where(frame["proportions"].notna() & (frame["proportions"].astype(str).str.strip() != ""))
    unknown = sorted(set(frame["model"]) - set(INTERSECTOR_MODELS))
    if unknown:
        raise ValueError(f"unknown intersector model(s) {unknown}: use one of {list(INTERSECTOR_MODELS)}")
    bases = sorted(set(frame["proportions"].dropna()) - set(PROPORTION_BASES))
    if bases:
        raise ValueError(f"unknown proportions {bases}: use one of {list(PROPORTION_BASES)} or leave it empty")
    for row in frame.itertuples():
        where = f"{row.platform} {row.year_from}-{'' if pd.isna(row.year_to) else row.year_to}"
        has = pd.notna(row.proportions)
        if has and row.model not in PROPORTION_MODELS:
            raise ValueError(f"{where}: model {row.model} does not use proportions (only {list(PROPORTION_MODELS)} do)")
        if not has and row.model in NEEDS_PROPORTIONS:
            raise ValueError(f"{where}: model {row.model} needs proportions (pin or target) and their plan year")
        if has and pd.isna(row.proportions_year):
            raise ValueError(f"{where}: proportions {row.proportions} need proportions_year (the plan year of the table)")
    for platform, rows in frame.groupby("platform"):
        spans = sorted((int(a), int(b) if pd.notna(b) else 9999) for a, b in zip(rows["year_from"], rows["year_to"]))
        if any(later[0] <= earlier[1] for earlier, later in zip(spans, spans[1:])):
            raise ValueError(f"intersector models of {platform} overlap: {spans}")
    return frame


def build_people_reached(con: duckdb.DuckDBPyConnection, cycle: str, models: pd.DataFrame | None = None,
                         only_rmrp_activities: bool = False) -> str:
    """Rewrite the months of the year of ``cycle`` (e.g. ``2021-H1``: all of 2021, see
    :func:`year_window`) in ``marts.people_reached_monthly`` from ``marts.fct_activities`` and
    ``staging.ref_planning_proportions``, in one transaction; ``models`` replaces the configured
    Intersector models (tests) in the seed ``staging.ref_intersector_models``;
    ``only_rmrp_activities`` counts only rows with RMRP Activity = Yes (R4V's per-organisation
    script; its country scripts count every row). Returns the SQL ``WHERE`` clause selecting the
    cycle's months.

    Raises:
        ValueError: the model configuration is invalid (:func:`check_models`), or names a platform
            that is not in ``staging.ref_countries``.
        warehouse.StaleTableError: the activities were loaded by another version of the pipeline.
    """
    raw = builds.seed_frame(MODELS_SEED) if models is None else models
    config = check_models(raw)
    _check_platforms(con, config)
    builds.load_seed(con, MODELS_SEED, config.assign(note=raw["note"] if "note" in raw else None))
    if not warehouse.table_exists(con, PROPORTIONS):
        warehouse.create_table(con, PROPORTIONS)   # no proportions loaded: an empty list
    start, end = year_window(cycle)
    warehouse.set_variables(con, {"cycle_start": start, "cycle_end": end, "only_rmrp_activities": bool(only_rmrp_activities)})
    try:
        return builds.rewrite_cycle(con, TABLE, cycle, params={})
    finally:   # the views' default scope again for whatever else runs on the connection
        warehouse.set_variables(con, {"cycle_start": None, "cycle_end": None, "only_rmrp_activities": None})


def _check_platforms(con: duckdb.DuckDBPyConnection, config: pd.DataFrame) -> None:
    """Raises ValueError when ``config`` names a platform that ``staging.ref_countries`` does not
    list (a misspelt platform would silently use sum)."""
    if warehouse.table_exists(con, "staging.ref_countries"):
        known = {p for (p,) in con.execute("SELECT DISTINCT platform FROM staging.ref_countries").fetchall()}
        unknown = sorted(set(config["platform"]) - known) if known else []
        if unknown:
            raise ValueError(f"intersector models name platforms that are not R4V's: {unknown}; use one of {sorted(known)}")


def build_cycle_people_reached(con: duckdb.DuckDBPyConnection, cycle: str) -> str:
    """Rewrite the rows of ``cycle`` in ``marts.cycle_people_reached`` (``sql/marts.cycle_people_reached.sql``)
    from ``marts.people_reached_monthly`` (built for the cycle first), ``marts.fct_planning_figures`` and
    ``marts.sector_key_figures`` (targets and PiN), ``staging.ref_countries`` (the countries a platform's
    or the region's target covers: a platform or regional share is left empty, with ``share_note``,
    when some of them have no 5W data), with the shares of each figure resting on 5W rows with
    findings and outliers (``meta.quality_findings``). Each of the last three is created empty where
    none was loaded. Returns the SQL ``WHERE`` clause selecting the cycle's rows."""
    for name in OPTIONAL_INPUTS:
        if not warehouse.table_exists(con, name):
            warehouse.create_table(con, name)   # nothing loaded: no key figure, no coverage test, no flagged row
    return builds.rewrite_cycle(con, CYCLE_TABLE, cycle)


def build_reporting_completeness(con: duckdb.DuckDBPyConnection, cycle: str) -> str:
    """Rebuild ``marts.reporting_completeness`` for ``cycle`` (its rows deleted first, in one
    transaction) from ``sql/marts.reporting_completeness.sql``; returns the WHERE clause of the
    rows written (for the asset's metadata)."""
    return builds.rewrite_cycle(con, "marts.reporting_completeness", cycle)

"""Outputs of a reporting cycle (indicators that do not count as people reached) and the
Trafficking & Smuggling subsector by pillar.

``marts.cycle_outputs`` (``sql/marts.cycle_outputs.sql``) sums, per cycle, country, subsector and
indicator, the persons trained or reached (total monthly) and the quantity of output of the
indicators whose ``counts_as_reached`` is false. The pillar of each trafficking indicator is
reference data, ``reference_data/trafficking_pillars.csv`` (``cycle_year, indicator_code, pillar,
source_note``: codes are reused across cycles with other meanings), loaded into
``staging.ref_trafficking_pillars`` every time the outputs are built.
``marts.cycle_trafficking_pillars`` (``sql/marts.cycle_trafficking_pillars.sql``) adds the subsector's
people reached from ``marts.cycle_people_reached`` under ``protection``.
"""

from __future__ import annotations

from importlib import resources

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.warehouse import db as warehouse

OUTPUTS_TABLE = "marts.cycle_outputs"
PILLARS_TABLE = "marts.cycle_trafficking_pillars"
PILLAR_REFERENCE = "staging.ref_trafficking_pillars"
PILLARS = ("prevention", "protection", "prosecution", "partnership")


def trafficking_pillars() -> pd.DataFrame:
    """The indicator -> pillar list (``reference_data/trafficking_pillars.csv``), checked.

    Raises:
        ValueError: an unknown pillar, or a (cycle_year, indicator_code) given twice.
    """
    with resources.files("rmrp_pipeline.reference_data").joinpath("trafficking_pillars.csv").open(encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype={"indicator_code": str, "pillar": str, "source_note": str})
    return check_pillars(frame)


def check_pillars(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (cycle_year, indicator_code, pillar, source_note) typed and checked.

    Raises:
        ValueError: an unknown pillar, or a (cycle_year, indicator_code) given twice.
    """
    frame = frame.reindex(columns=["cycle_year", "indicator_code", "pillar", "source_note"]).copy()
    frame["cycle_year"] = pd.to_numeric(frame["cycle_year"]).astype("int32")
    frame["indicator_code"] = frame["indicator_code"].str.strip()
    frame["pillar"] = frame["pillar"].str.strip().str.lower()
    unknown = sorted(set(frame["pillar"]) - set(PILLARS))
    if unknown:
        raise ValueError(f"unknown trafficking pillar(s) {unknown}: use one of {list(PILLARS)}")
    twice = frame[frame.duplicated(["cycle_year", "indicator_code"], keep=False)]
    if len(twice):
        raise ValueError(f"indicator given twice in the pillar list: {twice[['cycle_year', 'indicator_code']].values.tolist()}")
    return frame


def _rewrite_cycle(con: duckdb.DuckDBPyConnection, table: str, cycle: str, sources: tuple[str, ...]) -> str:
    start, end = cycle_window(cycle)
    where = f"WHERE cycle = '{cycle}'"
    warehouse.rewrite_rows(con, table, where, {"cycle": cycle, "cycle_start": start, "cycle_end": end}, sources=sources)
    return where


def build_cycle_outputs(con: duckdb.DuckDBPyConnection, cycle: str, pillars: pd.DataFrame | None = None) -> str:
    """Reload ``staging.ref_trafficking_pillars`` (from ``pillars``, default the bundled CSV) and rewrite
    the rows of ``cycle`` in ``marts.cycle_outputs`` from ``marts.fct_activities``. Returns the SQL
    ``WHERE`` clause selecting the cycle's rows."""
    config = check_pillars(pillars) if pillars is not None else trafficking_pillars()
    warehouse.replace_table(con, PILLAR_REFERENCE, config)
    return _rewrite_cycle(con, OUTPUTS_TABLE, cycle, sources=("marts.fct_activities",))


def build_cycle_trafficking_pillars(con: duckdb.DuckDBPyConnection, cycle: str) -> str:
    """Rewrite the rows of ``cycle`` in ``marts.cycle_trafficking_pillars`` from ``marts.cycle_outputs``
    and ``marts.cycle_people_reached`` (both built for the cycle first). Returns the ``WHERE`` clause."""
    return _rewrite_cycle(con, PILLARS_TABLE, cycle, sources=(OUTPUTS_TABLE, "marts.cycle_people_reached", "marts.fct_activities"))

"""Outputs of a reporting cycle (indicators that do not count as people reached) and the
Trafficking & Smuggling subsector by pillar.

``marts.cycle_outputs`` (``sql/marts.cycle_outputs.sql``) sums, per cycle, country, subsector and
indicator, the persons trained or reached (total monthly) and the quantity of output of the
indicators whose ``counts_as_reached`` is false. The pillar of each trafficking indicator is
reference data, ``reference_data/trafficking_pillars.csv`` (``cycle_year, indicator_code, pillar,
source_note``: codes are reused across cycles with other meanings), loaded into the seed
``staging.ref_trafficking_pillars`` every time the outputs are built; the SQL reads the seed.
``marts.cycle_trafficking_pillars`` (``sql/marts.cycle_trafficking_pillars.sql``) adds the subsector's
people reached from ``marts.cycle_people_reached`` under ``protection``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from rmrp_pipeline.marts import builds

OUTPUTS_TABLE = "marts.cycle_outputs"
PILLARS_TABLE = "marts.cycle_trafficking_pillars"
PILLAR_REFERENCE = "staging.ref_trafficking_pillars"
PILLARS = ("prevention", "protection", "prosecution", "partnership")


def trafficking_pillars() -> pd.DataFrame:
    """The indicator -> pillar list (``reference_data/trafficking_pillars.csv``), checked.

    Raises:
        ValueError: an unknown pillar, or a (cycle_year, indicator_code) given twice.
    """
    return check_pillars(builds.seed_frame(PILLAR_REFERENCE))


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


def build_cycle_outputs(con: duckdb.DuckDBPyConnection, cycle: str, pillars: pd.DataFrame | None = None) -> str:
    """Reload the seed ``staging.ref_trafficking_pillars`` (from ``pillars``, default the bundled CSV)
    and rewrite the rows of ``cycle`` in ``marts.cycle_outputs`` from ``marts.fct_activities``.
    Returns the SQL ``WHERE`` clause selecting the cycle's rows."""
    config = check_pillars(pillars) if pillars is not None else trafficking_pillars()
    builds.load_seed(con, PILLAR_REFERENCE, config)
    return builds.rewrite_cycle(con, OUTPUTS_TABLE, cycle)


def build_cycle_trafficking_pillars(con: duckdb.DuckDBPyConnection, cycle: str) -> str:
    """Rewrite the rows of ``cycle`` in ``marts.cycle_trafficking_pillars`` from ``marts.cycle_outputs``
    and ``marts.cycle_people_reached`` (both built for the cycle first). Returns the ``WHERE`` clause."""
    return builds.rewrite_cycle(con, PILLARS_TABLE, cycle)

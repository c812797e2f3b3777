"""The reporting-cycle calendar: ``YYYY-H1`` (mid-year, January-June) and ``YYYY-H2`` (end-year,
January-December, cumulative), the cycles 5W rows touch, and the months a cycle rebuilds."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def cycles_in(activities: pd.DataFrame) -> list[str]:
    """Reporting cycles that the loaded 5W rows touch: ``YYYY-H1`` when a month of January to
    June has data, ``YYYY-H2`` when a month of July to December has (H2 covers the whole year)."""
    months = pd.to_datetime(activities.loc[~activities["is_rejected"], "month"]).dropna()
    cycles = {f"{m.year}-H1" if m.month <= 6 else f"{m.year}-H2" for m in months.drop_duplicates()}
    return sorted(cycles)



def cycle_window(cycle: str) -> tuple[dt.date, dt.date]:
    """[start, end) months of a reporting cycle: ``2021-H1`` is January-June 2021, ``2021-H2``
    January-December 2021 (cumulative, as R4V's mid-year and end-year reports).

    Raises:
        ValueError: the key is not ``YYYY-H1`` or ``YYYY-H2``.
    """
    year_text, _, half = cycle.partition("-")
    if not year_text.isdigit() or half not in {"H1", "H2"}:
        raise ValueError(f"reporting cycle must look like 2021-H1 or 2021-H2, not {cycle!r}")
    year = int(year_text)
    return dt.date(year, 1, 1), dt.date(year, 7, 1) if half == "H1" else dt.date(year + 1, 1, 1)



def year_window(cycle: str) -> tuple[dt.date, dt.date]:
    """(1 January, 1 January of the next year) of the cycle's year: the months that
    ``marts.people_reached_monthly`` rebuilds for ``cycle``. Both cycles of a year rebuild the
    whole year, so they write the same rows and neither leaves the other's months stale."""
    start, _end = cycle_window(cycle)
    return dt.date(start.year, 1, 1), dt.date(start.year + 1, 1, 1)


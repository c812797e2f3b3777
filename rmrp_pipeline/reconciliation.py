"""Reconcile published planning figures with each other, on their printed rounding.

Input: the ``figures`` frame of :func:`rmrp_pipeline.planning.read_published_key_figures` (long
format, one row per published figure, with ``value_low``/``value_high`` = the interval of true
values consistent with the printed rounding).

Output of :func:`reconcile_published_figures`: rows for the warehouse table ``meta.reconciliation``
(:data:`RECONCILIATION_COLUMNS`), one per check and (plan year, platform, sector):

``target_share_vs_parts`` (status ``ok`` | ``inconsistent`` | ``missing_parts``)
    Every published "% target of PiN" against the ratio of its published parts, by interval
    arithmetic: computed = [target_low / pin_high, target_high / pin_low]. ``ok`` when the published
    interval and the computed one overlap (a relative tolerance of 1e-9 absorbs binary floating
    point at touching bounds, far below any printed precision), else ``inconsistent``.

``regional_vs_platform_sum`` for people_in_need, people_targeted and partners (status ``recorded`` |
``missing_parts``)
    The regional figure against the sum of the platforms' figures (interval sum). Recorded, never
    flagged: people in transit cross several countries and are counted by each platform but once at
    regional level (domain.md §2.3), so regional PiN and target can be below the sum; partners are
    distinct organisations, one appealing in several platforms counts once (regional ≤ Σ
    platforms is expected; regional-only partners could still add some).

``regional_level_requirements`` (status ``recorded`` | ``inconsistent`` | ``missing_parts``)
    Requirements are additive (USD), so regional total − Σ platforms is what is asked for
    regional-level activities: computed = [regional_low − Σ high, regional_high − Σ low].
    ``inconsistent`` only if even its upper bound is negative.

``age_gender_shares_sum`` (status ``ok`` | ``inconsistent`` | ``missing_parts``)
    The four published age/gender shares (women, men, girls, boys) of a measure must add up to 100%
    within their rounding: published = Σ share intervals, computed = [1, 1].

``share_of_total_pin_denominator`` (status ``recorded``)
    What the unverified "% of PiN" implies: the denominator PiN / share, as an interval. Recorded so
    that the meaning of the measure can be checked against other sources later.

A regional row is one with ``level == "regional"``; the platforms are the rows with ``level ==
"platform"`` of the same plan year and sector, and :data:`rmrp_pipeline.planning.PLATFORMS` says
which must all be present for a sum.
"""

from __future__ import annotations

import math

import pandas as pd

from rmrp_pipeline.planning import AGE_GENDER_GROUPS, PLATFORMS

__all__ = ["RECONCILIATION_COLUMNS", "reconcile_published_figures"]

RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "plan_year",
    "platform",
    "sector",
    "check_name",
    "published_text",
    "published_low",
    "published_high",
    "computed_low",
    "computed_high",
    "status",
    "explanation",
)

_REL_TOL = 1e-9
_SUM_EXPLANATIONS = {
    "people_in_need": (
        "people in transit cross several countries: each platform counts them, the regional figure "
        "counts them once (domain.md §2.3), so the regional PiN can be below the sum"
    ),
    "people_targeted": (
        "people in transit cross several countries: each platform counts them, the regional figure "
        "counts them once (domain.md §2.3; 2024: in-transit targets are assistance events), so the "
        "regional target can be below the sum"
    ),
    "partners": (
        "partners are distinct appealing organisations: one that appeals in several platforms counts "
        "once regionally, so regional ≤ Σ platforms is expected (organisations with regional-level "
        "activities only could add to it)"
    ),
}


def reconcile_published_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Check published figures against each other (see the module docstring for each check).

    Args:
        figures: the long ``figures`` frame of ``read_published_key_figures`` (columns used:
            plan_year, level, platform, sector, measure, age_gender, published_text, value,
            value_low, value_high).

    Returns:
        One row per check, columns :data:`RECONCILIATION_COLUMNS`; ``plan_year`` is Int64 (NA for
        figures published for the whole plan), the bounds are float (NaN where not applicable).
    """
    numeric = figures[figures["value"].notna()]
    index = {
        (_year(r.plan_year), r.platform, r.sector, r.measure, r.age_gender): r
        for r in numeric.itertuples(index=False)
    }
    rows: list[dict] = []
    rows += _target_share_vs_parts(numeric, index)
    rows += _regional_vs_platforms(numeric, index)
    rows += _age_gender_sums(numeric, index)
    rows += _share_of_total_pin(numeric, index)
    out = pd.DataFrame(rows, columns=list(RECONCILIATION_COLUMNS))
    out["plan_year"] = out["plan_year"].astype("Int64")
    for column in ("published_low", "published_high", "computed_low", "computed_high"):
        out[column] = out[column].astype("float64")
    return out


def _year(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _overlap(low_a: float, high_a: float, low_b: float, high_b: float) -> bool:
    slack = _REL_TOL * max(abs(low_a), abs(high_a), abs(low_b), abs(high_b))
    return low_a <= high_b + slack and low_b <= high_a + slack


def _pct(x: float) -> str:
    return f"{x * 100:.3f}%"


def _num(x: float) -> str:
    return f"{x:,.0f}"


def _row(year, platform, sector, check, published, computed, status, explanation) -> dict:
    text, low, high = published
    return {
        "plan_year": year,
        "platform": platform,
        "sector": sector,
        "check_name": check,
        "published_text": text,
        "published_low": low,
        "published_high": high,
        "computed_low": computed[0],
        "computed_high": computed[1],
        "status": status,
        "explanation": explanation,
    }


def _target_share_vs_parts(numeric: pd.DataFrame, index: dict) -> list[dict]:
    rows = []
    shares = numeric[numeric["measure"] == "target_share_of_pin"]
    for share in shares.itertuples(index=False):
        year = _year(share.plan_year)
        published = (share.published_text, share.value_low, share.value_high)
        pin = index.get((year, share.platform, share.sector, "people_in_need", None))
        target = index.get((year, share.platform, share.sector, "people_targeted", None))
        if pin is None or target is None or pin.value_low <= 0:
            missing = [m for m, r in (("people_in_need", pin), ("people_targeted", target)) if r is None]
            rows.append(_row(year, share.platform, share.sector, "target_share_vs_parts", published,
                             (math.nan, math.nan), "missing_parts",
                             f"cannot recompute: {', '.join(missing) or 'PiN is zero'} not published/read"))
            continue
        low, high = target.value_low / pin.value_high, target.value_high / pin.value_low
        ok = _overlap(share.value_low, share.value_high, low, high)
        explanation = (
            f"published {share.published_text} = [{_pct(share.value_low)}, {_pct(share.value_high)}]; "
            f"target {target.published_text} / PiN {pin.published_text} = [{_pct(low)}, {_pct(high)}] "
            f"(central {_pct(target.value / pin.value)}): "
            + ("the intervals overlap" if ok else "the published share cannot come from its published parts")
        )
        rows.append(_row(year, share.platform, share.sector, "target_share_vs_parts", published, (low, high),
                         "ok" if ok else "inconsistent", explanation))
    return rows


def _regional_vs_platforms(numeric: pd.DataFrame, index: dict) -> list[dict]:
    rows = []
    regional = numeric[(numeric["level"] == "regional") & numeric["age_gender"].isna()]
    for reg in regional.itertuples(index=False):
        if reg.measure not in (*_SUM_EXPLANATIONS, "requirements_usd"):
            continue
        year = _year(reg.plan_year)
        published = (reg.published_text, reg.value_low, reg.value_high)
        parts = [index.get((year, p, reg.sector, reg.measure, None)) for p in PLATFORMS]
        missing = [p for p, r in zip(PLATFORMS, parts) if r is None]
        check = "regional_level_requirements" if reg.measure == "requirements_usd" else "regional_vs_platform_sum"
        if missing:
            rows.append(_row(year, reg.platform, reg.sector, check, published, (math.nan, math.nan),
                             "missing_parts", f"{reg.measure}: no figure for {', '.join(missing)}"))
            continue
        sum_low = sum(r.value_low for r in parts)
        sum_high = sum(r.value_high for r in parts)
        sum_value = sum(r.value for r in parts)
        if reg.measure == "requirements_usd":
            low, high = reg.value_low - sum_high, reg.value_high - sum_low
            status = "inconsistent" if high < 0 else "recorded"
            explanation = (
                f"requirements are additive (USD): regional total {reg.published_text} − Σ platforms "
                f"{_num(sum_value)} (between {_num(sum_low)} and {_num(sum_high)}) leaves "
                f"{_num(reg.value - sum_value)} (between {_num(low)} and {_num(high)}) for regional-level activities"
                + ("; negative: the platforms ask for more than the regional total" if high < 0 else "")
            )
        else:
            low, high = sum_low, sum_high
            status = "recorded"
            diff = reg.value - sum_value
            explanation = (
                f"{reg.measure}: regional {reg.published_text} vs Σ platforms {_num(sum_value)} "
                f"(between {_num(sum_low)} and {_num(sum_high)}): difference {diff:+,.0f} "
                f"({diff / sum_value:+.1%}); recorded, not flagged: {_SUM_EXPLANATIONS[reg.measure]}"
            )
        rows.append(_row(year, reg.platform, reg.sector, check, published, (low, high), status, explanation))
    return rows


def _age_gender_sums(numeric: pd.DataFrame, index: dict) -> list[dict]:
    rows = []
    groups = numeric[numeric["age_gender"].notna()]
    keys = groups[["plan_year", "platform", "sector", "measure"]].drop_duplicates()
    for key in keys.itertuples(index=False):
        year = _year(key.plan_year)
        parts = [index.get((year, key.platform, key.sector, key.measure, g)) for g in AGE_GENDER_GROUPS]
        texts = " + ".join(f"{g} {r.published_text}" for g, r in zip(AGE_GENDER_GROUPS, parts) if r is not None)
        missing = [g for g, r in zip(AGE_GENDER_GROUPS, parts) if r is None]
        if missing:
            rows.append(_row(year, key.platform, key.sector, "age_gender_shares_sum", (texts, math.nan, math.nan),
                             (1.0, 1.0), "missing_parts", f"{key.measure}: no share for {', '.join(missing)}"))
            continue
        low, high = sum(r.value_low for r in parts), sum(r.value_high for r in parts)
        ok = _overlap(low, high, 1.0, 1.0)
        explanation = (
            f"{key.measure}: the four shares add up to {_pct(sum(r.value for r in parts))}, "
            f"[{_pct(low)}, {_pct(high)}] with their rounding; "
            + ("100% is within it" if ok else "100% is outside it")
        )
        rows.append(_row(year, key.platform, key.sector, "age_gender_shares_sum", (texts, low, high), (1.0, 1.0),
                         "ok" if ok else "inconsistent", explanation))
    return rows


def _share_of_total_pin(numeric: pd.DataFrame, index: dict) -> list[dict]:
    rows = []
    for share in numeric[numeric["measure"] == "share_of_total_pin"].itertuples(index=False):
        year = _year(share.plan_year)
        pin = index.get((year, share.platform, share.sector, "people_in_need", None))
        if pin is None or share.value_low <= 0:
            continue
        low, high = pin.value_low / share.value_high, pin.value_high / share.value_low
        explanation = (
            f"unverified measure ('PORCENTAJE DE PIN'): if it is PiN / some total, that total is "
            f"PiN {pin.published_text} / {share.published_text} ≈ {_num(pin.value / share.value)} "
            f"(between {_num(low)} and {_num(high)}); recorded to check its meaning against other sources"
        )
        rows.append(_row(year, share.platform, share.sector, "share_of_total_pin_denominator",
                         (share.published_text, share.value_low, share.value_high), (low, high), "recorded",
                         explanation))
    return rows

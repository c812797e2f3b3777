"""Reconcile planning figures with each other: the rows of ``meta.reconciliation``.

* :func:`reconcile_published_figures`: the ``figures`` frame of
  :func:`rmrp_pipeline.sources.planning.key_figures.read_published_key_figures` (one row per
  published figure, ``value_low``/``value_high`` the interval its printed rounding allows), checked
  against itself by interval arithmetic.
* :func:`reconcile_planning_figures`: rows of ``marts.fct_planning_figures`` and the published
  figures: how national, admin1, intersector, regional and submitted figures add up (docs/domain.md §2.3).

Both return :data:`RECONCILIATION_COLUMNS`, one row per check; a check never changes a figure, it
records ``ok``, ``recorded``, ``inconsistent`` or ``missing_parts`` with an explanation. Each check
and its status: docs/data_dictionary.md, "Reconciliation".
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from rmrp_pipeline.domain import INTERSECTOR, PLATFORMS, REGIONAL
from rmrp_pipeline.sources.planning.common import POPULATION_TYPES
from rmrp_pipeline.sources.planning.key_figures import AGE_GENDER_GROUPS
from rmrp_pipeline.warehouse import db as warehouse

__all__ = ["RECONCILIATION_COLUMNS", "reconcile_planning_figures", "reconcile_published_figures"]

RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "plan_year",
    "platform",
    "sector",
    "country_iso3",
    "measure",
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
    """Check published figures against each other (docs/data_dictionary.md, "Reconciliation").

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
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
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


def _row(year, platform, sector, check, published, computed, status, explanation, *, measure=None, country_iso3=None) -> dict:
    text, low, high = published
    return {
        "plan_year": year,
        "platform": platform,
        "sector": sector,
        "country_iso3": country_iso3,
        "measure": measure,
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
                             f"cannot recompute: {', '.join(missing) or 'PiN is zero'} not published/read",
                             measure="target_share_of_pin"))
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
                         "ok" if ok else "inconsistent", explanation, measure="target_share_of_pin"))
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
            explanation = f"{reg.measure}: no figure for {', '.join(missing)}"
            if len(missing) == len(PLATFORMS):
                explanation = (f"{reg.measure}: no platform figure is published for this plan year and sector; "
                               f"where R4V's PiN/target tables exist, regional_vs_country_sum checks the regional "
                               f"figure against the countries instead")
            rows.append(_row(year, reg.platform, reg.sector, check, published, (math.nan, math.nan),
                             "missing_parts", explanation, measure=reg.measure))
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
        rows.append(_row(year, reg.platform, reg.sector, check, published, (low, high), status, explanation,
                         measure=reg.measure))
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
                             (1.0, 1.0), "missing_parts", f"{key.measure}: no share for {', '.join(missing)}",
                             measure=key.measure))
            continue
        low, high = sum(r.value_low for r in parts), sum(r.value_high for r in parts)
        ok = _overlap(low, high, 1.0, 1.0)
        explanation = (
            f"{key.measure}: the four shares add up to {_pct(sum(r.value for r in parts))}, "
            f"[{_pct(low)}, {_pct(high)}] with their rounding; "
            + ("100% is within it" if ok else "100% is outside it")
        )
        rows.append(_row(year, key.platform, key.sector, "age_gender_shares_sum", (texts, low, high), (1.0, 1.0),
                         "ok" if ok else "inconsistent", explanation, measure=key.measure))
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
                         explanation, measure="share_of_total_pin"))
    return rows


# -- how the planning figures add up (marts.fct_planning_figures) ----------------------------------

_TOLERANCE = 0.5  # half a person: figures of R4V's tables are whole persons


def reconcile_planning_figures(facts: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Check how the planning figures add up (docs/data_dictionary.md, "Reconciliation").

    Args:
        facts: rows of ``marts.fct_planning_figures`` (columns used: plan_year, level, platform,
            country, country_iso3, sector, population_type, age_gender, measure, value, source_kind,
            organisation_key).
        published: the published figures (``staging.stg_planning__published_figures``).

    Returns:
        One row per check, columns :data:`RECONCILIATION_COLUMNS`.
    """
    tables = facts[(facts["source_kind"] == "pin_target_table") & (facts["age_gender"] == "all")]
    rows: list[dict] = []
    rows += _country_vs_admin1(tables)
    rows += _intersector_vs_sectors(tables)
    rows += _regional_vs_countries(tables, published)
    rows += _submissions_vs_published(facts[facts["source_kind"] == "submission"], published)
    return _frame(rows)


def _sums(frame: pd.DataFrame, keys: list[str]) -> dict:
    if frame.empty:
        return {}
    return frame.groupby(keys, dropna=False)["value"].sum().to_dict()


def _country_vs_admin1(tables: pd.DataFrame) -> list[dict]:
    keys = ["plan_year", "measure", "platform", "country_iso3", "country", "sector", "population_type"]
    country = _sums(tables[tables["level"] == "country"], keys)
    admin1 = _sums(tables[tables["level"] == "admin1"], keys)
    counts = tables[tables["level"] == "admin1"].groupby(keys[:-1])["admin1"].nunique().to_dict() if len(tables) else {}
    rows = []
    for key, whole in country.items():
        year, measure, platform, iso3, name, sector, pop = key
        if pop != "all" or key not in admin1:
            continue
        parts = admin1[key]
        diff = whole - parts
        split = [
            f"{p} {country.get((*key[:-1], p), 0) - admin1.get((*key[:-1], p), 0):+,.0f}"
            for p in POPULATION_TYPES[1:]
            if abs(country.get((*key[:-1], p), 0) - admin1.get((*key[:-1], p), 0)) >= _TOLERANCE
        ]
        what = f"{measure} {name} {sector}: Country level {_num(whole)} vs Σ of its {counts.get(key[:-1], 0)} admin1 rows {_num(parts)}"
        if abs(diff) < _TOLERANCE:
            status, explanation = "ok", f"{what}: equal"
        elif diff > 0:
            status = "recorded"
            explanation = (f"{what}: the country is {diff:+,.0f} above ({', '.join(split) or 'no single population type'}); "
                           f"recorded, not flagged: some caseloads (notably people in transit) are held only at national "
                           f"level (domain.md §2.3), so the national figure is stored as given, never replaced by the sum")
        else:
            status = "inconsistent"
            explanation = (f"{what}: the country is {diff:+,.0f} below the sum of its own admin1 rows "
                           f"({', '.join(split) or 'no single population type'}): a whole smaller than its parts")
        rows.append(_row(_year(year), platform, sector, "country_vs_admin1_sum", (None, whole, whole), (parts, parts),
                         status, explanation, measure=measure, country_iso3=iso3))
    return rows


def _intersector_vs_sectors(tables: pd.DataFrame) -> list[dict]:
    country = tables[(tables["level"] == "country") & (tables["population_type"] == "all")]
    rows = []
    for (year, measure, platform, iso3, name), group in country.groupby(
            ["plan_year", "measure", "platform", "country_iso3", "country"], dropna=False):
        by_sector = group.groupby("sector")["value"].sum()
        if INTERSECTOR not in by_sector.index or len(by_sector) < 2:
            continue
        inter = float(by_sector[INTERSECTOR])
        sectors = by_sector.drop(INTERSECTOR)
        low, high = float(sectors.max()), float(sectors.sum())
        ok = low - _TOLERANCE <= inter <= high + _TOLERANCE
        explanation = (
            f"{measure} {name}: Intersector {_num(inter)}; largest sector {sectors.idxmax()} {_num(low)}; "
            f"Σ of the {len(sectors)} sectors {_num(high)}: the intersector counts each person once, so it lies "
            f"between the largest sector and the sum (domain.md §2.3)"
            + ("" if ok else ("; it is ABOVE the sum of the sectors" if inter > high else "; it is BELOW the largest sector"))
        )
        rows.append(_row(_year(year), platform, INTERSECTOR, "intersector_vs_sectors", (None, inter, inter), (low, high),
                         "ok" if ok else "inconsistent", explanation, measure=measure, country_iso3=iso3))
    return rows


def _regional_vs_countries(tables: pd.DataFrame, published: pd.DataFrame) -> list[dict]:
    regional = published[(published["level"] == "regional") & published["age_gender"].isna()
                         & published["plan_year"].notna() & published["value"].notna()
                         & published["measure"].isin(["people_in_need", "people_targeted"])]
    country = tables[(tables["level"] == "country")]
    rows = []
    for reg in regional.itertuples(index=False):
        year = _year(reg.plan_year)
        mine = country[(country["plan_year"] == year) & (country["measure"] == reg.measure) & (country["sector"] == reg.sector)]
        if mine.empty:
            continue
        totals = mine[mine["population_type"] == "all"]
        total = float(totals["value"].sum())
        transit = float(mine.loc[mine["population_type"] == "in_transit", "value"].sum())
        computed = total - transit
        ok = _overlap(reg.value_low, reg.value_high, computed, computed)
        with_transit = _overlap(reg.value_low, reg.value_high, total, total)
        explanation = (
            f"{reg.measure} {reg.sector}: Σ of the {totals['country_iso3'].nunique()} countries' Country level rows "
            f"{_num(total)}, of which {_num(transit)} in transit; without them {_num(computed)}, "
            + (f"within the published {reg.published_text} = [{_num(reg.value_low)}, {_num(reg.value_high)}]: "
               f"R4V's regional figure excludes people in transit, who cross several countries and would "
               f"otherwise be counted in each (domain.md §2.3)" if ok else
               f"outside the published {reg.published_text} = [{_num(reg.value_low)}, {_num(reg.value_high)}]: "
               f"the published figure does not follow the rule 'Σ countries minus in transit'")
            + (f"; the sum with them ({_num(total)}) is {'also inside' if with_transit else 'outside'} it")
        )
        rows.append(_row(year, REGIONAL, reg.sector, "regional_vs_country_sum",
                         (reg.published_text, reg.value_low, reg.value_high), (computed, computed),
                         "ok" if ok else "inconsistent", explanation, measure=reg.measure))
    return rows


def _submissions_vs_published(submissions: pd.DataFrame, published: pd.DataFrame) -> list[dict]:
    if submissions.empty:
        return []
    chosen = published[published["level"].isin(["platform", "regional"]) & published["age_gender"].isna()
                       & published["plan_year"].notna() & published["value"].notna()
                       & published["measure"].isin(["requirements_usd", "people_targeted", "partners"])]
    rows = []
    for pub in chosen.itertuples(index=False):
        year = _year(pub.plan_year)
        scope = submissions[submissions["plan_year"] == year]
        if pub.platform != REGIONAL:
            scope = scope[(scope["platform"] == pub.platform) & (scope["level"] != "regional")]
        if pub.sector != INTERSECTOR:
            scope = scope[scope["sector"] == pub.sector]
        if scope.empty:
            continue
        organisations = scope["organisation_key"].nunique()
        if pub.measure == "requirements_usd":
            value = float(scope.loc[scope["measure"] == "requirements_usd", "value"].sum())
            ok = _overlap(pub.value_low, pub.value_high, value, value)
            explanation = (
                f"requirements are additive: the loaded activities of {organisations} organisation(s) ask for "
                f"${_num(value)}, {value / pub.value:.1%} of the published {pub.published_text}"
                + ("" if ok else "; the difference is asked for by submissions not in the warehouse, or the "
                                 "published figure was revised after submission")
            )
            status = "ok" if ok else "recorded"
        elif pub.measure == "people_targeted":
            if pub.sector == INTERSECTOR:
                continue
            value = float(scope.loc[(scope["measure"] == "people_targeted") & (scope["population_type"] == "all")
                                    & (scope["age_gender"] == "all"), "value"].sum())
            status = "recorded"
            explanation = (
                f"Σ of the total targets of the loaded Direct Assistance activities {_num(value)} vs the published "
                f"{pub.published_text}: activities overlap (the same people targeted by several), so the sum is an "
                f"upper bound, and the published target is R4V's consolidation"
            )
        else:
            value = float(organisations)
            status = "ok" if _overlap(pub.value_low, pub.value_high, value, value) else "recorded"
            explanation = (f"{organisations} distinct organisation(s) in the loaded submissions vs {pub.published_text} "
                           f"published (an organisation counts once whatever its number of activities)")
        rows.append(_row(year, pub.platform, pub.sector, "submissions_vs_published",
                         (pub.published_text, pub.value_low, pub.value_high), (value, value), status, explanation,
                         measure=pub.measure))
    return rows


# -- the warehouse table ------------------------------------------------------------------------

RECONCILIATION_TABLE = "meta.reconciliation"


def build_reconciliation(con: duckdb.DuckDBPyConnection) -> str:
    """Replace ``meta.reconciliation`` with :func:`reconcile_published_figures` of
    ``staging.stg_planning__published_figures`` and :func:`reconcile_planning_figures` of
    ``marts.fct_planning_figures`` (its tables' age/gender totals and the other sources). Returns
    the ``WHERE`` clause of the rows written (empty: all)."""
    # in file order whatever order the warehouse stores the rows in (warehouse.db.sync_table)
    figures = con.execute("SELECT * FROM staging.stg_planning__published_figures "
                          "ORDER BY source_file, sheet, row_number, \"column\"").df()
    facts = con.execute(  # the checks use the tables' age/gender totals only
        "SELECT * FROM marts.fct_planning_figures WHERE source_kind <> 'pin_target_table' OR age_gender = 'all' "
        "ORDER BY source_file, source_sheet, source_row, source_column, measure, age_gender").df()
    checks = pd.concat([reconcile_published_figures(figures), reconcile_planning_figures(facts, figures)], ignore_index=True)
    warehouse.replace_table(con, RECONCILIATION_TABLE, checks)
    return ""

"""5W rows far above the plan: the check of ``outlier_above_pin`` (the other outlier rule,
``outlier_organisation_history``, looks only at the 5W and is in ``checks.py``).

A row of a people-reached indicator whose new beneficiaries exceed the people in need (PiN) of its
sector in its admin1, for the same plan year, is a finding (loaded, listed for the partner), as
DHIS2 flags values above a plausible maximum. It needs the PiN tables, so the ingest runs it once
both the 5W and the planning sheets are staged. Plain pandas, no warehouse, no Dagster.
"""

from __future__ import annotations

import pandas as pd

from rmrp_pipeline.quality.checks import check
from rmrp_pipeline.quality.issues import concat_issues, empty_issues, issue_frame
from rmrp_pipeline.quality.rules import FIVE_W
from rmrp_pipeline.text.cells import map_distinct, normalise_key

RULE = "outlier_above_pin"


def _admin1_keys(names: pd.Series) -> pd.Series:
    """``normalise_key`` of each admin1 name (None for an empty cell), once per distinct name."""
    return map_distinct(names, lambda name: normalise_key(name) if isinstance(name, str) else None)


def sector_pin(pin_target_rows: pd.DataFrame) -> pd.DataFrame:
    """PiN per (plan_year, country_iso3, admin1_key, sector), all population types and ages, from
    staged PiN/target rows (``staging.stg_planning__pin_target`` columns; loaded PiN rows with a
    total above 0): the admin1 rows, and each country's Country level row under ``admin1_key``
    None. A PiN of 0 is left out: R4V's tables hold some caseloads only nationally (Colombia's
    Humanitarian Transportation: 0 in every department, 445,205 at Country level, docs/domain.md §2.3),
    so 0 says "not counted here", not "nobody in need".

    Returns:
        columns plan_year (int), country_iso3, admin1_key (``normalise_key`` of the admin1, or
        None for the Country level), sector, pin (persons, float).
    """
    columns = ["plan_year", "country_iso3", "admin1_key", "sector", "pin"]
    if pin_target_rows is None or pin_target_rows.empty:
        return pd.DataFrame(columns=columns)
    rows = pin_target_rows[
        ~pin_target_rows["is_rejected"].astype(bool) & pin_target_rows["measure"].eq("people_in_need")
        & pin_target_rows["all_all"].gt(0) & pin_target_rows["sector"].notna() & pin_target_rows["country_iso3"].notna()
        & pin_target_rows["level"].isin(["admin1", "country"])
    ]
    out = rows.assign(admin1_key=_admin1_keys(rows["admin1"]).where(rows["level"].eq("admin1"), None))
    out = out.rename(columns={"all_all": "pin"})[columns]
    out["plan_year"] = out["plan_year"].astype("int64")
    # one figure per key: a table that gives two PiN for one place -> the larger (a plausible maximum)
    return out.groupby(["plan_year", "country_iso3", "admin1_key", "sector"], dropna=False, as_index=False)["pin"].max()


@check(RULE, source=FIVE_W)
def outlier_above_pin(activities: pd.DataFrame, pin_target_rows: pd.DataFrame, headers: dict[tuple[str, str], str]) -> pd.DataFrame:
    """``outlier_above_pin`` findings for the staged 5W rows: new beneficiaries above the PiN of the
    row's sector in its admin1, or, where the PiN table has no PiN above 0 for that admin1 and
    sector, in its country (the Country level row), for the row's reporting year.

    Args:
        activities: staged 5W rows (``staging.stg_5w__activities`` columns); only loaded rows of
            people-reached indicators with a canonical ``sector`` are checked.
        pin_target_rows: staged PiN/target rows (``staging.stg_planning__pin_target`` columns).
        headers: (source_file, sheet) -> the file's own header of the new-beneficiaries column.

    Returns:
        issue rows (``quality.issues.ISSUE_COLUMNS``): file, sheet, Excel row, column, rule,
        severity, value shown as ``"200000 (PiN 45693, Country level)"`` (digits only: the same
        text reads right in English and Spanish), message. Empty when no PiN table covers the
        rows' plan years (e.g. the 2021 export: R4V's PiN tables start in 2022).
    """
    pin = sector_pin(pin_target_rows)
    if activities is None or activities.empty or pin.empty:
        return empty_issues()
    rows = activities[
        ~activities["is_rejected"].astype(bool) & activities["counts_as_reached"].astype(bool)
        & activities["new_beneficiaries"].notna() & activities["sector"].notna() & activities["month"].notna()
    ]
    if rows.empty:
        return empty_issues()
    keys = ["plan_year", "country_iso3", "sector"]
    rows = rows.assign(plan_year=pd.to_datetime(rows["month"]).dt.year.astype("int64"),
                       admin1_key=_admin1_keys(rows["admin1"]))
    admin1_pin = pin.dropna(subset=["admin1_key"]).rename(columns={"pin": "admin1_pin"})
    country_pin = pin[pin["admin1_key"].isna()].drop(columns="admin1_key").rename(columns={"pin": "country_pin"})
    rows = rows.merge(admin1_pin, on=[*keys, "admin1_key"], how="left").merge(country_pin, on=keys, how="left")
    rows["pin"] = rows["admin1_pin"].fillna(rows["country_pin"])
    rows["pin_level"] = rows["admin1_pin"].notna().map({True: "admin1", False: "Country level"})
    hits = rows[rows["pin"].notna() & (rows["new_beneficiaries"] > rows["pin"])]
    parts = []
    for (source_file, sheet), group in hits.groupby(["source_file", "source_sheet"], sort=True):
        header = headers.get((source_file, sheet), "new_beneficiaries")
        shown = [f"{n:.0f} (PiN {p:.0f}, {level})" for n, p, level in zip(group["new_beneficiaries"], group["pin"], group["pin_level"])]
        parts.append(issue_frame(source_file, sheet, group["source_row"].astype(int).tolist(), header, RULE, shown))
    return concat_issues(parts)

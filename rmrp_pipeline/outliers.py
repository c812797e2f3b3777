"""5W rows far above the plan: ``outlier_above_pin`` (the other outlier rule,
``outlier_organisation_history``, looks only at the 5W and is in ``schemas.py``).

A row of a people-reached indicator whose new beneficiaries exceed the people in need (PiN) of its
sector in its admin1, for the same plan year, is a finding (loaded, listed for the partner), as
DHIS2 flags values above a plausible maximum. It needs the PiN tables, so the ingest runs it once
both the 5W and the planning sheets are staged. Plain pandas, no warehouse, no Dagster.
"""

from __future__ import annotations

import pandas as pd

from rmrp_pipeline.planning_common import concat_issues, issue_rows_at
from rmrp_pipeline.reading import normalise_key

RULE = "outlier_above_pin"


def sector_pin(pin_target_rows: pd.DataFrame) -> pd.DataFrame:
    """PiN per (plan_year, country_iso3, admin1_key, sector), all population types and ages, from
    staged PiN/target rows (``staging.stg_planning__pin_target`` columns; loaded PiN rows with a
    total): the admin1 rows, and for a country whose PiN table has no admin1 row, its Country level
    row under ``admin1_key`` None (it then stands for every admin1 of the country).

    Returns:
        columns plan_year (int), country_iso3, admin1_key (``normalise_key`` of the admin1, or
        None), sector, pin (persons, float).
    """
    columns = ["plan_year", "country_iso3", "admin1_key", "sector", "pin"]
    if pin_target_rows is None or pin_target_rows.empty:
        return pd.DataFrame(columns=columns)
    rows = pin_target_rows[
        ~pin_target_rows["is_rejected"].astype(bool) & pin_target_rows["measure"].eq("people_in_need")
        & pin_target_rows["all_all"].notna() & pin_target_rows["sector"].notna() & pin_target_rows["country_iso3"].notna()
    ]
    admin1 = rows[rows["level"].eq("admin1")]
    with_admin1 = set(zip(admin1["plan_year"], admin1["country_iso3"]))
    country = rows[rows["level"].eq("country")]
    country = country[[(y, c) not in with_admin1 for y, c in zip(country["plan_year"], country["country_iso3"])]]
    out = pd.concat([
        admin1.assign(admin1_key=admin1["admin1"].map(normalise_key)),
        country.assign(admin1_key=None),
    ], ignore_index=True)
    out = out.rename(columns={"all_all": "pin"})[columns]
    out["plan_year"] = out["plan_year"].astype("int64")
    # one figure per key: a table that gives two different PiN for one place is not a plausible maximum
    return out.groupby(["plan_year", "country_iso3", "admin1_key", "sector"], dropna=False, as_index=False)["pin"].max()


def outlier_above_pin(activities: pd.DataFrame, pin_target_rows: pd.DataFrame, headers: dict[tuple[str, str], str]) -> pd.DataFrame:
    """``outlier_above_pin`` findings for the staged 5W rows.

    Args:
        activities: staged 5W rows (``staging.stg_5w__activities`` columns); only loaded rows of
            people-reached indicators with a canonical ``sector`` are checked.
        pin_target_rows: staged PiN/target rows (``staging.stg_planning__pin_target`` columns).
        headers: (source_file, sheet) -> the file's own header of the new-beneficiaries column.

    Returns:
        issue rows (``planning_common.ISSUE_COLUMNS``): file, sheet, Excel row, column, rule,
        severity, value shown as ``"127,938 (PiN 1,441)"``, message. Empty when no PiN table
        covers the rows' plan years (e.g. the 2021 export: R4V's PiN tables start in 2022).
    """
    pin = sector_pin(pin_target_rows)
    if activities is None or activities.empty or pin.empty:
        return concat_issues([])
    rows = activities[
        ~activities["is_rejected"].astype(bool) & activities["counts_as_reached"].astype(bool)
        & activities["new_beneficiaries"].notna() & activities["sector"].notna() & activities["month"].notna()
    ]
    if rows.empty:
        return concat_issues([])
    rows = rows.assign(plan_year=pd.to_datetime(rows["month"]).dt.year.astype("int64"),
                       admin1_key=rows["admin1"].map(lambda v: normalise_key(v) if isinstance(v, str) else None))
    keys = ["plan_year", "country_iso3", "sector"]
    by_admin1 = rows.merge(pin.dropna(subset=["admin1_key"]), on=[*keys, "admin1_key"], how="inner")
    by_country = rows.merge(pin[pin["admin1_key"].isna()].drop(columns="admin1_key"), on=keys, how="inner")
    hits = pd.concat([by_admin1, by_country], ignore_index=True)
    hits = hits[hits["new_beneficiaries"] > hits["pin"]]
    parts = []
    for (source_file, sheet), group in hits.groupby(["source_file", "source_sheet"], sort=True):
        header = headers.get((source_file, sheet), "new_beneficiaries")
        shown = [f"{n:,.0f} (PiN {p:,.0f})" for n, p in zip(group["new_beneficiaries"], group["pin"])]
        parts.append(issue_rows_at(source_file, sheet, RULE, header, group["source_row"].astype(int).tolist(), shown))
    return concat_issues(parts)

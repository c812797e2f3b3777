"""``marts.people_reached_monthly`` of one cycle in R4V's consolidated-report layout (the
columns and check texts of R4V's own consolidation output), for ``rmrp export people-reached``."""

from __future__ import annotations

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import cycle_window

#: R4V's consolidated-report columns (docs/domain.md §3.4, HDX people-reached-rmrp-*.xlsx) and where each comes from.
R4V_COLUMNS = {
    "Platform": "platform", "Country": "country", "Admin1": "admin1", "Month": "month", "Subsector": "subsector",
    "Monthly Total Beneficiaries": "monthly_total", "Monthly CVA Beneficiaries": "monthly_cva",
    "Consolidated Total": "consolidated_total", "Consolidated In Destination": "consolidated_in_destination",
    "Consolidated In Transit": "consolidated_in_transit", "Consolidated Host Communities": "consolidated_host_community",
    "Consolidated Pendular": "consolidated_pendular", "Consolidated Returnees": "consolidated_returnees",
    "Consolidated Girls": "consolidated_girls", "Consolidated Boys": "consolidated_boys",
    "Consolidated Women": "consolidated_women", "Consolidated Men": "consolidated_men",
    "Consolidated Other under 18": "consolidated_other_under_18", "Consolidated Other above 18": "consolidated_other_above_18",
    "Consolidated CVA Beneficiaries": "consolidated_cva",
    "Check PopType Breakdown": "check_population_type_breakdown", "Check AGD Breakdown": "check_age_gender_breakdown",
    "Check CVA higher Total": "check_cva_not_above_total",
}



#: How R4V writes a check that holds / fails (the reference output writes ``Ok``, ``Ok``, ``ok``).
_CHECK_TEXT = {
    "check_population_type_breakdown": ("Ok", "Not ok"),
    "check_age_gender_breakdown": ("Ok", "Not ok"),
    "check_cva_not_above_total": ("ok", "not ok"),
}



def r4v_consolidated_report(con: duckdb.DuckDBPyConnection, cycle: str) -> pd.DataFrame:
    """The months of ``cycle`` in R4V's consolidated-report layout: R4V's column names and order,
    month as ``YYYY-MM``, whole numbers as integers, checks as ``Ok``/``Not ok``. Rows: per platform
    and country, admin1 rows then the Country level, then the Platform level rows (Country empty),
    then the Regional rows (Platform and Country ``Regional``, Admin1 ``Regional level``, R4V's
    per-organisation convention); Intersector last in each month."""
    start, end = cycle_window(cycle)
    frame = con.execute(
        f"SELECT * FROM marts.people_reached_monthly WHERE month >= ? AND month < ? ORDER BY "
        "CASE level WHEN 'regional' THEN 1 ELSE 0 END, platform, CASE level WHEN 'platform' THEN 1 ELSE 0 END, "
        "country, CASE level WHEN 'admin1' THEN 0 ELSE 1 END, admin1, month, subsector = 'Intersector', subsector",
        [start, end],
    ).df()
    frame.loc[frame["level"] == "regional", "country"] = "Regional"
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    for column, (ok, not_ok) in _CHECK_TEXT.items():
        frame[column] = frame[column].map({True: ok, False: not_ok})
    out = frame[list(R4V_COLUMNS.values())].copy()
    out.columns = list(R4V_COLUMNS)
    for column in out.columns[5:20]:
        out[column] = pd.Series([int(v) if float(v).is_integer() else float(v) for v in out[column]], index=out.index, dtype=object)
    return out.astype(object).where(out.notna(), None)


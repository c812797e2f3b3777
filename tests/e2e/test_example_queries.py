"""The saved questions of examples/queries, run as ``rmrp sql`` runs them on the bundled data,
against values worked out another way: from the staged 5W rows or the raw files, with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rmrp_pipeline.reports.sql_console import run_query
from tests.conftest import RAW_DIR, ROOT

QUERIES = ROOT / "examples" / "queries"
PIN_TARGET_2022 = RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx"


def ask(built_warehouse, name: str, **variables) -> pd.DataFrame:
    """Run the saved question ``name`` (read-only, as ``rmrp sql FILE --set ...``)."""
    result = run_query(str(built_warehouse[0]), (QUERIES / f"{name}.sql").read_text(encoding="utf-8"),
                       {k: str(v) for k, v in variables.items()})
    return pd.DataFrame(result.rows, columns=result.columns)


@pytest.fixture(scope="module")
def staged(built_warehouse) -> pd.DataFrame:
    """The staged 5W rows that were loaded (rejected rows left out), as pandas."""
    import duckdb

    with duckdb.connect(str(built_warehouse[0]), read_only=True) as con:
        frame = con.execute("SELECT * EXCLUDE (activity_name, activity_description) FROM staging.stg_5w__activities").df()
    frame = frame[~frame["is_rejected"].astype(bool)].copy()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def _in_months(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    return frame[(frame["month"] >= pd.Timestamp(first)) & (frame["month"] <= pd.Timestamp(last))]


def test_every_saved_question_says_its_question_and_runs(built_warehouse):
    files = sorted(QUERIES.glob("*.sql"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- Question: "), f"{path.name} starts with the question it answers"
        assert not ask(built_warehouse, path.stem).empty, f"{path.name} answers on the bundled data"


def test_people_reached_by_country_for_a_sector(built_warehouse, staged):
    answer = ask(built_warehouse, "01_people_reached_by_country_for_a_sector", cycle="2021-H1", sector="Shelter")
    rows = _in_months(staged, "2021-01-01", "2021-06-01")
    rows = rows[rows["counts_as_reached"] & (rows["sector"] == "Shelter")]
    expected = rows.groupby("country")["new_beneficiaries"].sum()
    assert dict(zip(answer["country"], answer["people_reached"])) == pytest.approx(expected.to_dict())
    assert answer["people_reached"].is_monotonic_decreasing


def test_share_of_target_by_platform(built_warehouse, staged):
    sector = "Protection (General)"
    answer = ask(built_warehouse, "02_share_of_target_by_platform", sector=sector)
    targets = pd.read_excel(PIN_TARGET_2022, sheet_name="Target")
    targets = targets[(targets["Subsector"] == sector) & (targets["Target Admin1"] == "Country level")
                      & (targets["Target Total"] > 0)]
    reached = staged[staged["counts_as_reached"] & (staged["sector"] == sector) & (staged["month"].dt.year == 2022)]
    for platform, group in targets.groupby("Target Platform"):
        people = reached[reached["country"].isin(group["Target Country"])]["new_beneficiaries"].sum()
        if not people:
            continue
        row = answer[answer["platform"] == platform].iloc[0]
        assert row["cycle"] == "2022-H2"          # the 2022 PiN/target tables are the only targets
        assert row["people_targeted"] == group["Target Total"].sum()
        assert row["people_reached"] == people
        assert row["share_of_target"] == pytest.approx(people / group["Target Total"].sum())


def test_organisations_that_stopped_reporting(built_warehouse, staged):
    answer = ask(built_warehouse, "03_organisations_that_stopped_reporting", month="2021-05")
    year = staged[staged["month"].dt.year == 2021]
    before = year[year["month"] < "2021-05-01"]
    in_may = set(zip(*year[year["month"] == "2021-05-01"][["country", "appealing_org"]].T.values))
    expected = {key: last for key, last in before.groupby(["country", "appealing_org"])["month"].max().items()
                if key not in in_may}
    got = {(r.country, r.appealing_org): r.last_month_reported for r in answer.itertuples()}
    assert got == {key: f"{last:%Y-%m}" for key, last in expected.items()}


def test_top_rules_by_rejects_and_findings(built_warehouse, wh):
    answer = ask(built_warehouse, "04_top_rules_by_rejects_and_findings")
    findings = wh.execute("SELECT source_file, sheet, row_number, rule FROM meta.quality_findings").df()
    rejects = wh.execute("SELECT source_file, sheet, row_number, rule FROM meta.rejected_rows").df()
    for frame, severity in ((findings, "finding"), (rejects, "reject")):
        rows = frame.drop_duplicates().groupby("rule").size()
        got = answer[answer["severity"] == severity].set_index("rule")["rows_affected"]
        assert got.to_dict() == rows.to_dict()
    # the load log counts the same rows per file as the ingest saw them
    per_file = wh.execute("SELECT sum(rows_with_findings) FROM meta.load_log").fetchone()[0]
    assert per_file == findings[["source_file", "sheet", "row_number"]].drop_duplicates().shape[0]
    assert answer["rows_affected"].is_monotonic_decreasing


def test_key_figures_of_a_plan_year(built_warehouse):
    answer = ask(built_warehouse, "05_key_figures_of_a_plan_year", plan_year=2022, platform="Brazil").set_index("sector")
    pin = pd.read_excel(PIN_TARGET_2022, sheet_name="PiN 2022")
    target = pd.read_excel(PIN_TARGET_2022, sheet_name="Target")
    pin = pin[(pin["PiN Platform"] == "Brazil") & (pin["PiN Admin1"] == "Country level")].groupby("Subsector")["PiN Total"].sum()
    target = target[(target["Target Platform"] == "Brazil") & (target["Target Admin1"] == "Country level")]
    target = target.groupby("Subsector")["Target Total"].sum()
    assert answer.index[0] == "Intersector"
    for sector, value in pin.items():
        if value > 0:
            assert answer.loc[sector, "people_in_need"] == pytest.approx(value), sector
    for sector, value in target.items():
        if value > 0:
            assert answer.loc[sector, "people_targeted"] == pytest.approx(value), sector
            if pin.get(sector, 0) > 0:
                assert answer.loc[sector, "target_share_of_pin"] == pytest.approx(value / pin[sector], abs=1e-3)


def test_rows_per_source_file(built_warehouse, wh, export_2021_rows):
    answer = ask(built_warehouse, "06_rows_per_source_file").set_index("source_file")
    five_w = answer.loc["monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx"]
    # the export's rows below its header with a value in some cell (openpyxl; an empty text is no value)
    assert five_w["rows_read"] == sum(any(v not in (None, "") for v in r) for r in export_2021_rows[1:])
    rejected = wh.execute("SELECT source_file, count(DISTINCT (sheet, row_number)) FROM meta.rejected_rows "
                          "GROUP BY ALL").fetchall()
    for file, count in rejected:
        assert answer.loc[file, "rows_rejected"] == count
    assert answer["rows_read"].sum() == answer["rows_loaded"].sum() + answer["rows_rejected"].sum() + \
        wh.execute("SELECT sum(rows_read) FROM meta.load_log WHERE status <> 'recognised'").fetchone()[0]


def test_monthly_intersector_for_a_country(built_warehouse, staged):
    answer = ask(built_warehouse, "07_monthly_intersector_for_a_country", country="Peru", year=2021)
    rows = staged[(staged["country"] == "Peru") & staged["counts_as_reached"] & (staged["month"].dt.year == 2021)]
    # a month without a report keeps the figure, up to the last month reported anywhere that year
    last = staged[staged["counts_as_reached"] & (staged["month"].dt.year == 2021)]["month"].max()
    months = pd.date_range(rows["month"].min(), last, freq="MS")
    by_month = rows.groupby("month")[["new_beneficiaries", "total_monthly"]].sum().reindex(months, fill_value=0)
    assert set(answer["intersector_model"]) == {"sum"}          # Peru 2021: reference_data/intersector_models.csv
    assert list(answer["month"]) == [f"{m:%Y-%m}" for m in by_month.index]
    assert list(answer["people_reached"]) == pytest.approx(list(by_month["new_beneficiaries"].cumsum()))
    assert list(answer["monthly_total"]) == pytest.approx(list(by_month["total_monthly"]))


def test_organisations_reporting_per_month(built_warehouse, staged):
    answer = ask(built_warehouse, "08_organisations_reporting_per_month", year=2021)
    rows = staged[staged["month"].dt.year == 2021]
    expected = rows.groupby(["country", rows["month"].dt.strftime("%Y-%m")]).agg(
        organisations=("appealing_org", "nunique"), rows_reported=("appealing_org", "size"))
    got = answer.set_index(["country", "month"])[["organisations", "rows_reported"]]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()


def test_cash_assistance_reached_by_country(built_warehouse, staged):
    answer = ask(built_warehouse, "09_cash_assistance_reached_by_country", cycle="2021-H1").set_index("country")
    rows = _in_months(staged, "2021-01-01", "2021-06-01")
    rows = rows[rows["counts_as_reached"]]
    total = rows.groupby("country")["new_beneficiaries"].sum()
    cva = rows[rows["cva"].fillna(False).astype(bool)].groupby("country")["new_beneficiaries"].sum()
    for country in ("Colombia", "Ecuador", "Peru", "Brazil"):       # 2021: the sum model everywhere
        assert answer.loc[country, "people_reached"] == pytest.approx(total[country])
        assert answer.loc[country, "reached_with_cva"] == pytest.approx(cva[country])


def test_outputs_of_a_sector(built_warehouse, staged):
    answer = ask(built_warehouse, "10_outputs_of_a_sector", cycle="2021-H1",
                 sector="Protection (Human Trafficking and Smuggling)")
    rows = _in_months(staged, "2021-01-01", "2021-06-01")
    rows = rows[~rows["counts_as_reached"] & (rows["sector"] == "Protection (Human Trafficking and Smuggling)")]
    expected = rows.groupby(["country", "indicator_code"]).agg(
        quantity_output=("quantity_output", "sum"), report_rows=("source_row", "size"))
    got = answer.set_index(["country", "indicator_code"])
    assert set(got.index) == set(expected.index)
    for key, row in expected.iterrows():
        assert got.loc[key, "report_rows"] == row["report_rows"]
        assert got.loc[key, "quantity_output"] == pytest.approx(row["quantity_output"])


def test_largest_outlier_rows(built_warehouse, staged, wh):
    answer = ask(built_warehouse, "11_largest_outlier_rows", year=2021, top=5)
    flagged = wh.execute("SELECT source_file, sheet, row_number FROM meta.quality_findings "
                         "WHERE starts_with(rule, 'outlier')").df().drop_duplicates()
    rows = staged[staged["counts_as_reached"] & (staged["month"].dt.year == 2021)].merge(
        flagged, left_on=["source_file", "source_sheet", "source_row"], right_on=["source_file", "sheet", "row_number"])
    largest = rows.sort_values("new_beneficiaries", ascending=False).head(5)
    assert list(answer["new_beneficiaries"]) == list(largest["new_beneficiaries"])
    assert "activity_name" not in answer.columns and "activity_description" not in answer.columns
    assert 4128 in set(answer["source_row"])          # Peru's Trafficking & Smuggling row (rmrp explain)


def test_queries_live_in_the_repository():
    assert Path(QUERIES).is_dir()

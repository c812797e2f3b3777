"""Every cycle figure says how much of it rests on 5W rows with findings and on outlier rows
(``flagged_share``, ``outlier_share`` of marts.cycle_people_reached), checked against the staged
rows and the findings with pandas."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def rows_2021_h1(built_warehouse) -> pd.DataFrame:
    """The staged 5W rows counted as people reached in 2021-H1, with whether they have a finding
    and an outlier finding."""
    import duckdb

    with duckdb.connect(str(built_warehouse[0]), read_only=True) as con:
        staged = con.execute("SELECT source_file, source_sheet, source_row, country, sector, month, new_beneficiaries "
                             "FROM staging.stg_5w__activities WHERE counts_as_reached AND NOT is_rejected").df()
        findings = con.execute("SELECT source_file, sheet, row_number, rule FROM meta.quality_findings "
                               "WHERE rule NOT IN ('personal_data_in_free_text', 'quantity_not_expected_for_type')").df()
        # about the text and the quantity of output, not the figure
    staged = staged[(pd.to_datetime(staged["month"]) >= "2021-01-01") & (pd.to_datetime(staged["month"]) < "2021-07-01")]
    keys = ["source_file", "source_sheet", "source_row"]
    findings = findings.rename(columns={"sheet": "source_sheet", "row_number": "source_row"})
    flagged = set(map(tuple, findings[keys].values))
    outliers = set(map(tuple, findings[findings["rule"].str.startswith("outlier")][keys].values))
    key = list(map(tuple, staged[keys].values))
    return staged.assign(with_findings=[k in flagged for k in key], outlier=[k in outliers for k in key],
                         new=staged["new_beneficiaries"].fillna(0))


def _shares(rows: pd.DataFrame) -> tuple[float, float]:
    total = rows["new"].sum()
    return rows.loc[rows["with_findings"], "new"].sum() / total, rows.loc[rows["outlier"], "new"].sum() / total


def test_peru_trafficking_rests_wholly_on_an_outlier_row(wh):
    shares = wh.execute(
        "SELECT consolidated_total, flagged_share, outlier_share FROM marts.cycle_people_reached WHERE cycle = '2021-H1' "
        "AND level = 'country' AND country = 'Peru' AND subsector = 'Protection (Human Trafficking and Smuggling)'"
    ).fetchone()
    assert shares == (127938.0, 1.0, 1.0)     # row 4128 of the 2021 export (rmrp explain people-reached)


def test_country_figures_shares_from_the_staged_rows(wh, rows_2021_h1):
    figures = wh.execute(
        "SELECT country, subsector, consolidated_total, flagged_share, outlier_share FROM marts.cycle_people_reached "
        "WHERE cycle = '2021-H1' AND level = 'country' AND consolidated_total > 0").df()
    assert len(figures) > 100
    for figure in figures.itertuples():
        rows = rows_2021_h1[rows_2021_h1["country"] == figure.country]
        if figure.subsector != "Intersector":     # Intersector: every subsector's rows
            rows = rows[rows["sector"] == figure.subsector]
            assert rows["new"].sum() == pytest.approx(figure.consolidated_total)
        flagged, outlier = _shares(rows)
        assert figure.flagged_share == pytest.approx(flagged), (figure.country, figure.subsector)
        assert figure.outlier_share == pytest.approx(outlier), (figure.country, figure.subsector)


def test_shares_are_fractions_on_every_figure(wh):
    counts = wh.execute(
        "SELECT count(*) FILTER (consolidated_total > 0 AND (flagged_share IS NULL OR outlier_share IS NULL)), "
        "count(*) FILTER (flagged_share NOT BETWEEN 0 AND 1 OR outlier_share > flagged_share), "
        "count(*) FILTER (consolidated_total = 0 AND flagged_share IS NOT NULL) "
        "FROM marts.cycle_people_reached").fetchone()
    assert counts == (0, 0, 0)


def test_rmrp_explain_lists_the_rows_behind_the_shares(wh):
    from rmrp_pipeline.reports.explain import explain_people_reached

    for subsector, admin1 in (("Intersector", "Lima"), ("Health", None)):
        explanation = explain_people_reached(wh, "2021-H1", "Peru", subsector, admin1=admin1)
        rows, figure = explanation.rows, explanation.figure
        total = rows["new_beneficiaries"].sum()
        assert rows.loc[rows["findings"].notna(), "new_beneficiaries"].sum() / total == pytest.approx(figure["flagged_share"])
        assert rows.loc[rows["outlier"], "new_beneficiaries"].sum() / total == pytest.approx(figure["outlier_share"])

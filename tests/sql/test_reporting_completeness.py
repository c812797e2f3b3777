"""marts.reporting_completeness on a small generated 5W workbook, built by `rmrp run`'s own
pipeline (the cycle job), hand-worked values."""

from __future__ import annotations

import pytest

import datetime as dt

import duckdb

from tests.messy.helpers import PARTNER_FILE, row, write_rows

UNHCR = "United Nations High Commissioner for Refugees (UNHCR)"
OTHER_ORG = "Partner Not In The List"


@pytest.mark.e2e
def test_reporting_completeness_hand_worked(reference_only, tmp_path):
    from rmrp_pipeline.cli import run_pipeline

    def report(org: str, month: str, subsector: str = "Shelter") -> dict:
        return row(**{"Appealing.Organization.Name": org, "Reporting.Month": month, "Sector...Subsector...WG": subsector})

    write_rows(reference_only / PARTNER_FILE, [
        report(UNHCR, "2021-01"), report(UNHCR, "2021-01"),          # two rows: one report
        report(UNHCR, "2021-03"), report(UNHCR, "2021-04"),
        report(OTHER_ORG, "2021-02"), report(OTHER_ORG, "2021-04", "Health"),
    ])
    warehouse = tmp_path / "w.duckdb"
    ok, cycles = run_pipeline(str(reference_only), str(warehouse), quiet=True)
    assert ok and "2021-H1" in cycles
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT appealing_org, subsector, month, reported, rows_reported FROM marts.reporting_completeness "
            "WHERE reporting_cycle = '2021-H1' ORDER BY appealing_org, subsector, month").fetchall()
        shares = dict(con.execute(
            "SELECT DISTINCT appealing_org, organisation_report_share FROM marts.reporting_completeness "
            "WHERE reporting_cycle = '2021-H1'").fetchall())
        counts = con.execute(
            "SELECT DISTINCT organisation_reports_expected, organisation_reports_received FROM marts.reporting_completeness "
            "WHERE reporting_cycle = '2021-H1' AND appealing_org = ?", [UNHCR]).fetchall()
    d = dt.date
    # The cycle's last month with data is April 2021 (UNHCR Shelter, the other org's Health).
    assert rows == [
        (OTHER_ORG, "Health", d(2021, 4, 1), True, 1),
        (OTHER_ORG, "Shelter", d(2021, 2, 1), True, 1),
        (OTHER_ORG, "Shelter", d(2021, 3, 1), False, 0),
        (OTHER_ORG, "Shelter", d(2021, 4, 1), False, 0),
        (UNHCR, "Shelter", d(2021, 1, 1), True, 2),
        (UNHCR, "Shelter", d(2021, 2, 1), False, 0),
        (UNHCR, "Shelter", d(2021, 3, 1), True, 1),
        (UNHCR, "Shelter", d(2021, 4, 1), True, 1),
    ]
    assert counts == [(4, 3)]
    assert shares == {UNHCR: 0.75, OTHER_ORG: 0.5}    # 3 of 4; Shelter 1 of 3 + Health 1 of 1 = 2 of 4

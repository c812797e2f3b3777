"""marts.cycle_outputs and marts.cycle_trafficking_pillars: a hand-built fixture (every expected value
worked out in the comments) and the real 2021 export (expected values recomputed with openpyxl)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb
import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.marts.cycle_outputs import (
    build_cycle_outputs,
    build_cycle_trafficking_pillars,
    check_pillars,
    trafficking_pillars,
)
from rmrp_pipeline.marts.people_reached import (
    build_cycle_people_reached,
    build_people_reached,
    check_models,
)
from rmrp_pipeline.warehouse import db as warehouse
from tests.conftest import INDICATORS_2021, stage_5w_rows

HTS = "Protection (Human Trafficking and Smuggling)"   # the 2021 export writes "&", the warehouse the canonical name
BREAKDOWN = ("in_destination", "in_transit", "host_community", "pendular", "returnees", "girls", "boys", "women", "men",
             "other_under_18", "other_above_18")


def _row(month, code, kind, subsector=HTS, total=None, quantity=None, new=None, reached=False, country="Colombia"):
    iso3 = {"Colombia": "COL", "Peru": "PER"}[country]
    row = {"country": country, "country_iso3": iso3, "platform": country, "admin1": "Bogotá" if iso3 == "COL" else "Lima",
           "month": month, "subsector": subsector, "indicator": f"indicator {code}", "indicator_code": code,
           "indicator_type": kind, "counts_as_reached": reached, "cva": False, "total_monthly": total,
           "quantity_output": quantity, "new_beneficiaries": new}
    row.update({k: 0.0 for k in BREAKDOWN})
    if new:
        row.update(in_destination=float(new), women=float(new))
    return row


D = dt.date
FIXTURE = [
    # 2023: RE-PRHT1 = training (prevention), RE-PRHT2 = mechanisms (partnership), RE-PRHT3 = Direct Assistance (protection)
    _row(D(2023, 1, 1), "RE-PRHT1", "Capacity Building", total=10),
    _row(D(2023, 2, 1), "RE-PRHT1", "Capacity Building", total=5),
    _row(D(2023, 7, 1), "RE-PRHT1", "Capacity Building", total=100),          # H2 only
    _row(D(2023, 3, 1), "RE-PRHT2", "Mechanism/Advocacy", quantity=2),
    _row(D(2023, 1, 1), "RE-PRHT3", "Direct Assistance", total=8, new=6, reached=True),
    _row(D(2023, 2, 1), "RE-PRHT3", "Direct Assistance", total=4, new=3, reached=True),
    _row(D(2023, 2, 1), "RE-PRHT9", "Other", quantity=1),                      # a trafficking code not in the list
    _row(D(2023, 1, 1), "RE-SH9", "Infrastructure", subsector="Shelter", quantity=4),
    # 2021: the same code RE-PRHT3 means institutional mechanisms (partnership), type Other
    _row(D(2021, 3, 1), "RE-PRHT3", "Other", total=0, quantity=1, country="Peru"),
]


def _build(rows, cycles):
    con = duckdb.connect()
    stage_5w_rows(con, rows)
    warehouse.create_table(con, "marts.fct_planning_figures")
    no_models = check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"]))
    for cycle in cycles:
        build_people_reached(con, cycle, no_models)
        build_cycle_people_reached(con, cycle)
        build_cycle_outputs(con, cycle)
        build_cycle_outputs(con, cycle)          # a re-run rewrites the cycle's rows
        build_cycle_trafficking_pillars(con, cycle)
        build_cycle_trafficking_pillars(con, cycle)
    return con


def test_outputs_and_pillars_on_a_fixture():
    con = _build(FIXTURE, ["2023-H1", "2023-H2", "2021-H1"])
    outputs = con.execute(
        "SELECT cycle, country, subsector, indicator_code, reported_unit, reported_value, persons_trained_or_reached, "
        "quantity_output, report_rows, months_with_reports, pillar FROM marts.cycle_outputs ORDER BY cycle, indicator_code"
    ).fetchall()
    assert outputs == [
        # 2021: RE-PRHT3 is a mechanism indicator (type Other): 1 output, partnership
        ("2021-H1", "Peru", HTS, "RE-PRHT3", "outputs", 1, 0, 1, 1, 1, "partnership"),
        # January-June 2023: trained 10 + 5 = 15 over 2 months (July's 100 left out); mechanisms 2
        ("2023-H1", "Colombia", HTS, "RE-PRHT1", "persons", 15, 15, None, 2, 2, "prevention"),
        ("2023-H1", "Colombia", HTS, "RE-PRHT2", "outputs", 2, None, 2, 1, 1, "partnership"),
        ("2023-H1", "Colombia", HTS, "RE-PRHT9", "outputs", 1, None, 1, 1, 1, "unmapped"),
        ("2023-H1", "Colombia", "Shelter", "RE-SH9", "outputs", 4, None, 4, 1, 1, None),   # no pillar outside HTS
        # January-December 2023: 10 + 5 + 100 = 115 over 3 months
        ("2023-H2", "Colombia", HTS, "RE-PRHT1", "persons", 115, 115, None, 3, 3, "prevention"),
        ("2023-H2", "Colombia", HTS, "RE-PRHT2", "outputs", 2, None, 2, 1, 1, "partnership"),
        ("2023-H2", "Colombia", HTS, "RE-PRHT9", "outputs", 1, None, 1, 1, 1, "unmapped"),
        ("2023-H2", "Colombia", "Shelter", "RE-SH9", "outputs", 4, None, 4, 1, 1, None),
    ]
    # RE-PRHT3 (Direct Assistance) counts as reached: never an output
    assert con.execute("SELECT count(*) FROM marts.cycle_outputs WHERE cycle LIKE '2023%' AND indicator_code = 'RE-PRHT3'").fetchone()[0] == 0

    pillars = con.execute(
        "SELECT pillar, output_indicator_codes, persons_trained_or_reached, quantity_output, people_reached, "
        "people_reached_indicator_codes FROM marts.cycle_trafficking_pillars WHERE cycle = '2023-H1' ORDER BY pillar"
    ).fetchall()
    assert pillars == [
        ("partnership", "RE-PRHT2", None, 2, None, None),
        ("prevention", "RE-PRHT1", 15, None, None, None),
        # people reached: new beneficiaries 6 (January) + 3 (February) = 9, consolidated at February
        ("protection", None, None, None, 9, "RE-PRHT3"),
        ("unmapped", "RE-PRHT9", None, 1, None, None),
    ]
    assert con.execute("SELECT country, pillar, quantity_output, people_reached FROM marts.cycle_trafficking_pillars "
                       "WHERE cycle = '2021-H1'").fetchall() == [("Peru", "partnership", 1, None)]


def test_the_pillar_list():
    frame = trafficking_pillars()
    key = dict(zip(zip(frame["cycle_year"], frame["indicator_code"]), frame["pillar"]))
    assert key[(2021, "RE-PRHT1")] == "protection" and key[(2023, "RE-PRHT1")] == "prevention"
    assert key[(2021, "RE-PRHT3")] == "partnership" and key[(2024, "RE-PRHT3")] == "protection"
    assert key[(2021, "RE-PRHT2_PER")] == "prevention" and key[(2024, "RE-PRHT2")] == "partnership"
    with pytest.raises(ValueError, match="unknown trafficking pillar"):
        check_pillars(pd.DataFrame([{"cycle_year": 2021, "indicator_code": "X", "pillar": "policy", "source_note": ""}]))
    with pytest.raises(ValueError, match="given twice"):
        check_pillars(pd.DataFrame([{"cycle_year": 2021, "indicator_code": "X", "pillar": "protection", "source_note": ""}] * 2))


def _expected_2021_h1(code: str, export_rows: tuple[tuple, ...]) -> dict[str, tuple[float, float, int]]:
    """(Σ total monthly, Σ quantity, months) per country of the 2021 indicator ``code`` in January-June,
    read straight from the export (``export_rows``) and the registry with openpyxl."""
    registry = openpyxl.load_workbook(INDICATORS_2021, read_only=True).worksheets[0]
    text = {r[0]: r[2] for r in registry.iter_rows(min_row=2, values_only=True)}[code]
    rows = iter(export_rows)
    header = next(rows)
    at = {name: i for i, name in enumerate(header)}
    sums = defaultdict(lambda: [0.0, 0.0, set()])
    for r in rows:
        if r[at["Indicator"]] == text and str(r[at["Reporting.Month"]]) < "2021-07":
            s = sums[r[at["Country"]]]
            s[0] += r[at["Total.monthly.beneficiaries"]] or 0
            s[1] += r[at["Quantity.of.unit.measured"]] or 0
            s[2].add(r[at["Reporting.Month"]])
    return {country: (s[0], s[1], len(s[2])) for country, s in sums.items()}


def test_hts_capacity_building_2021_on_the_real_export(wh, export_2021_rows):
    expected = _expected_2021_h1("RE-PRHT2", export_2021_rows)
    assert expected["Colombia"] == (614, 151, 5)   # as computed by the openpyxl loop on the bundled export
    got = {c: (t, q, m) for c, t, q, m in wh.execute(
        "SELECT country, persons_trained_or_reached, quantity_output, months_with_reports FROM marts.cycle_outputs "
        "WHERE cycle = '2021-H1' AND indicator_code = 'RE-PRHT2'").fetchall()}
    assert got == expected
    assert {p for (p,) in wh.execute("SELECT DISTINCT pillar FROM marts.cycle_outputs WHERE cycle = '2021-H1' "
                                     "AND indicator_code = 'RE-PRHT2'").fetchall()} == {"prevention"}
    # Colombia by pillar: prevention = the trainings, partnership = RE-PRHT3's mechanisms, protection = people reached
    rows = {p: (c, t, q, r) for p, c, t, q, r in wh.execute(
        "SELECT pillar, output_indicator_codes, persons_trained_or_reached, quantity_output, people_reached "
        "FROM marts.cycle_trafficking_pillars WHERE cycle = '2021-H1' AND country = 'Colombia'").fetchall()}
    assert rows["prevention"] == ("RE-PRHT2", 614, 151, None)
    assert rows["partnership"][0] == "RE-PRHT3"
    reached = wh.execute("SELECT consolidated_total FROM marts.cycle_people_reached WHERE cycle = '2021-H1' "
                         "AND level = 'country' AND country = 'Colombia' AND subsector = ?", [HTS]).fetchone()[0]
    assert rows["protection"] == (None, None, None, reached) and reached > 0
    # no output table row counts as reached, and every 2021-H1 non-reached row is in exactly one output row
    assert wh.execute("SELECT sum(report_rows) FROM marts.cycle_outputs WHERE cycle = '2021-H1'").fetchone()[0] == wh.execute(
        "SELECT count(*) FROM marts.fct_activities WHERE NOT counts_as_reached AND month < DATE '2021-07-01' "
        "AND month >= DATE '2021-01-01'").fetchone()[0]

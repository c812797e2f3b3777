"""Intersector models that split population types by age/gender shares (maxsector with proportions,
the southern cone models), the 2021 whole-row maxsector, and R4V's own Argentina output reproduced.

Every expected value of the small fixtures is worked out by hand in the comments (shares chosen so
that R's round(), half to even, matters: 2.5 -> 2, 1.5 -> 2). The Argentina test compares with
R4V's published consolidation of January-February 2022, not with a value computed here."""

from __future__ import annotations

import csv
import datetime as dt

import duckdb
import pandas as pd
import pytest

from rmrp_pipeline.marts.people_reached import build_people_reached, check_models
from rmrp_pipeline.reports.r4v_layout import R4V_COLUMNS
from rmrp_pipeline.warehouse import db as warehouse
from tests.conftest import ROOT, stage_5w_rows
from tests.sql.test_people_reached import FEB, FIXTURE, JAN, _get, _row

ARGENTINA_OUTPUT = ROOT / "tests" / "fixtures" / "r4v" / "r4v_consolidated_output_example_argentina_2022-01_02.csv"
AGD4 = ("girls", "boys", "women", "men")


def _shares(admin1, sector, **by_population_type):
    """A row of staging.ref_planning_proportions: Argentina, pin 2022; ``in_destination=(g, b, w, m)``."""
    row = {"source_file": "p.xlsx", "source_sheet": "pinproportions", "source_row": 2, "template_id": "proportions_2022",
           "plan_year": 2022, "basis": "pin", "country": "Argentina", "country_iso3": "ARG", "admin1": admin1,
           "sector": sector, "is_rejected": False}
    for population_type, values in by_population_type.items():
        row.update({f"{population_type}_{a}": v for a, v in zip(AGD4, values)})
    return row


SHARES = [
    _shares("Buenos Aires", "Shelter", in_destination=(0.25, 0.25, 0.30, 0.20), in_transit=(0.5, 0, 0.5, 0),
            host_community=(0.25, 0.25, 0.25, 0.25)),
    _shares("Buenos Aires", "Health", in_destination=(0.1, 0.1, 0.4, 0.4), host_community=(0.25, 0.25, 0.25, 0.25)),
    _shares("Buenos Aires", "Protection (General)", in_destination=(0, 0, 0.5, 0.5)),
    # Nutrition has no Buenos Aires row: the Argentina Country level row is used
    _shares("Country level", "Nutrition", in_destination=(0.5, 0.5, 0, 0)),
    # Salta Food Security has no shares at all
]


def _build(rows, model, shares=SHARES, proportions="pin"):
    con = duckdb.connect()
    stage_5w_rows(con, rows)
    warehouse.create_table(con, "staging.ref_planning_proportions")
    warehouse.insert_frame(con, "staging.ref_planning_proportions", pd.DataFrame(shares))
    models = pd.DataFrame([{"platform": "Southern Cone", "year_from": 2022, "year_to": 2022, "model": model,
                            "proportions": proportions, "proportions_year": 2022 if proportions else None}])
    build_people_reached(con, "2022-H1", models)
    return con


COLUMNS = ("consolidated_total, consolidated_in_destination, consolidated_in_transit, consolidated_host_community, "
           "consolidated_girls, consolidated_boys, consolidated_women, consolidated_men, consolidated_other_under_18, "
           "consolidated_cva")


def test_maxsector_with_pin_proportions():
    con = _build(FIXTURE, "maxsector")
    # Buenos Aires, January. Cells (persons x share, rounded half to even):
    #   Shelter dest 6 -> 1.5, 1.5, 1.8, 1.2 -> 2, 2, 2, 1; transit 2 -> 1, 0, 1, 0
    #   Health  dest 4 -> 0.4, 0.4, 1.6, 1.6 -> 0, 0, 2, 2; host 8 -> 2, 2, 2, 2
    #   Protection (General) dest 5 -> 0, 0, 2.5, 2.5 -> 0, 0, 2, 2 (half to even)
    #   Nutrition dest 3 (Country level shares) -> 1.5, 1.5, 0, 0 -> 2, 2, 0, 0
    # Max per cell: dest 2, 2, 2, 2 = 8; transit 1, 0, 1, 0 = 2; host 2, 2, 2, 2 = 8 -> 18
    # girls 2+1+2 = 5, boys 2+0+2 = 4, women 2+1+2 = 5, men 2+0+2 = 4; Other 0; CVA max (Health) 12
    assert _get(con, "admin1", "Intersector", JAN, COLUMNS, admin1="Buenos Aires") == (18, 8, 2, 8, 5, 4, 5, 4, 0, 12)
    assert _get(con, "admin1", "Intersector", JAN, "intersector_model, intersector_proportions, "
                "intersector_subsectors_without_proportions, monthly_total", admin1="Buenos Aires") == (
        "maxsector", "pin 2022", None, 38)
    # February: Shelter dest 1 -> 0.25, 0.25, 0.3, 0.2 -> 0 (lost to rounding, as in R4V's script);
    # transit 3 -> 1.5, 0, 1.5, 0 -> 2, 0, 2, 0 = 4; cumulated 18 + 4 = 22
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 22
    # Salta Food Security has no shares: left out of the max and said so; CVA 9 stays (max)
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_cva, "
                "intersector_subsectors_without_proportions", admin1="Salta") == (0, 9, "Food Security")
    # the country row sums its admin1 rows and carries the warning up
    assert _get(con, "country", "Intersector", JAN, "consolidated_total, intersector_subsectors_without_proportions",
                country="Argentina") == (18, "Food Security")
    # subsector rows are untouched by the model
    assert _get(con, "admin1", "Shelter", JAN, admin1="Buenos Aires") == 8


def test_southern_cone_model_2023():
    con = _build(FIXTURE, "southernconemodel")
    # Buenos Aires, January: max group {Shelter} cells: dest 2, 2, 2, 1 = 7, transit 1, 0, 1, 0 = 2 -> 9;
    # + Protection (General) as reported 5 (dest 5, women 5); + Σ{Health} 12 (dest 4, host 8, 2/2/4/4);
    # Nutrition is in no group: left out. Total 26; dest 7+5+4 = 16, transit 2, host 8;
    # girls 3+0+2 = 5, boys 2+0+2 = 4, women 3+5+4 = 12, men 1+0+4 = 5; CVA 0 + 0 + 12
    assert _get(con, "admin1", "Intersector", JAN, COLUMNS, admin1="Buenos Aires") == (26, 16, 2, 8, 5, 4, 12, 5, 0, 12)
    # February: Shelter transit 3 -> 4 (dest 1 rounds to 0): 30
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 30
    # Salta: Food Security is in the max group but has no shares: 0, listed; CVA max 9
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_cva, "
                "intersector_subsectors_without_proportions", admin1="Salta") == (0, 9, "Food Security")


def test_southern_cone_model_2022_adds_the_max_group_again():
    con = _build(FIXTURE, "southernconemodel_2022")
    # Buenos Aires, January: max group {Shelter} 9 + Protection (General) 5 + Σ{MPC, Humanitarian
    # Transportation, WASH, Food Security} = nothing here; Health is left out: 14
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_host_community, consolidated_cva",
                admin1="Buenos Aires") == (14, 0, 0)
    # Salta: Food Security 0 in the max group (no shares) + 9 added as reported; CVA 9 + 9 = 18 > 9
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_cva, check_cva_not_above_total",
                admin1="Salta") == (9, 18, False)


def test_maxsector_2021_takes_the_whole_row_of_the_largest_subsector():
    con = _build(FIXTURE, "maxsector_2021", shares=[], proportions=None)
    # Buenos Aires, January: new Shelter 8, Health 12, Protection (General) 5, Nutrition 3 -> Health's row
    assert _get(con, "admin1", "Intersector", JAN, COLUMNS, admin1="Buenos Aires") == (12, 4, 0, 8, 2, 2, 4, 4, 0, 12)
    # February: only Shelter has new people (4): 12 + 4 = 16
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 16
    # a tie goes to the first subsector by name, as R's which.max over sorted groups
    tie = [_row("Uruguay", "URY", "Southern Cone", "Rocha", JAN, "Health", 5, 5, in_destination=5, women=5),
           _row("Uruguay", "URY", "Southern Cone", "Rocha", JAN, "Education", 5, 5, in_destination=5, girls=5)]
    con = _build(tie, "maxsector_2021", shares=[], proportions=None)
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_girls, consolidated_women",
                admin1="Rocha") == (5, 5, 0)


def test_the_configuration_says_which_models_need_proportions():
    def config(model, proportions=None, year=None):
        return pd.DataFrame([{"platform": "Peru", "year_from": 2022, "year_to": None, "model": model,
                              "proportions": proportions, "proportions_year": year}])
    with pytest.raises(ValueError, match="needs proportions"):
        check_models(config("southernconemodel"))
    with pytest.raises(ValueError, match="does not use proportions"):
        check_models(config("sum", "pin", 2022))
    with pytest.raises(ValueError, match="need proportions_year"):
        check_models(config("maxsector", "pin"))
    with pytest.raises(ValueError, match="unknown proportions"):
        check_models(config("maxsector", "people", 2022))
    assert check_models(config("maxsector", "target", 2022))["proportions"].tolist() == ["target"]


def test_the_shipped_configuration_is_southern_cones_as_r4v_published_it():
    """2021 sum (the 2021 conosurmodel cannot run), 2022 the script behind R4V's Argentina output,
    from 2023 the corrected formula, both with the RMRP 2022 PiN proportions; no other platform."""
    from rmrp_pipeline.marts.people_reached import intersector_models
    models = intersector_models().astype(object).where(lambda f: f.notna(), None)
    assert models.values.tolist() == [
        ["Southern Cone", 2021, 2021, "sum", None, None],
        ["Southern Cone", 2022, 2022, "southernconemodel_2022", "pin", 2022],
        ["Southern Cone", 2023, None, "southernconemodel", "pin", 2022],
    ]


# ----- R4V's own output --------------------------------------------------------------------------

def _argentina_output() -> list[dict]:
    with ARGENTINA_OUTPUT.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _activities_from(output: list[dict]) -> list[dict]:
    """5W rows whose sector sums are the output's sector rows: per admin1, month and subsector, one
    CVA row (its CVA figures) and one other row (the rest, with every breakdown); the output's
    consolidated columns are cumulated from January, so a month's new people are the difference."""
    breakdown = {"in_destination": "Consolidated In Destination", "in_transit": "Consolidated In Transit",
                 "host_community": "Consolidated Host Communities", "pendular": "Consolidated Pendular",
                 "returnees": "Consolidated Returnees", "girls": "Consolidated Girls", "boys": "Consolidated Boys",
                 "women": "Consolidated Women", "men": "Consolidated Men",
                 "other_under_18": "Consolidated Other under 18", "other_above_18": "Consolidated Other above 18"}
    rows, before = [], {}
    for r in output:
        if r["Subsector"] == "Intersector" or r["Admin1"] == "Country level":
            continue
        key = (r["Admin1"], r["Subsector"])
        cumulated = {c: float(r[c]) for c in ["Consolidated Total", "Consolidated CVA Beneficiaries", *breakdown.values()]}
        new = {c: v - before.get(key, {}).get(c, 0.0) for c, v in cumulated.items()}
        before[key] = cumulated
        month = dt.date(int(r["Month"][:4]), int(r["Month"][5:]), 1)
        total, cva_total = float(r["Monthly Total Beneficiaries"]), float(r["Monthly CVA Beneficiaries"])
        if not (total or new["Consolidated Total"]):
            continue
        rows.append(_row("Argentina", "ARG", "Southern Cone", r["Admin1"], month, r["Subsector"],
                         cva_total, new["Consolidated CVA Beneficiaries"], True))
        rows.append(_row("Argentina", "ARG", "Southern Cone", r["Admin1"], month, r["Subsector"],
                         total - cva_total, new["Consolidated Total"] - new["Consolidated CVA Beneficiaries"], False,
                         **{k: new[c] for k, c in breakdown.items()}))
    return rows


def test_southern_cone_model_2022_reproduces_r4v_argentina_output(built_warehouse):
    """Every Intersector row (admin1 and Country level, January and February 2022) of R4V's own
    consolidated output for Argentina, in every column, from its sector rows and the real RMRP 2022
    PiN proportions (the pipeline's staging of the bundled Proportions.xlsx)."""
    output = _argentina_output()
    with duckdb.connect(str(built_warehouse[0]), read_only=True) as real:
        shares = real.execute("SELECT * FROM staging.ref_planning_proportions WHERE country_iso3 = 'ARG'").df()
    assert len(shares) > 0
    con = _build(_activities_from(output), "southernconemodel_2022", shares=shares.to_dict("records"))
    # every figure column of R4V's report (the export test holds the names to R4V's header)
    columns = {ours: theirs for theirs, ours in R4V_COLUMNS.items() if ours.startswith(("monthly_", "consolidated_"))}
    assert len(columns) == 15
    published = {(r["Admin1"], r["Month"]): r for r in output if r["Subsector"] == "Intersector"}
    ours = con.execute(
        f"SELECT admin1, strftime(month, '%Y-%m'), {', '.join(columns)} FROM marts.people_reached_monthly "
        "WHERE subsector = 'Intersector' AND level IN ('admin1', 'country') ORDER BY ALL").fetchall()
    for admin1, month, *values in ours:
        r = published[(admin1, month)]
        assert dict(zip(columns, values)) == {k: float(r[c]) for k, c in columns.items()}, (admin1, month)
    # R4V's output has 50 Intersector rows (25 places x 2 months); every one with people is ours too
    with_people = {k for k, r in published.items() if float(r["Consolidated Total"]) or float(r["Monthly Total Beneficiaries"])}
    assert len(with_people) == 36
    assert with_people <= {(admin1, month) for admin1, month, *_ in ours}


def test_the_subsectors_left_out_are_listed_once_at_every_level():
    rows = [_row("Argentina", "ARG", "Southern Cone", "Salta", JAN, "Food Security", 9, 9, in_destination=9, women=9),
            _row("Argentina", "ARG", "Southern Cone", "Salta", JAN, "WASH", 4, 4, in_destination=4, women=4),
            _row("Argentina", "ARG", "Southern Cone", "Jujuy", JAN, "WASH", 2, 2, in_destination=2, women=2)]
    con = _build(rows, "maxsector")   # no shares for Salta or Jujuy, nor at Country level
    assert _get(con, "admin1", "Intersector", JAN, "intersector_subsectors_without_proportions", admin1="Salta") == "Food Security; WASH"
    for level in ("country", "platform", "regional"):
        assert _get(con, level, "Intersector", JAN, "intersector_subsectors_without_proportions") == "Food Security; WASH"


def test_a_platform_the_reference_list_does_not_know_stops_the_build():
    con = duckdb.connect()
    stage_5w_rows(con, [])
    warehouse.create_table(con, "staging.ref_countries")
    con.execute("INSERT INTO staging.ref_countries BY NAME SELECT 'Southern Cone' AS platform, 'Argentina' AS country, 'ARG' AS iso3")
    models = pd.DataFrame([{"platform": "Cono Sur", "year_from": 2022, "year_to": None, "model": "sum"}])
    with pytest.raises(ValueError, match="not R4V's: \\['Cono Sur'\\]"):
        build_people_reached(con, "2022-H1", models)
    with pytest.raises(ValueError, match="year_to is before year_from"):
        check_models(pd.DataFrame([{"platform": "Peru", "year_from": 2023, "year_to": 2022, "model": "sum"}]))
    with pytest.raises(ValueError, match="without year_from"):
        check_models(pd.DataFrame([{"platform": "Peru", "year_from": None, "year_to": 2022, "model": "sum"}]))

"""People reached on small hand-built 5W fixtures: levels, Intersector models, R4V's checks, the
export in R4V's layout. Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from rmrp_pipeline.marts.people_reached import build_people_reached, check_models
from rmrp_pipeline.warehouse import db as warehouse
from tests.conftest import stage_5w_rows

JAN, FEB = dt.date(2022, 1, 1), dt.date(2022, 2, 1)
BREAKDOWN = ("in_destination", "in_transit", "host_community", "pendular", "returnees", "girls", "boys", "women", "men",
             "other_under_18", "other_above_18")


def _row(country, iso3, platform, admin1, month, subsector, total, new, cva=False, **breakdown):
    row = {"country": country, "country_iso3": iso3, "platform": platform, "admin1": admin1, "month": month,
           "subsector": subsector, "total_monthly": float(total), "new_beneficiaries": float(new), "cva": cva,
           "counts_as_reached": True}
    row.update({k: float(breakdown.get(k, 0)) for k in BREAKDOWN})
    return row


def _ba(month, subsector, total, new, cva=False, **b):
    return _row("Argentina", "ARG", "Southern Cone", "Buenos Aires", month, subsector, total, new, cva, **b)


FIXTURE = [
    # Buenos Aires, January: four subsectors
    _ba(JAN, "Shelter", 10, 8, in_destination=6, in_transit=2, girls=1, boys=1, women=3, men=3),
    _ba(JAN, "Health", 20, 12, True, in_destination=4, host_community=8, girls=2, boys=2, women=4, men=4),
    _ba(JAN, "Protection (General)", 5, 5, in_destination=5, women=5),
    _ba(JAN, "Nutrition", 3, 3, in_destination=3, girls=3),
    # Buenos Aires, February: Shelter only (the other three are carried with monthly total 0)
    _ba(FEB, "Shelter", 7, 4, in_destination=1, in_transit=3, women=2, men=2),
    # Salta, January: Food Security (carried to February)
    _row("Argentina", "ARG", "Southern Cone", "Salta", JAN, "Food Security", 9, 9, True,
         in_destination=9, girls=1, boys=2, women=3, men=3),
    # Panama: a country without admin1 (docs/domain.md §1.1)
    _row("Panama", "PAN", "Central America and Mexico", "Panamá", JAN, "Shelter", 4, 4, in_destination=4, women=4),
    # a row R4V does not count as reached
    {**_ba(JAN, "Shelter", 100, 100, in_destination=100, women=100), "counts_as_reached": False},
]


def _build(rows, model=None, cycle="2022-H1"):
    con = duckdb.connect()
    stage_5w_rows(con, rows)
    models = pd.DataFrame(
        [{"platform": "Southern Cone", "year_from": 2022, "year_to": 2022, "model": model}] if model
        else [], columns=["platform", "year_from", "year_to", "model"])
    build_people_reached(con, cycle, models)
    return con


def _get(con, level, subsector, month, column="consolidated_total", country=None, admin1=None):
    sql = ("SELECT {c} FROM marts.people_reached_monthly WHERE level = ? AND subsector = ? AND month = ?"
           " AND (? IS NULL OR country = ?) AND (? IS NULL OR admin1 = ?)").format(c=column)
    rows = con.execute(sql, [level, subsector, month, country, country, admin1, admin1]).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def test_levels_and_the_sum_model():
    con = _build(FIXTURE)
    # Buenos Aires Intersector, January: new 8 + 12 + 5 + 3 = 28; monthly 10 + 20 + 5 + 3 = 38, CVA 20 (Health)
    assert _get(con, "admin1", "Intersector", JAN, "monthly_total, monthly_cva, consolidated_total, consolidated_cva",
                admin1="Buenos Aires") == (38, 20, 28, 12)
    # February: Shelter 8 + 4 = 12 (monthly 7); Health carried: 12, monthly 0; Intersector 28 + 4 = 32
    assert _get(con, "admin1", "Shelter", FEB, "monthly_total, consolidated_total", admin1="Buenos Aires") == (7, 12)
    assert _get(con, "admin1", "Health", FEB, "monthly_total, consolidated_total", admin1="Buenos Aires") == (0, 12)
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 32
    # Salta Food Security carried to February: 9
    assert _get(con, "admin1", "Food Security", FEB, admin1="Salta") == 9
    # Argentina: January 28 + 9 = 37, February 32 + 9 = 41; the platform is Argentina alone
    assert _get(con, "country", "Intersector", JAN, "admin1, consolidated_total", country="Argentina") == ("Country level", 37)
    assert _get(con, "country", "Intersector", FEB, country="Argentina") == 41
    platforms = con.execute(
        "SELECT platform, country_iso3, country, admin1, consolidated_total FROM marts.people_reached_monthly "
        "WHERE level = 'platform' AND subsector = 'Intersector' AND month = ? ORDER BY platform", [FEB]).fetchall()
    assert platforms == [("Central America and Mexico", None, None, "Platform level", 4),
                         ("Southern Cone", None, None, "Platform level", 41)]
    # Regional: Argentina + Panama (4, carried to February): January 41, February 45; Shelter February 12 + 4 = 16
    assert _get(con, "regional", "Intersector", JAN, "platform, admin1, consolidated_total") == ("Regional", "Regional level", 41)
    assert _get(con, "regional", "Intersector", FEB) == 45
    assert _get(con, "regional", "Shelter", FEB) == 16
    # Panama has only Country level rows
    assert con.execute("SELECT DISTINCT level FROM marts.people_reached_monthly WHERE country = 'Panama'").fetchall() == [("country",)]
    assert _get(con, "country", "Shelter", FEB, "monthly_total, consolidated_total", country="Panama") == (0, 4)
    # model column: sum on Intersector rows, subsector elsewhere
    assert {m for (m,) in con.execute("SELECT DISTINCT intersector_model FROM marts.people_reached_monthly "
                                      "WHERE subsector = 'Intersector'").fetchall()} == {"sum"}
    # breakdowns of the sum model add up (28 = 18 + 2 + 8 = 6 + 3 + 12 + 7): the three checks hold everywhere
    assert con.execute("SELECT count(*) FROM marts.people_reached_monthly WHERE NOT (check_population_type_breakdown "
                       "AND check_age_gender_breakdown AND check_cva_not_above_total)").fetchone()[0] == 0


def test_rerunning_a_cycle_rewrites_its_months():
    con = _build(FIXTURE)
    before = con.execute("SELECT count(*), sum(consolidated_total) FROM marts.people_reached_monthly").fetchone()
    build_people_reached(con, "2022-H1", check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"])))
    assert con.execute("SELECT count(*), sum(consolidated_total) FROM marts.people_reached_monthly").fetchone() == before


def test_maxsector_model():
    con = _build(FIXTURE, "maxsector")
    # Buenos Aires January, max across subsectors per population type: destination max(6, 4, 5, 3) = 6,
    # transit 2, host 8 -> 16; age/gender max: girls max(1, 2, 0, 3) = 3, boys 2, women 5, men 4 -> 14
    row = _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_in_destination, consolidated_girls, "
               "consolidated_women, consolidated_cva, monthly_total, intersector_model", admin1="Buenos Aires")
    assert row == (16, 6, 3, 5, 12, 38, "maxsector")
    assert _get(con, "admin1", "Intersector", JAN, "check_population_type_breakdown, check_age_gender_breakdown",
                admin1="Buenos Aires") == (True, False)   # 16 = 6+2+8; 14 ≠ 16
    # February: only Shelter has new people: destination 1, transit 3 -> 4; cumulated 16 + 4 = 20
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 20
    # Argentina February = Σ admin1 = 20 + Salta 9 = 29; subsector rows unchanged (Shelter 12 + 0)
    assert _get(con, "country", "Intersector", FEB, country="Argentina") == 29
    assert _get(con, "country", "Shelter", FEB, country="Argentina") == 12
    # Panama (another platform) keeps the default sum; the regional row mixes the two models
    assert _get(con, "country", "Intersector", JAN, "intersector_model", country="Panama") == "sum"
    assert _get(con, "regional", "Intersector", FEB, "consolidated_total, intersector_model") == (33, "mixed")


def test_maxagegender_model():
    con = _build(FIXTURE, "maxagegender")
    # Buenos Aires January: girls 3 + boys 2 + women 5 + men 4 = 14; destination max 6; CVA max 12
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_in_destination, consolidated_cva, "
                "check_population_type_breakdown, check_age_gender_breakdown", admin1="Buenos Aires") == (14, 6, 12, False, True)
    # February: Shelter women 2 + men 2 = 4 -> 18; Argentina 18 + Salta 9 = 27
    assert _get(con, "admin1", "Intersector", FEB, admin1="Buenos Aires") == 18
    assert _get(con, "country", "Intersector", FEB, country="Argentina") == 27


def test_checks_flag_breakdowns_that_do_not_add_up_and_cva_above_total():
    rows = [_row("Uruguay", "URY", "Southern Cone", "Montevideo", JAN, "Education", 5, 5, True)]   # no breakdown
    con = _build(rows)
    # total 5, population types 0, age/gender 0, CVA 5 <= 5
    assert _get(con, "admin1", "Education", JAN, "check_population_type_breakdown, check_age_gender_breakdown, "
                "check_cva_not_above_total") == (False, False, True)
    con = _build(rows, "maxsector")
    # maxsector: total = Σ population-type maxima = 0, CVA max = 5 > 0
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total, consolidated_cva, check_cva_not_above_total") == (0, 5, False)


def test_intersector_model_configuration_is_checked():
    with pytest.raises(ValueError, match="unknown intersector model"):
        check_models(pd.DataFrame([{"platform": "Peru", "year_from": 2021, "year_to": None, "model": "average"}]))
    with pytest.raises(ValueError, match="overlap"):
        check_models(pd.DataFrame([{"platform": "Peru", "year_from": 2021, "year_to": 2023, "model": "sum"},
                                   {"platform": "Peru", "year_from": 2023, "year_to": None, "model": "maxsector"}]))


R4V_HEADER = (  # transcribed from R4V's consolidated output (Argentina, January-February 2022)
    "Platform,Country,Admin1,Month,Subsector,Monthly Total Beneficiaries,Monthly CVA Beneficiaries,Consolidated Total,"
    "Consolidated In Destination,Consolidated In Transit,Consolidated Host Communities,Consolidated Pendular,"
    "Consolidated Returnees,Consolidated Girls,Consolidated Boys,Consolidated Women,Consolidated Men,"
    "Consolidated Other under 18,Consolidated Other above 18,Consolidated CVA Beneficiaries,Check PopType Breakdown,"
    "Check AGD Breakdown,Check CVA higher Total"
)


def _fixture_warehouse(path, model=None):
    con = _build(FIXTURE, model)
    con.execute(f"ATTACH '{path}' AS out")
    con.execute("CREATE SCHEMA out.marts")
    con.execute("CREATE TABLE out.marts.people_reached_monthly AS SELECT * FROM marts.people_reached_monthly")
    con.close()


def test_export_people_reached_in_r4v_layout(tmp_path, capsys):
    import csv

    import openpyxl

    from rmrp_pipeline.cli import main

    db = tmp_path / "w.duckdb"
    _fixture_warehouse(db)
    output = tmp_path / "reached.csv"
    assert main(["export", "people-reached", "--cycle", "2022-H1", "--warehouse", str(db), "--output", str(output)]) == 0
    with open(output, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert ",".join(rows[0]) == R4V_HEADER
    by_key = {tuple(r[:5]): r for r in rows[1:]}
    # Buenos Aires Intersector January: monthly 38, CVA 20; consolidated 28 = 18 + 2 + 8 (population types)
    # = 6 + 3 + 12 + 7 (girls, boys, women, men); CVA 12
    assert by_key[("Southern Cone", "Argentina", "Buenos Aires", "2022-01", "Intersector")][5:] == [
        "38", "20", "28", "18", "2", "8", "0", "0", "6", "3", "12", "7", "0", "0", "12", "Ok", "Ok", "ok"]
    assert by_key[("Southern Cone", "Argentina", "Country level", "2022-02", "Intersector")][7] == "41"
    assert by_key[("Southern Cone", "", "Platform level", "2022-02", "Intersector")][7] == "41"
    assert by_key[("Regional", "Regional", "Regional level", "2022-02", "Intersector")][7] == "45"
    assert ("Central America and Mexico", "Panama", "Panamá", "2022-01", "Shelter") not in by_key
    assert by_key[("Central America and Mexico", "Panama", "Country level", "2022-01", "Shelter")][7] == "4"
    # R4V's order: per country the admin1 rows, then Country level; Regional at the end
    assert [r[2] for r in rows[1:] if r[1] == "Argentina"][-1] == "Country level"
    assert rows[-1][:5] == ["Regional", "Regional", "Regional level", "2022-02", "Intersector"]
    # a workbook when the output ends in .xlsx
    book = tmp_path / "reached.xlsx"
    assert main(["export", "people-reached", "--cycle", "2022-H1", "--warehouse", str(db), "--output", str(book)]) == 0
    sheet = openpyxl.load_workbook(book).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert ",".join(values[0]) == R4V_HEADER and len(values) == len(rows)
    # numbers for people: thousands separated, with filters on the header
    assert sheet.cell(row=2, column=8).number_format == "#,##0" and sheet.auto_filter.ref
    # an output that is neither .csv nor .xlsx is refused rather than written as CSV under another name
    assert main(["export", "people-reached", "--cycle", "2022-H1", "--warehouse", str(db), "--output", str(tmp_path / "x.txt")]) == 2
    # a cycle without data is an error, not an empty file
    assert main(["export", "people-reached", "--cycle", "2021-H1", "--warehouse", str(db), "--output", str(tmp_path / "x.csv")]) == 1


def _planning(con, rows):
    warehouse.create_table(con, "marts.fct_planning_figures")
    base = {"plan_year": 2022, "population_type": "all", "age_gender": "all", "country_iso3": None, "admin1": None,
            "platform": "Southern Cone"}
    warehouse.insert_frame(con, "marts.fct_planning_figures", pd.DataFrame([{**base, **r} for r in rows]))


def test_cycle_people_reached_with_targets_and_pin():
    from rmrp_pipeline.marts.people_reached import build_cycle_people_reached

    con = _build(FIXTURE)
    _planning(con, [
        {"level": "country", "country_iso3": "ARG", "sector": "Intersector", "measure": "people_targeted", "value": 80.0, "source_kind": "pin_target_table"},
        {"level": "country", "country_iso3": "ARG", "sector": "Intersector", "measure": "people_in_need", "value": 200.0, "source_kind": "pin_target_table"},
        {"level": "admin1", "country_iso3": "ARG", "admin1": "Buenos Aires", "sector": "Shelter", "measure": "people_targeted", "value": 24.0, "source_kind": "pin_target_table"},
        # an organisation's submission is not the sector's target
        {"level": "admin1", "country_iso3": "ARG", "admin1": "Buenos Aires", "sector": "Health", "measure": "people_targeted", "value": 6.0, "source_kind": "submission"},
        {"level": "platform", "sector": "Intersector", "measure": "people_targeted", "value": 100.0, "source_kind": "published"},
        {"level": "platform", "sector": "Intersector", "measure": "people_in_need", "value": 400.0, "source_kind": "published"},
        {"level": "country", "country_iso3": "ARG", "sector": "Intersector", "measure": "people_targeted", "value": 999.0, "source_kind": "pin_target_table", "plan_year": 2023},
    ])
    build_cycle_people_reached(con, "2022-H1")
    build_cycle_people_reached(con, "2022-H1")   # a re-run rewrites the cycle's rows

    def get(level, subsector, place=None):
        rows = con.execute(
            "SELECT consolidated_total, people_targeted, people_in_need, share_of_target, share_of_pin, last_month_with_data, "
            "months_with_reports, is_complete, cycle_end_month FROM marts.cycle_people_reached "
            "WHERE cycle = '2022-H1' AND level = ? AND subsector = ? AND (? IS NULL OR admin1 = ? OR country = ? OR platform = ?)",
            [level, subsector, place, place, place, place]).fetchall()
        assert len(rows) == 1, rows
        return rows[0]

    # Argentina Intersector at February (the last month with data): 41; 41 / 80 = 0.5125, 41 / 200 = 0.205;
    # reports in January and February only: 2 months, the mid-year cycle (to June) is incomplete
    assert get("country", "Intersector", "Argentina") == (
        41, 80, 200, pytest.approx(0.5125), pytest.approx(0.205), JAN.replace(month=2), 2, False, dt.date(2022, 6, 1))
    assert get("admin1", "Shelter", "Buenos Aires")[:5] == (12, 24, None, pytest.approx(0.5), None)
    assert get("admin1", "Health", "Buenos Aires")[:5] == (12, None, None, None, None)
    assert get("platform", "Intersector", "Southern Cone")[:5] == (41, 100, 400, pytest.approx(0.41), pytest.approx(0.1025))
    assert get("regional", "Intersector")[:2] == (45, None)
    assert con.execute("SELECT count(*) FROM marts.cycle_people_reached WHERE cycle = '2022-H1' AND level = 'country' "
                       "AND subsector = 'Intersector'").fetchone()[0] == 2   # Argentina, Panama


def test_cycle_is_complete_only_when_its_data_reaches_june_or_december():
    from rmrp_pipeline.marts.people_reached import build_cycle_people_reached

    june = [_row("Uruguay", "URY", "Southern Cone", "Montevideo", dt.date(2022, 6, 1), "Education", 5, 5,
                 in_destination=5, women=5)]
    con = _build(june)
    _planning(con, [])
    build_cycle_people_reached(con, "2022-H1")
    build_people_reached(con, "2022-H2", check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"])))
    build_cycle_people_reached(con, "2022-H2")
    rows = con.execute("SELECT cycle, is_complete, months_with_reports, cycle_end_month, consolidated_total "
                       "FROM marts.cycle_people_reached WHERE level = 'country' AND subsector = 'Education' ORDER BY cycle").fetchall()
    assert rows == [("2022-H1", True, 1, dt.date(2022, 6, 1), 5), ("2022-H2", False, 1, dt.date(2022, 12, 1), 5)]


def test_only_rmrp_activities_counts_the_rows_marked_yes():
    rows = [{**_row("Uruguay", "URY", "Southern Cone", "Rocha", JAN, "Health", 5, 4, in_destination=4, women=4), "rmrp_activity": True},
            {**_row("Uruguay", "URY", "Southern Cone", "Rocha", JAN, "Health", 3, 2, in_destination=2, men=2), "rmrp_activity": False},
            _row("Uruguay", "URY", "Southern Cone", "Rocha", JAN, "Health", 9, 9, in_destination=9, men=9)]   # not stated
    every = _build(rows)
    assert _get(every, "admin1", "Health", JAN, "monthly_total, consolidated_total, only_rmrp_activities", admin1="Rocha") == (17, 15, False)
    con = duckdb.connect()
    stage_5w_rows(con, rows)
    build_people_reached(con, "2022-H1", check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"])),
                         only_rmrp_activities=True)
    # only the row marked Yes: a row that does not say is not an RMRP activity
    assert _get(con, "admin1", "Health", JAN, "monthly_total, consolidated_total, only_rmrp_activities", admin1="Rocha") == (5, 4, True)


def test_both_cycles_of_a_year_write_the_same_rows_and_rebuilding_h1_keeps_h2s_months():
    rows = FIXTURE + [_ba(dt.date(2022, 8, 1), "Shelter", 2, 2, in_destination=2, women=2)]
    con = _build(rows, cycle="2022-H2")
    after_h2 = con.execute("SELECT * FROM marts.people_reached_monthly ORDER BY ALL").fetchall()
    # H2 runs January to August (the last month with data): Buenos Aires Shelter is carried from
    # February (12) to July and reaches 14 in August
    assert _get(con, "admin1", "Shelter", dt.date(2022, 6, 1), admin1="Buenos Aires") == 12
    assert _get(con, "admin1", "Shelter", dt.date(2022, 8, 1), admin1="Buenos Aires") == 14
    build_people_reached(con, "2022-H1", check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"])))
    assert con.execute("SELECT * FROM marts.people_reached_monthly ORDER BY ALL").fetchall() == after_h2


def test_a_build_on_activities_of_another_version_stops_and_keeps_the_table():
    con = _build(FIXTURE)
    before = con.execute("SELECT count(*) FROM marts.people_reached_monthly").fetchone()[0]
    # a warehouse loaded by another version of the pipeline, whose activities had no sector
    con.execute("CREATE OR REPLACE VIEW marts.fct_activities AS SELECT * EXCLUDE (is_rejected, sector) "
                "FROM staging.stg_5w__activities")
    with pytest.raises(warehouse.StaleTableError, match="run the ingest first"):
        build_people_reached(con, "2022-H1", check_models(pd.DataFrame(columns=["platform", "year_from", "year_to", "model"])))
    assert con.execute("SELECT count(*) FROM marts.people_reached_monthly").fetchone()[0] == before


def test_cycles_no_longer_in_the_data_lose_their_rows():
    from rmrp_pipeline.marts.builds import drop_cycles_without_data
    from rmrp_pipeline.marts.people_reached import build_cycle_people_reached

    con = _build(FIXTURE)
    warehouse.create_table(con, "marts.fct_planning_figures")
    build_cycle_people_reached(con, "2022-H1")
    assert con.execute("SELECT count(*) FROM marts.cycle_people_reached").fetchone()[0] > 0
    assert drop_cycles_without_data(con, ["2022-H1"]) == 0
    deleted = drop_cycles_without_data(con, ["2023-H1"])   # the 2022 rows are gone from the 5W
    assert deleted > 0
    assert con.execute("SELECT count(*) FROM marts.people_reached_monthly").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM marts.cycle_people_reached").fetchone()[0] == 0


def test_one_admin1_written_several_ways_is_one_series():
    """The admin1 list's spelling where the 5W name is in it (admin1_listed, from staging); other
    names by their case- and accent-free key: Mendoza + MENDOZA and Córdoba + Cordoba are one
    admin1 each, so a max model does not count them twice (max(10, 10) per admin1, not 10 + 10)."""
    def arg(admin1, subsector, new, listed=None):
        return {**_row("Argentina", "ARG", "Southern Cone", admin1, JAN, subsector, new, new, in_destination=new, women=new),
                "admin1_listed": listed}
    rows = [arg("Mendoza", "Shelter", 10), arg("MENDOZA ", "WASH", 10),
            arg("Cordoba", "Shelter", 10, listed="Córdoba"), arg("CORDOBA", "WASH", 10, listed="Córdoba"),
            arg("Cordoba", "Health", 3)]   # a row whose admin1 the list did not match (another year's list)
    con = _build(rows, "maxagegender")
    admin1 = [a for (a,) in con.execute("SELECT DISTINCT admin1 FROM marts.people_reached_monthly WHERE level = 'admin1' ORDER BY 1").fetchall()]
    # the unlisted Cordoba row joins the listed Córdoba; Mendoza is named by its first spelling in order
    assert admin1 == ["Córdoba", "MENDOZA"]
    # Córdoba: Shelter 10 and WASH 10 -> women max 10; Mendoza the same; Argentina 10 + 10
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total", admin1="MENDOZA") == 10
    assert _get(con, "admin1", "Intersector", JAN, "consolidated_total", admin1="Córdoba") == 10
    assert _get(con, "admin1", "Health", JAN, "consolidated_total", admin1="Córdoba") == 3
    assert _get(con, "country", "Intersector", JAN, "consolidated_total", country="Argentina") == 20


def test_a_run_over_both_cycles_of_a_year_rewrites_the_year_once(monkeypatch):
    from rmrp_pipeline.marts import builds, freeze, registry

    rows = FIXTURE + [_ba(dt.date(2022, 8, 1), "Shelter", 2, 2, in_destination=2, women=2)]
    monthly, calls = registry.table("marts.people_reached_monthly"), []
    real = builds.cycle_build(monthly)

    def loaded():
        connection = duckdb.connect()
        stage_5w_rows(connection, rows)
        return connection

    alone = loaded()
    real(alone, "2022-H2")
    end_year_alone = alone.execute("SELECT * FROM marts.people_reached_monthly ORDER BY ALL").fetchall()
    assert len(end_year_alone) > 30
    con = loaded()

    def build(connection, cycle):
        calls.append(cycle)
        return real(connection, cycle)

    wheres = builds.build_cycles(con, monthly, ["2022-H1", "2022-H2"], build)
    assert calls == ["2022-H1"]
    assert con.execute("SELECT * FROM marts.people_reached_monthly ORDER BY ALL").fetchall() == end_year_alone
    year = "WHERE month >= DATE '2022-01-01' AND month < DATE '2023-01-01'"
    assert wheres == {"2022-H1": year, "2022-H2": year}
    # a frozen mid-year cycle is not rewritten by its own build: the end-year one rewrites the year
    calls.clear()
    monkeypatch.setattr(freeze, "frozen_cycles", lambda _con: {"2022-H1": None})
    builds.build_cycles(con, monthly, ["2022-H1", "2022-H2", "2023-H1"], lambda _c, cycle: calls.append(cycle) or "")
    assert calls == ["2022-H1", "2022-H2", "2023-H1"]
    # a table kept by cycle builds every cycle
    calls.clear()
    builds.build_cycles(con, registry.table("marts.cycle_people_reached"), ["2022-H1", "2022-H2"],
                        lambda _c, cycle: calls.append(cycle) or "")
    assert calls == ["2022-H1", "2022-H2"]

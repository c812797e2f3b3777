"""marts.cycle_people_reached on a small hand-built warehouse: platform targets from
marts.sector_key_figures where no published figure exists, and shares left empty with share_note
when a platform's figure does not cover every country of its target."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rmrp_pipeline.marts.people_reached import build_cycle_people_reached
from rmrp_pipeline.warehouse import db as warehouse
from tests.sql.test_people_reached import FIXTURE, _build

KEY_FIGURES = [   # Southern Cone Shelter computed from the tables; the region's Shelter
    {"plan_year": 2022, "platform": "Southern Cone", "level": "platform", "sector": "Shelter",
     "people_targeted": 60.0, "people_in_need": 120.0},
    {"plan_year": 2022, "platform": "Regional", "level": "regional", "sector": "Shelter",
     "people_targeted": 500.0, "people_in_need": 1000.0},
]


def _warehouse(countries):
    con = _build(FIXTURE)
    warehouse.create_table(con, "marts.fct_planning_figures")   # no published figure: the key figures' only
    warehouse.create_table(con, "marts.sector_key_figures")
    warehouse.insert_frame(con, "marts.sector_key_figures", pd.DataFrame(KEY_FIGURES))
    warehouse.create_table(con, "staging.ref_countries")
    warehouse.insert_frame(con, "staging.ref_countries", pd.DataFrame(countries, columns=["platform", "country", "iso3"]))
    build_cycle_people_reached(con, "2022-H1")
    return con


def _get(con, level, subsector):
    rows = con.execute("SELECT consolidated_total, people_targeted, people_in_need, share_of_target, share_of_pin, share_note "
                       "FROM marts.cycle_people_reached WHERE level = ? AND subsector = ? "
                       "AND platform IN ('Southern Cone', 'Regional')", [level, subsector]).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_platform_and_region_take_the_key_figures_and_compare_when_every_country_reported():
    con = _warehouse([("Southern Cone", "Argentina", "ARG"), ("Central America and Mexico", "Panama", "PAN")])
    # Southern Cone Shelter at February: Buenos Aires 8 + 4 = 12 (the Panama row is another platform)
    assert _get(con, "platform", "Shelter") == (12, 60, 120, pytest.approx(0.2), pytest.approx(0.1), None)
    # the region: Argentina 12 + Panama 4 = 16 of 500 and 1000; both countries reported
    assert _get(con, "regional", "Shelter") == (16, 500, 1000, pytest.approx(0.032), pytest.approx(0.016), None)
    # no planning figure at all for the region's Health
    assert _get(con, "regional", "Health")[1:] == (None, None, None, None,
                                                  "No target or PiN of 2022 for this level, place and sector.")


def test_shares_are_left_empty_when_countries_of_the_target_have_no_data():
    con = _warehouse([("Southern Cone", "Argentina", "ARG"), ("Southern Cone", "Uruguay", "URY"),
                      ("Central America and Mexico", "Panama", "PAN")])
    note = "Shares left empty: the figure comes from the 5W data of {} of the {} countries the target and PiN cover ({})."
    assert _get(con, "platform", "Shelter") == (12, 60, 120, None, None, note.format(1, 2, "ARG"))
    assert _get(con, "regional", "Shelter") == (16, 500, 1000, None, None, note.format(2, 3, "ARG, PAN"))
    # a country row compares with its own country's target as before
    assert con.execute("SELECT count(*) FROM marts.cycle_people_reached WHERE level IN ('country', 'admin1') "
                       "AND share_note LIKE 'Shares left empty%'").fetchone()[0] == 0
    assert dt.date(2022, 2, 1) == con.execute("SELECT max(last_month_with_data) FROM marts.cycle_people_reached").fetchone()[0]

"""People reached of the bundled 2022 Southern Cone 5W (cycle 2022-H2), end to end, against sums worked
out here from the raw workbook and R4V's 2022 registry (sheet Indicators of the bundled 2022 5W
template), both read with openpyxl.

Southern Cone 2022 uses ``southernconemodel_2022`` (reference_data/intersector_models.csv): its
Intersector is the max of the PiN-proportion cells of Shelter, Humanitarian Transportation, WASH and
Food Security, plus Protection (General) as reported, plus the sum of MPC, Humanitarian
Transportation, WASH and Food Security; the other subsectors are left out. Where an admin1 has
none of the five subsectors of the max group or of the added sum, the Intersector is its Protection
(General) as reported, which is checked here; the proportion cells are
tests/sql/test_intersector_models.py's."""

from __future__ import annotations

import datetime

from collections import defaultdict

import ftfy

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.reports.summary import cycle_registry
from tests.sources.test_registries import five_w_2022, registry_2022

COUNTRIES = {"Argentina": "ARG", "Bolivia": "BOL", "Paraguay": "PRY", "Uruguay": "URY"}
#: 2022 Southern Cone subsectors that enter the Intersector other than as Protection (General).
MODEL_GROUPS = {"Shelter", "Humanitarian Transportation", "WASH", "Food Security", "Multipurpose Cash Assistance (MPC)"}


def _counted_rows() -> list[dict]:
    """The rows of the 2022 file whose (subsector, indicator) R4V's 2022 registry types PiN."""
    registry = registry_2022()
    return [r for r in five_w_2022() if registry[(r["Subsector"], r["Indicator"])][1] == "PiN"]


def test_2022_people_reached_per_country_and_subsector_are_the_rows_r4v_registry_counts(wh):
    counted = _counted_rows()
    assert len(counted) == 106
    new, total = defaultdict(int), defaultdict(int)
    for r in counted:
        key = (COUNTRIES[r["Country"]], r["Subsector"])
        new[key] += r["New_beneficiaries"] or 0
        total[key] += r["Total_monthly"] or 0
    ours = wh.execute(
        "SELECT country_iso3, subsector, consolidated_total, monthly_total FROM marts.people_reached_monthly "
        "WHERE level = 'country' AND month = DATE '2022-08-01' AND subsector <> 'Intersector'").fetchall()
    assert {(c, s): (n, t) for c, s, n, t in ours} == {k: (new[k], total[k]) for k in new}
    cycle = wh.execute(
        "SELECT country_iso3, subsector, consolidated_total FROM marts.cycle_people_reached "
        "WHERE cycle = '2022-H2' AND level = 'country' AND subsector <> 'Intersector'").fetchall()
    assert {(c, s): n for c, s, n in cycle} == dict(new)
    assert sum(new.values()) == 3552   # all four countries, every PiN row of August 2022


def test_2022_intersector_of_admin1_without_the_model_groups_is_protection_general(wh):
    by_admin1 = defaultdict(list)
    for r in _counted_rows():
        by_admin1[(COUNTRIES[r["Country"]], r["Admin1"])].append(r)
    simple = {key: sum(r["New_beneficiaries"] or 0 for r in rows if r["Subsector"] == "Protection (General)")
              for key, rows in by_admin1.items() if not {r["Subsector"] for r in rows} & MODEL_GROUPS}
    # e.g. Montevideo: Protection (General) 194 + Health 15 -> 194; Mendoza: 42 + Child Protection 1 -> 42
    assert simple[("URY", "Montevideo")] == 194 and simple[("ARG", "Mendoza")] == 42
    assert len(simple) == 16
    ours = dict(((c, a), n) for c, a, n in wh.execute(
        "SELECT country_iso3, admin1, consolidated_total FROM marts.people_reached_monthly "
        "WHERE level = 'admin1' AND month = DATE '2022-08-01' AND subsector = 'Intersector'").fetchall())
    # the raw admin1 is found by its repaired spelling (RÃ­o Negro is Río Negro)
    got = {key: ours[(key[0], ftfy.fix_encoding(key[1]))] for key in simple}
    assert got == simple


def test_the_2022_cycle_has_its_own_registry_so_the_summary_names_none(wh, built_warehouse):
    assert cycle_registry(wh, "2022-H2") == []
    # the end-year cycle covers January to December 2022 (end exclusive), the year of the 2022 registry
    assert cycle_window("2022-H2") == (datetime.date(2022, 1, 1), datetime.date(2023, 1, 1))
    assert "Indicator registry: none" not in built_warehouse[2]

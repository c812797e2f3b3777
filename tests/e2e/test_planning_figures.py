"""The planning figures in depth, on the real files in data/raw/planning.

Expected values come from docs/domain.md §2.3-§2.4 (worked out by R4V's figures and the
GHO) and are re-derived here from the workbook with openpyxl and plain Python, independently of the
pipeline's readers, so that a number in this file cannot be right only because the code says so.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import openpyxl
import pytest

from tests.conftest import RAW_DIR

TABLES = RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx"
TABLES_NAME = "planning/rmrp2022_pin_target_by_admin1_sector.xlsx"
HTS = "Protection (Human Trafficking and Smuggling)"


@lru_cache(maxsize=None)
def _sheet(sheet: str) -> tuple[list, list[tuple]]:
    book = openpyxl.load_workbook(TABLES, read_only=True, data_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    return list(rows[0]), rows[1:]


def independent_country_sums(sheet: str, subsector: str) -> tuple[dict, dict, int]:
    """(total per platform, in transit per platform, number of countries) summed over the
    ``Country level`` rows of ``subsector``, with plain Python."""
    header, rows = _sheet(sheet)
    word = "PiN" if sheet.startswith("PiN") else "Target"
    total, transit = header.index(f"{word} Total"), header.index(f"{word} Transit Total")
    totals, transits, countries = defaultdict(float), defaultdict(float), set()
    for row in rows:
        if row[2] == "Country level" and row[3] == subsector:
            totals[row[0]] += row[total] or 0
            transits[row[0]] += row[transit] or 0
            countries.add(row[1])
    return dict(totals), dict(transits), len(countries)


# -- the RMRP 2022 tables, and how they add up ------------------------------------------------------


def test_the_trafficking_pin_of_2022_by_platform(wh):
    totals, transits, _countries = independent_country_sums("PiN 2022", HTS)
    # docs/domain.md §2.4's figures, as found in the workbook itself
    assert sum(totals.values()) == 1_577_572 and sum(transits.values()) == 114_717
    assert (totals["Brazil"], totals["Colombia"], totals["Peru"]) == (49_361, 676_750, 704_221)
    # ... and in the warehouse: the facts as given, summed over the countries by SQL
    facts = dict(wh.execute(
        "SELECT population_type, sum(value) FROM marts.fct_planning_figures "
        "WHERE source_kind = 'pin_target_table' AND plan_year = 2022 AND measure = 'people_in_need' "
        "AND level = 'country' AND sector = ? AND age_gender = 'all' AND population_type IN ('all', 'in_transit') "
        "GROUP BY population_type", [HTS]).fetchall())
    assert facts == {"all": 1_577_572, "in_transit": 114_717}
    # ... and in the key figures, computed per platform (in-transit people included) and regionally
    # (without them: 1,577,572 - 114,717)
    computed = dict(wh.execute(
        "SELECT platform, people_in_need FROM marts.sector_key_figures WHERE plan_year = 2022 AND sector = ?",
        [HTS]).fetchall())
    assert {p: computed[p] for p in totals} == totals
    assert computed["Regional"] == 1_577_572 - 114_717 == 1_462_855


@pytest.mark.parametrize(
    ("sheet", "measure", "total", "in_transit", "published_text", "low", "high"),
    [
        # GHO 2022: PiN 8.4 million, targeted 3.8 million (docs/domain.md §2.4)
        ("PiN 2022", "people_in_need", 8_856_165, 457_847, "8.4 million", 8_350_000, 8_450_000),
        ("Target", "people_targeted", 4_163_480, 348_433, "3.8 million", 3_750_000, 3_850_000),
    ],
)
def test_the_regional_2022_figures_are_the_countries_without_people_in_transit(
        wh, sheet, measure, total, in_transit, published_text, low, high):
    totals, transits, countries = independent_country_sums(sheet, "Intersector")
    assert (sum(totals.values()), sum(transits.values()), countries) == (total, in_transit, 17)
    row = wh.execute(
        "SELECT published_text, published_low, published_high, computed_low, computed_high, status, explanation "
        "FROM meta.reconciliation WHERE check_name = 'regional_vs_country_sum' AND plan_year = 2022 "
        "AND sector = 'Intersector' AND measure = ?", [measure]).fetchone()
    assert row[:6] == (published_text, low, high, total - in_transit, total - in_transit, "ok")
    assert f"{total:,}" in row[6] and f"{in_transit:,}" in row[6] and "transit" in row[6]
    # the sum with the people in transit is outside the published rounding: the rule matters
    assert not low <= total <= high
    # the published regional figure is stored as given, beside the computed one, never replaced
    published, computed = wh.execute(
        f"SELECT {measure}, {measure}_computed FROM marts.sector_key_figures "
        "WHERE plan_year = 2022 AND platform = 'Regional' AND sector = 'Intersector'").fetchone()
    assert (published, computed) == (pytest.approx(float(published_text.split()[0]) * 1_000_000), total - in_transit)


def test_the_trafficking_target_of_2022_is_computed_the_same_way(wh):
    totals, transits, _ = independent_country_sums("Target", HTS)
    rows = dict(wh.execute(
        "SELECT platform, people_targeted FROM marts.sector_key_figures WHERE plan_year = 2022 AND sector = ?",
        [HTS]).fetchall())
    # docs/domain.md §2.4 by platform: Brazil 7,345, Colombia 34,322; Σ countries 43,397
    assert (rows["Brazil"], rows["Colombia"], sum(totals.values())) == (7_345, 34_322, 43_397)
    assert rows["Regional"] == sum(totals.values()) - sum(transits.values())


def test_country_figures_are_stored_as_given_and_checked_against_their_admin1_rows(wh):
    # docs/domain.md §2.3: Colombia Humanitarian Transportation, 0 at admin1 level and 445,205 at country level
    header, rows = _sheet("PiN 2022")
    total = header.index("PiN Total")
    mine = [r for r in rows if r[1] == "Colombia" and r[3] == "Humanitarian Transportation"]
    national = [r[total] for r in mine if r[2] == "Country level"]
    assert national == [445_205] and sum(r[total] for r in mine if r[2] != "Country level") == 0
    status, given, parts, explanation = wh.execute(
        "SELECT status, published_low, computed_low, explanation FROM meta.reconciliation "
        "WHERE check_name = 'country_vs_admin1_sum' AND country_iso3 = 'COL' "
        "AND sector = 'Humanitarian Transportation' AND measure = 'people_in_need'").fetchone()
    assert (status, given, parts) == ("recorded", 445_205, 0)
    assert "national level" in explanation and "in_transit" in explanation
    fact = wh.execute(
        "SELECT value FROM marts.fct_planning_figures WHERE level = 'country' AND country_iso3 = 'COL' "
        "AND sector = 'Humanitarian Transportation' AND measure = 'people_in_need' "
        "AND population_type = 'all' AND age_gender = 'all'").fetchone()
    assert fact == (445_205,)
    # a national figure below the sum of its own admin1 rows is flagged: Colombia Child Protection target
    header, rows = _sheet("Target")
    total = header.index("Target Total")
    mine = [r for r in rows if r[1] == "Colombia" and r[3] == "Protection (Child Protection)"]
    national = sum(r[total] or 0 for r in mine if r[2] == "Country level")
    admin1 = sum(r[total] or 0 for r in mine if r[2] != "Country level")
    assert national < admin1
    assert wh.execute(
        "SELECT status, published_low, computed_low FROM meta.reconciliation WHERE check_name = 'country_vs_admin1_sum' "
        "AND country_iso3 = 'COL' AND sector = 'Protection (Child Protection)' AND measure = 'people_targeted'"
    ).fetchone() == ("inconsistent", national, admin1)


def test_intersector_lies_between_the_largest_sector_and_their_sum(wh):
    # docs/domain.md §2.3: Colombia 2022 intersector PiN 4,831,479, largest sector 4,588,694, sum 34.3M
    low, inter, high, status = wh.execute(
        "SELECT computed_low, published_low, computed_high, status FROM meta.reconciliation "
        "WHERE check_name = 'intersector_vs_sectors' AND country_iso3 = 'COL' AND measure = 'people_in_need'").fetchone()
    assert (low, inter, round(high / 1e6, 1), status) == (4_588_694, 4_831_479, 34.3, "ok")
    # Panama's 2022 intersector target is above the sum of its sectors, by the workbook
    header, rows = _sheet("Target")
    total = header.index("Target Total")
    panama = {r[3]: r[total] or 0 for r in rows if r[1] == "Panama" and r[2] == "Country level"}
    inter = panama.pop("Intersector")
    assert inter > sum(panama.values())
    assert wh.execute(
        "SELECT status, published_low, computed_high FROM meta.reconciliation WHERE check_name = 'intersector_vs_sectors' "
        "AND country_iso3 = 'PAN' AND measure = 'people_targeted'").fetchone() == ("inconsistent", inter, sum(panama.values()))
    statuses = dict(wh.execute(
        "SELECT status, count(*) FROM meta.reconciliation WHERE check_name = 'intersector_vs_sectors' GROUP BY status").fetchall())
    assert statuses == {"ok": 33, "inconsistent": 1}  # 17 countries x (PiN, target)


def test_every_table_row_is_loaded_or_rejected(wh):
    for sheet in ("PiN 2022", "Target"):
        _header, rows = _sheet(sheet)
        read, loaded, rejected = wh.execute(
            "SELECT rows_read, rows_loaded, rows_rejected FROM meta.load_log WHERE source_file = ? AND sheet = ?",
            [TABLES_NAME, sheet]).fetchone()
        assert read == len([r for r in rows if any(v not in (None, "") for v in r)]) == loaded + rejected
    # the Target sheet has Bolivia / Country level / Nutrition twice: row 1634 empty, row 1635 with figures
    _header, rows = _sheet("Target")
    twins = [n for n, r in enumerate(rows, start=2) if (r[1], r[2], r[3]) == ("Bolivia", "Country level", "Nutrition")]
    assert twins == [1634, 1635] and all(v in (None, "") for v in rows[1634 - 2][4:])
    rejects = wh.execute(
        "SELECT sheet, row_number, rule FROM meta.rejected_rows WHERE source_file = ? ORDER BY ALL", [TABLES_NAME]).fetchall()
    # ... and the targetproportions sheet gives Peru / Lima / Trafficking & Smuggling transit shares that
    # add up to 0.75 (0.25, 0.25, 0.25, 0): that split would lose a quarter of the people
    assert rejects == [("Target", 1634, "duplicate_row"), ("targetproportions", 2204, "proportions_sum_not_one")]
    assert wh.execute(
        "SELECT source_row FROM marts.fct_planning_figures WHERE source_kind = 'pin_target_table' AND measure = 'people_targeted' "
        "AND country_iso3 = 'BOL' AND level = 'country' AND sector = 'Nutrition' AND population_type = 'all' AND age_gender = 'all'"
    ).fetchall() == [(1635,)]


def test_the_fact_table_holds_figures_as_given_never_sums(wh):
    # no platform or regional figure is derived from the tables: those levels are published only
    derived = wh.execute(
        "SELECT count(*) FROM marts.fct_planning_figures WHERE source_kind = 'pin_target_table' "
        "AND level NOT IN ('admin1', 'country')").fetchone()[0]
    assert derived == 0
    # one fact per non-blank figure cell of the tables (the rejected duplicate row has none)
    cells = 0
    for sheet in ("PiN 2022", "Target"):
        _header, rows = _sheet(sheet)
        cells += sum(1 for r in rows for v in r[4:] if v not in (None, ""))
    assert wh.execute("SELECT count(*) FROM marts.fct_planning_figures WHERE source_kind = 'pin_target_table'").fetchone()[0] == cells
    grain = ["plan_year", "level", "country_iso3", "admin1", "sector", "population_type", "age_gender", "measure"]
    assert wh.execute(
        f"SELECT count(*) FROM (SELECT {', '.join(grain)} FROM marts.fct_planning_figures "
        f"WHERE source_kind = 'pin_target_table' GROUP BY ALL HAVING count(*) > 1)").fetchone()[0] == 0
    published = wh.execute(
        "SELECT plan_year, measure, published_text, value FROM marts.fct_planning_figures "
        "WHERE source_kind = 'published' AND plan_year = 2022 ORDER BY measure").fetchall()
    assert published == [(2022, "partners", "192", 192), (2022, "people_in_need", "8.4 million", 8_400_000),
                         (2022, "people_targeted", "3.8 million", 3_800_000),
                         (2022, "requirements_usd", "$1.79 billion", 1_790_000_000)]


def test_proportion_sheets_are_reference_data(wh):
    counts = dict(wh.execute(
        "SELECT basis, count(*) FROM staging.ref_planning_proportions WHERE NOT is_rejected GROUP BY basis").fetchall())
    # every row but the target row whose transit shares add up to 0.75 (Peru, Lima, row 2204)
    header, target_rows = _sheet("targetproportions")
    lima = dict(zip(header, target_rows[2204 - 2]))
    assert (lima["Country"], lima["Admin1"], lima["Subsector"]) == ("Peru", "Lima", "Protection (Human Trafficking and Smuggling)")
    assert sum(lima[c] for c in ("Transit_GIrls", "Transit_Boys", "Transit_Women", "Transit_Men")) == 0.75
    assert counts == {"pin": len(_sheet("pinproportions")[1]), "target": len(target_rows) - 1}
    header, rows = _sheet("pinproportions")
    first = dict(zip(header, rows[0]))  # Brazil, Acre, Education
    got = wh.execute(
        "SELECT country_iso3, admin1, sector, all_girls, in_destination_men FROM staging.ref_planning_proportions "
        "WHERE basis = 'pin' AND source_row = 2").fetchone()
    assert got == ("BRA", first["Admin1"], first["Subsector"], first["2022_Total_Girls"], first["Dest_Men"])


# -- the key figures, published and computed side by side --------------------------------------------


def test_sector_key_figures_hold_published_and_computed_trafficking_figures(wh):
    rows = {
        (year, platform): (pin, pin_source, target, target_source)
        for year, platform, pin, pin_source, target, target_source in wh.execute(
            "SELECT plan_year, platform, people_in_need, people_in_need_source, people_targeted, people_targeted_source "
            "FROM marts.sector_key_figures WHERE sector = ?", [HTS]).fetchall()
    }
    platforms = ["Brazil", "Chile", "Colombia", "Ecuador", "Peru", "Caribbean", "Central America and Mexico",
                 "Southern Cone", "Regional"]
    assert set(rows) == {(y, p) for y in (2022, 2023, 2024) for p in platforms}
    # the seed page (published) ...
    assert rows[(2023, "Regional")] == (1_560_000, "published", 33_300, "published")
    assert rows[(2024, "Colombia")] == (1_020_000, "published", 27_900, "published")
    # ... beside 2022 computed from the tables (docs/domain.md §2.4: Brazil 7,345 targeted)
    assert rows[(2022, "Brazil")] == (49_361, "computed", 7_345, "computed")
    assert rows[(2022, "Peru")][:2] == (704_221, "computed")


def test_year_over_year_change_on_the_published_values(wh):
    change, basis, per_person = wh.execute(
        "SELECT people_in_need_yoy_change, yoy_basis, requirements_per_person_targeted FROM marts.sector_key_figures "
        "WHERE plan_year = 2024 AND platform = 'Regional' AND sector = ?", [HTS]).fetchone()
    # 1,66 M / 1,56 M - 1 = +6.4%
    assert change == pytest.approx(1.66 / 1.56 - 1) and round(change, 3) == 0.064
    assert "people_in_need: published 2024 vs published 2023" in basis
    # $19,11 M for 32,7 K people targeted
    assert per_person == pytest.approx(19_110_000 / 32_700)
    requirements_change, target_change = wh.execute(
        "SELECT requirements_usd_yoy_change, people_targeted_yoy_change FROM marts.sector_key_figures "
        "WHERE plan_year = 2024 AND platform = 'Colombia' AND sector = ?", [HTS]).fetchone()
    assert requirements_change == pytest.approx(5.54 / 6.75 - 1)
    assert target_change == pytest.approx(27_900 / 29_000 - 1)
    # 2023 against 2022 compares a published figure with a table sum, and says so
    basis_2023 = wh.execute(
        "SELECT yoy_basis FROM marts.sector_key_figures WHERE plan_year = 2023 AND platform = 'Regional' AND sector = ?",
        [HTS]).fetchone()[0]
    assert "people_in_need: published 2023 vs computed 2022" in basis_2023


def test_target_share_is_published_or_computed(wh):
    share, text, source = wh.execute(
        "SELECT target_share_of_pin, target_share_of_pin_text, target_share_of_pin_source FROM marts.sector_key_figures "
        "WHERE plan_year = 2024 AND platform = 'Regional' AND sector = ?", [HTS]).fetchone()
    assert (share, text, source) == (pytest.approx(0.028), "2,8%", "published")  # as printed, even if inconsistent
    share, text, source = wh.execute(
        "SELECT target_share_of_pin, target_share_of_pin_text, target_share_of_pin_source FROM marts.sector_key_figures "
        "WHERE plan_year = 2022 AND platform = 'Colombia' AND sector = ?", [HTS]).fetchone()
    assert (share, text, source) == (pytest.approx(34_322 / 676_750), None, "computed")


def test_every_planning_mart_column_is_documented(wh):
    for table in ("marts.fct_planning_figures", "marts.sector_key_figures", "staging.stg_planning__pin_target",
                  "staging.stg_planning__submissions", "staging.ref_planning_proportions", "meta.reconciliation"):
        schema, name = table.split(".")
        missing = wh.execute(
            "SELECT column_name FROM meta.data_dictionary WHERE table_schema = ? AND table_name = ? "
            "AND (column_description IS NULL OR column_description = '')", [schema, name]).fetchall()
        assert missing == [], table

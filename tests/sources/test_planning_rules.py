"""The planning rules on small generated workbooks, and the reconciliation checks on
figures built by hand (the real files do not exercise every branch)."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline import ingest
from rmrp_pipeline.marts.reconciliation import (
    RECONCILIATION_COLUMNS,
    reconcile_planning_figures,
)
from rmrp_pipeline.sources.planning.key_figures import read_published_key_figures
from rmrp_pipeline.text.numbers import NumberParseError, parse_published_number
from tests.conftest import RAW_DIR
from tests.sources.catalogue import breaks

PIN_HEADER = list(next(openpyxl.load_workbook(
    RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx", read_only=True)["PiN 2022"].iter_rows(
        max_row=1, values_only=True)))


def _pin_row(platform, country, admin1, sector, persons, **cells) -> list:
    """A row of the PiN table with ``persons`` girls in destination (all its totals consistent), or
    the cells given by header."""
    values = dict.fromkeys(PIN_HEADER[4:], 0)
    for header in ("PiN 2022 Total Girls", "PiN Total", "PiN Dest GIrls", "PiN Dest Total"):
        values[header] = persons
    values.update(cells)
    return [platform, country, admin1, sector, *(values[h] for h in PIN_HEADER[4:])]


@pytest.fixture()
def generated_pin(reference_only: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PiN"
    sheet.append(PIN_HEADER)
    for row in [
        _pin_row("Brazil", "Brazil", "Acre", "Education", 10),  # 2: fine
        _pin_row("Brasil", "Brazil", "Acre", "Health", 10),  # 3: not R4V's English platform name
        _pin_row("Colombia", "Peru", "Lima", "Health", 10),  # 4: Peru is not in the Colombia platform
        _pin_row("Brazil", "Brazil", "Bahia", "Health", 10, **{"PiN HC Boys": "1.000"}),  # 5: 1 000 or 1?
        _pin_row("Brazil", "Brazil", "Pará", "Health", 10, **{"PiN HC Men": -3}),  # 6: negative
        _pin_row("Brazil", "Brazil", "Alagoas", "Educación", 7),  # 7: Spanish name of Education: fine
        _pin_row("Brazil", "Brazil", "Amapá", "Health", 5),  # 8 and 9: the same cell twice,
        _pin_row("Brazil", "Brazil", "Amapá", "Health", 6),  # with different figures
        _pin_row("Brazil", "Brazil", "Roraima", "Health", 10, **{"PiN Dest Boys": 2}),  # 10: parts 12, total 10
        _pin_row("Brazil", "Brazil", "Roraima", "Education and Health", 10),  # 11: no such sector
        _pin_row("Brazil", "Brazil", "Country level", "Education", 30),  # 12: national row, stored as given
    ]:
        sheet.append(row)
    (reference_only / "planning").mkdir()
    path = reference_only / "planning" / "pin.xlsx"
    book.save(path)
    return reference_only


def _issues(result, source_file: str) -> set:
    rejects = result.tables["meta.rejected_rows"]
    findings = result.tables["meta.quality_findings"]
    both = pd.concat([rejects.assign(kind="reject"), findings.assign(kind="finding")])
    both = both[both["source_file"] == source_file]
    return set(zip(both["row_number"], both["rule"], both["column"], both["kind"]))


@breaks("pin_target",
        "platform_not_r4v", "platform_country_mismatch", "number_ambiguous", "count_negative", "duplicate_row",
        "breakdown_sum_mismatch", "sector_unknown")
def test_table_rows_that_cannot_be_attributed_or_read_are_rejected(generated_pin):
    result = ingest.ingest_raw_folder(generated_pin)
    assert _issues(result, "planning/pin.xlsx") == {
        (3, "platform_not_r4v", "PiN Platform", "reject"),
        (4, "platform_country_mismatch", "PiN Platform", "reject"),
        (5, "number_ambiguous", "PiN HC Boys", "reject"),
        (6, "count_negative", "PiN HC Men", "reject"),
        (8, "duplicate_row", "Subsector", "reject"),
        (9, "duplicate_row", "Subsector", "reject"),
        (10, "breakdown_sum_mismatch", "PiN Dest Total", "finding"),  # girls 10 + boys 2 in destination, total 10
        (10, "breakdown_sum_mismatch", "PiN 2022 Total Boys", "finding"),  # boys overall 0, in destination 2
        (11, "sector_unknown", "Subsector", "reject"),
    }
    staged = result.tables["staging.stg_planning__pin_target"].set_index("source_row")
    assert staged.loc[7, "sector"] == "Education" and not staged.loc[7, "is_rejected"]
    assert (staged.loc[12, "level"], staged.loc[12, "admin1"], staged.loc[12, "all_all"]) == ("country", None, 30)
    assert staged["is_rejected"].sum() == 7
    log = result.tables["raw.source_files"].set_index("source_file").loc["planning/pin.xlsx"]
    assert (log["status"], log["template_id"], log["rows_read"]) == ("recognised", "pin_2022", 11)
    messages = result.tables["meta.rejected_rows"].set_index("row_number")["message"]
    assert "row(s) 8" in messages[9] and "none of them is loaded" in messages[9]


def test_a_planning_sheet_that_fails_to_stage_does_not_stop_the_others(generated_pin, monkeypatch):
    import rmrp_pipeline.sources.planning.stage as planning_ingest

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(planning_ingest, "stage_pin_target", broken)
    result = ingest.ingest_raw_folder(generated_pin)
    log = result.tables["raw.source_files"].set_index("source_file")
    assert log.loc["planning/pin.xlsx", "status"] == "unreadable"
    assert "could not be staged (RuntimeError: boom)" in log.loc["planning/pin.xlsx", "message"]
    assert len(result.tables["staging.ref_countries"]) == 17  # the other files are read


def test_a_lookup_sheet_is_read_without_its_helper_rows(reference_only):
    (reference_only / "planning").mkdir()
    source = RAW_DIR / "planning" / "rmrp2023-2024_submission_filled_example.xlsx"
    (reference_only / "planning" / source.name).write_bytes(source.read_bytes())
    result = ingest.ingest_raw_folder(reference_only)
    log = result.tables["raw.source_files"]
    partners = log[(log["sheet"] == "Partners")].iloc[0]
    # 192 organisations with an IDORG and the template's 'New Organisation' entry; 806 rows of helper formulas
    assert (partners["template_id"], partners["rows_read"], partners["blank_rows"]) == ("partners_2023", 193, 806)
    organisations = result.tables["staging.ref_organisations"]
    mine = organisations[organisations["source_file"] == f"planning/{source.name}"]
    assert len(mine) == 193 and mine["org_id"].notna().sum() == 192
    assert mine.loc[mine["org_id"] == "ORG132", "name_en"].tolist() == ["World Food Programme (WFP)"]
    statuses = dict(zip(log["sheet"], log["status"]))
    assert statuses["Instructions"] == "ignored" and statuses[" Activity Sheet"] == "recognised"


# -- published figures: 'not published', English magnitudes ---------------------------------------------


def test_english_word_magnitudes():
    number = parse_published_number("8.4 million", "en")
    assert (number.value, number.low, number.high, number.unit) == (8_400_000, 8_350_000, 8_450_000, "count")
    number = parse_published_number("$1.79 billion", "en")
    assert (number.value, number.low, number.high, number.unit) == (1_790_000_000, 1_785_000_000, 1_795_000_000, "usd")
    with pytest.raises(NumberParseError, match="only accepted in English"):
        parse_published_number("8,4 million", "es")  # 'billón' is 10^12 in Spanish: the words are English only


def test_a_figure_marked_not_published_is_neither_a_figure_nor_a_reject(tmp_path):
    workbook = RAW_DIR / "planning" / "rmrp2022_regional_key_figures.xlsx"
    figures, rejects, _info = read_published_key_figures(workbook)
    assert rejects.empty and "target_share_of_pin" not in set(figures["measure"]) and len(figures) == 4
    book = openpyxl.load_workbook(workbook)
    for column in "EFHI":
        book["key_figures"][f"{column}2"].value = "No publicado"
    variant = tmp_path / "variant.xlsx"
    book.save(variant)
    figures, rejects, info = read_published_key_figures(variant)
    assert figures.empty and rejects["rule"].tolist() == ["nothing_published"]
    assert info["sheets"]["key_figures"] == {"rows_read": 1, "rows_rejected": 1}


# -- reconciliation on figures built by hand ------------------------------------------------------------


def _fact(level, measure, value, *, platform="Colombia", iso3="COL", sector="Shelter", pop="all", kind="pin_target_table",
          organisation=None, year=2022) -> dict:
    return {"plan_year": year, "level": level, "platform": platform, "country": "Colombia" if iso3 else None,
            "country_iso3": iso3, "admin1": "X" if level == "admin1" else None, "sector": sector,
            "population_type": pop, "age_gender": "all", "measure": measure, "value": value,
            "source_kind": kind, "organisation_key": organisation}


def _published(year, platform, sector, measure, text, value, low, high) -> dict:
    return {"plan_year": year, "level": "regional" if platform == "Regional" else "platform", "platform": platform,
            "sector": sector, "measure": measure, "age_gender": None, "published_text": text,
            "value": value, "value_low": low, "value_high": high}


def test_country_vs_admin1_statuses():
    facts = pd.DataFrame([
        _fact("country", "people_in_need", 100), _fact("country", "people_in_need", 40, pop="in_transit"),
        _fact("admin1", "people_in_need", 60), _fact("admin1", "people_in_need", 0, pop="in_transit"),
        _fact("country", "people_targeted", 50), _fact("admin1", "people_targeted", 50),
        _fact("country", "people_in_need", 10, sector="WASH"), _fact("admin1", "people_in_need", 12, sector="WASH"),
    ])
    empty = pd.DataFrame(columns=["plan_year", "level", "platform", "sector", "measure", "age_gender",
                                  "published_text", "value", "value_low", "value_high"])
    rec = reconcile_planning_figures(facts, empty)
    assert list(rec.columns) == list(RECONCILIATION_COLUMNS)
    got = {(r.measure, r.sector): (r.status, r.published_low, r.computed_low) for r in rec.itertuples()}
    assert got == {("people_in_need", "Shelter"): ("recorded", 100, 60), ("people_targeted", "Shelter"): ("ok", 50, 50),
                   ("people_in_need", "WASH"): ("inconsistent", 10, 12)}
    explanation = rec[rec["status"] == "recorded"]["explanation"].iloc[0]
    assert "+40" in explanation and "in_transit +40" in explanation


def test_submissions_against_published_figures():
    facts = pd.DataFrame([
        _fact("admin1", "requirements_usd", 700_000, kind="submission", organisation="ORG001", year=2023),
        _fact("admin1", "requirements_usd", 300_000, kind="submission", organisation="ORG002", year=2023),
        _fact("admin1", "people_targeted", 900, kind="submission", organisation="ORG001", year=2023),
        _fact("regional", "requirements_usd", 500_000, platform="Regional", iso3=None, kind="submission",
              organisation="ORG001", year=2023),
    ])
    published = pd.DataFrame([
        _published(2023, "Colombia", "Shelter", "requirements_usd", "$1,0 M", 1_000_000, 950_000, 1_050_000),
        _published(2023, "Colombia", "Shelter", "people_targeted", "850", 850, 850, 850),
        _published(2023, "Colombia", "Shelter", "partners", "3", 3, 3, 3),
        _published(2023, "Regional", "Shelter", "requirements_usd", "$2,0 M", 2_000_000, 1_950_000, 2_050_000),
        _published(2024, "Colombia", "Shelter", "requirements_usd", "$1,0 M", 1_000_000, 950_000, 1_050_000),
    ])
    rec = reconcile_planning_figures(facts, published)
    got = {(r.platform, r.measure): (r.status, r.computed_low) for r in rec.itertuples()}
    assert got == {
        ("Colombia", "requirements_usd"): ("ok", 1_000_000),  # 700 000 + 300 000: the regional-level activity is not Colombia's
        ("Colombia", "people_targeted"): ("recorded", 900),  # a sum of activity targets is an upper bound
        ("Colombia", "partners"): ("recorded", 2),
        ("Regional", "requirements_usd"): ("recorded", 1_500_000),  # every activity, regional-level included
    }
    regional = rec[rec["platform"] == "Regional"].iloc[0]
    assert "75.0%" in regional["explanation"] and not math.isnan(regional["published_low"])


def test_a_regional_figure_that_does_not_follow_the_transit_rule_is_flagged():
    facts = pd.DataFrame([
        _fact("country", "people_in_need", 1_000, sector="Intersector"),
        _fact("country", "people_in_need", 200, sector="Intersector", pop="in_transit"),
    ])
    published = pd.DataFrame([_published(2022, "Regional", "Intersector", "people_in_need", "1,0 K", 1_000, 950, 1_050)])
    rec = reconcile_planning_figures(facts, published)
    row = rec[rec["check_name"] == "regional_vs_country_sum"].iloc[0]
    assert (row["status"], row["computed_low"]) == ("inconsistent", 800)
    assert "does not follow" in row["explanation"] and "also inside" in row["explanation"]


@breaks("proportions", "duplicate_row", "proportions_sum_not_one")
def test_proportion_rows_twice_or_whose_shares_do_not_add_up_are_rejected(reference_only):
    """A pinproportions sheet (the real file's header): Salta Shelter twice with different shares
    (neither is loaded: which one is right cannot be known), Jujuy Shelter twice with the same
    shares (loaded once), Salta WASH with destination shares 0.5 x 4 = 2 (rejected: the split would
    double the people), Salta Health with 0.26 + 0.25 + 0.25 + 0.25 = 1.01 (within R4V's rounding)."""
    header = list(next(openpyxl.load_workbook(
        RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx", read_only=True)["pinproportions"].iter_rows(
            max_row=1, values_only=True)))

    def shares(admin1, sector, destination):
        values = dict.fromkeys(header[3:], 0)
        for name, share in zip(("Dest_GIrls", "Dest_Boys", "Dest_Women", "Dest_Men"), destination):
            values[name] = share
        for name, share in zip(("2022_Total_Girls", "2022_Total_Boys", "2022_Total_Women", "Total_Men"), destination):
            values[name] = share
        return ["Argentina", admin1, sector, *(values[h] for h in header[3:])]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "pinproportions"
    sheet.append(header)
    for row in [shares("Salta", "Shelter", (0.25, 0.25, 0.25, 0.25)),   # row 2
                shares("Salta", "Shelter", (0.1, 0.1, 0.4, 0.4)),       # row 3
                shares("Jujuy", "Shelter", (0.25, 0.25, 0.25, 0.25)),   # row 4
                shares("JUJUY", "Shelter", (0.25, 0.25, 0.25, 0.25)),   # row 5: the same, case aside
                shares("Salta", "WASH", (0.5, 0.5, 0.5, 0.5)),          # row 6
                shares("Salta", "Health", (0.26, 0.25, 0.25, 0.25))]:   # row 7
        sheet.append(row)
    book.save(reference_only / "proportions.xlsx")
    result = ingest.ingest_raw_folder(reference_only)
    rejects = result.tables["meta.rejected_rows"]
    rejects = rejects[rejects["source_file"] == "proportions.xlsx"]
    assert sorted(zip(rejects["row_number"], rejects["rule"], rejects["column"])) == [
        (2, "duplicate_row", "Subsector"), (3, "duplicate_row", "Subsector"), (5, "duplicate_row", "Subsector"),
        (6, "proportions_sum_not_one", "2022_Total_Girls"), (6, "proportions_sum_not_one", "Dest_GIrls")]
    staged = result.tables["staging.ref_planning_proportions"]
    assert sorted(staged.loc[~staged["is_rejected"], "source_row"]) == [4, 7]


# -- every other rule of the planning inputs, each on a row of its own -----------------------------------


@breaks("pin_target", "number_unreadable", "cell_error", "formula_without_value", "count_not_whole", "count_implausible",
        "country_not_r4v")
def test_the_other_table_rejects_each_on_a_row_of_its_own(reference_only):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PiN"
    sheet.append(PIN_HEADER)
    for row in [
        _pin_row("Brazil", "Brazil", "Acre", "Education", 10),                               # 2: fine
        _pin_row("Brazil", "Brazil", "Bahia", "Health", 10, **{"PiN HC Boys": "diez"}),      # 3
        _pin_row("Brazil", "Brazil", "Pará", "Health", 10, **{"PiN HC Boys": "#DIV/0!"}),    # 4: an error cell
        _pin_row("Brazil", "Brazil", "Acre", "Health", 10, **{"PiN HC Boys": "=1+1"}),       # 5: never calculated
        _pin_row("Brazil", "Brazil", "Amapá", "Health", 10, **{"PiN HC Boys": 2.5}),         # 6
        _pin_row("Brazil", "Brazil", "Roraima", "Health", 10, **{"PiN HC Boys": 10**9}),     # 7
        _pin_row("Brazil", "Narnia", "Cair Paravel", "Health", 10),                          # 8
    ]:
        sheet.append(row)
    book.save(reference_only / "pin.xlsx")
    assert _issues(ingest.ingest_raw_folder(reference_only), "pin.xlsx") == {
        (3, "number_unreadable", "PiN HC Boys", "reject"),
        (4, "cell_error", "PiN HC Boys", "reject"),
        (5, "formula_without_value", "PiN HC Boys", "reject"),
        (6, "count_not_whole", "PiN HC Boys", "reject"),
        (7, "count_implausible", "PiN HC Boys", "reject"),
        (8, "country_not_r4v", "PiN Country", "reject"),
    }


@breaks("proportions", "number_unreadable", "number_ambiguous", "cell_error", "formula_without_value", "country_not_r4v",
        "sector_unknown", "proportion_invalid")
def test_proportion_cells_that_cannot_be_read_or_attributed_are_rejected(reference_only):
    header = list(next(openpyxl.load_workbook(
        RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx", read_only=True)["pinproportions"].iter_rows(
            max_row=1, values_only=True)))

    def shares(country, admin1, sector, **cells):
        values = dict.fromkeys(header[3:], 0)
        values.update(dict.fromkeys(("Dest_GIrls", "Dest_Boys", "Dest_Women", "Dest_Men"), 0.25))
        values.update(dict.fromkeys(("2022_Total_Girls", "2022_Total_Boys", "2022_Total_Women", "Total_Men"), 0.25))
        values.update(cells)
        return [country, admin1, sector, *(values[h] for h in header[3:])]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "pinproportions"
    sheet.append(header)
    for row in [shares("Argentina", "Salta", "Shelter"),                           # 2: fine
                shares("Narnia", "Salta", "Shelter"),                              # 3
                shares("Argentina", "Salta", "Education and Health"),              # 4
                shares("Argentina", "Jujuy", "Shelter", Dest_GIrls="abc"),         # 5
                shares("Argentina", "Chaco", "Shelter", Dest_Boys="0,25"),         # 6: 0.25 or 25?
                shares("Argentina", "Tucumán", "Shelter", Dest_Women="#N/A"),      # 7: an error cell
                shares("Argentina", "Mendoza", "Shelter", Dest_Men="=1/4"),        # 8: never calculated
                shares("Argentina", "Córdoba", "Shelter", Total_Men=1.5)]:         # 9
        sheet.append(row)
    book.save(reference_only / "proportions.xlsx")
    assert _issues(ingest.ingest_raw_folder(reference_only), "proportions.xlsx") == {
        (3, "country_not_r4v", "Country", "reject"),
        (4, "sector_unknown", "Subsector", "reject"),
        (5, "number_unreadable", "Dest_GIrls", "reject"),
        (6, "number_ambiguous", "Dest_Boys", "reject"),
        (7, "cell_error", "Dest_Women", "reject"),
        (8, "formula_without_value", "Dest_Men", "reject"),
        (9, "proportion_invalid", "Total_Men", "reject"),
    }


KEY_FIGURES = RAW_DIR / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"


def _key_figures_variant(path: Path, edits: dict[tuple[str, str], object]) -> Path:
    book = openpyxl.load_workbook(KEY_FIGURES)
    for (sheet, ref), value in edits.items():
        book[sheet][ref].value = value
    book.save(path)
    return path


@breaks("key_figures", "plan_year_unreadable", "platform_unknown", "sector_missing", "duplicate_row", "value_missing",
        "cell_not_text", "number_unreadable", "unit_mismatch", "count_not_whole", "fraction_above_one", "nothing_published",
        "measure_unknown", "age_gender_invalid", "percent_without_sign", "language_unknown", "locale_unknown")
def test_every_key_figures_rule_names_its_cell(tmp_path):
    """The committed workbook (Spanish), one cell changed per row; then the same workbook in an
    unknown language."""
    path = _key_figures_variant(tmp_path / "kf.xlsx", {
        ("key_figures", "A3"): "20x3",                    # Brazil 2023
        ("key_figures", "B4"): "Chilé",
        ("key_figures", "D5"): None,                      # Colombia 2023
        ("key_figures", "B6"): "Regional",                # Ecuador 2023 -> Regional 2023 again (row 2)
        ("key_figures", "E7"): None,                      # Peru 2023
        ("key_figures", "I8"): 6,                         # Caribbean 2023: a number cell
        ("key_figures", "E9"): "12 personas",
        ("key_figures", "H10"): "938,2 K",                # Southern Cone 2023: requirements without '$'
        ("key_figures", "E12"): "12,2",                   # Brazil 2024: 12.2 persons
        ("key_figures", "G13"): "150%",                   # Chile 2024
        **{("key_figures", f"{column}14"): "no publicado" for column in "EFGHI"},   # Colombia 2024
        ("other_figures", "D3"): "people_reached",
        ("other_figures", "E5"): "elders",
        ("other_figures", "F6"): 0.143,                   # a share typed as a number, no % format
    })
    _figures, rejects, info = read_published_key_figures(path)
    assert set(zip(rejects["sheet"], rejects["row_number"], rejects["column"], rejects["rule"])) == {
        ("key_figures", 3, "plan_year", "plan_year_unreadable"),
        ("key_figures", 4, "platform", "platform_unknown"),
        ("key_figures", 5, "sector", "sector_missing"),
        ("key_figures", 6, "platform", "duplicate_row"),
        ("key_figures", 7, "people_in_need", "value_missing"),
        ("key_figures", 8, "partners", "cell_not_text"),
        ("key_figures", 9, "people_in_need", "number_unreadable"),
        ("key_figures", 10, "requirements_usd", "unit_mismatch"),
        ("key_figures", 12, "people_in_need", "count_not_whole"),
        ("key_figures", 13, "target_share_of_pin", "fraction_above_one"),
        ("key_figures", 14, "people_in_need", "nothing_published"),
        ("other_figures", 3, "measure", "measure_unknown"),
        ("other_figures", 5, "age_gender", "age_gender_invalid"),
    }
    assert [(f["sheet"], f["row_number"], f["rule"]) for f in info["findings"]] == [
        ("other_figures", 6, "percent_without_sign")]
    _figures, rejects, info = read_published_key_figures(_key_figures_variant(tmp_path / "fr.xlsx", {("source", "B5"): "fr"}))
    assert info["locale"] is None
    assert ("source", 5, "language_unknown") in set(zip(rejects["sheet"], rejects["row_number"], rejects["rule"]))
    assert ("key_figures", 2, "people_in_need", "locale_unknown") in set(
        zip(rejects["sheet"], rejects["row_number"], rejects["column"], rejects["rule"]))

"""Indicator registries, organisation and admin1 lists per reporting year: R4V's 2022 5W template
recognised by its sheets' columns, each 5W row resolved against the registry of its own year, and
the finding ``admin1_spelling_differs_from_reference`` (docs/r4v-differences.md).

The expected values come from the real files, read here with openpyxl (not with the pipeline's
reader): R4V's 2022 registry is sheet ``Indicators`` of ``rmrp2022_5w_template_with_indicators.xlsx``."""

from __future__ import annotations

import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.reports.summary import cycle_registry
from rmrp_pipeline.sources.reference import ReferenceData, registry_year_for
from rmrp_pipeline.warehouse import db as warehouse
from tests.conftest import RAW_DIR
from tests.sources.catalogue import breaks
from tests.sources.test_five_w_rules import good_row, issues_of, write_5w

TEMPLATE_2022 = RAW_DIR / "reference" / "rmrp2022_5w_template_with_indicators.xlsx"
FIVE_W_2022 = RAW_DIR / "monitoring_5w" / "activities_5w_2022_southern_cone_aug.xlsx"


def registry_2022() -> dict[tuple[str, str], tuple[str, str]]:
    """(subsector, indicator) -> (code, indicator type) of R4V's 2022 registry, as the sheet writes them."""
    rows = list(openpyxl.load_workbook(TEMPLATE_2022, read_only=True)["Indicators"].iter_rows(values_only=True))
    header = rows[0]
    at = {name: header.index(name) for name in ("Code", "Subsector", "Indicator", "Indicator type")}
    return {(r[at["Subsector"]], r[at["Indicator"]]): (r[at["Code"]], r[at["Indicator type"]])
            for r in rows[1:] if r[at["Code"]]}


def five_w_2022() -> list[dict]:
    """The rows of the bundled 2022 Southern Cone 5W, with their Excel row number (``_row``)."""
    rows = list(openpyxl.load_workbook(FIVE_W_2022, read_only=True).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], r), _row=number) for number, r in enumerate(rows[1:], start=2)]


@pytest.fixture(scope="module")
def ingested_2022(tmp_path_factory):
    """The ingest of the reference lists and the 2022 Southern Cone 5W (no other 5W file)."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(RAW_DIR / "reference", raw / "reference")
    (raw / "monitoring_5w").mkdir()
    shutil.copy(FIVE_W_2022, raw / "monitoring_5w" / FIVE_W_2022.name)
    return ingest_raw_folder(raw)


def test_the_2022_template_is_recognised_sheet_by_sheet(ingested_2022):
    log = ingested_2022.tables["raw.source_files"]
    mine = log[log["source_file"] == f"reference/{TEMPLATE_2022.name}"].set_index("sheet")
    assert mine["template_id"].to_dict() == {
        "Indicators": "indicators_2022", "Organizations": "partners_2022", "Admin1": "admin1_2022",
        "5W RMRP 2022": "form_5w_2022", "Dropdown": "dropdown_5w_2022"}
    assert mine.loc[["5W RMRP 2022", "Dropdown"], "status"].tolist() == ["ignored", "ignored"]
    assert mine.loc["Dropdown", "message"].startswith("ignored on purpose: the dropdown lists")
    ref = ingested_2022.tables
    indicators = ref["staging.ref_indicators"]
    of_2022 = indicators[indicators["cycle_year"] == 2022]
    # the sheet's 96 indicators, 38 of type PiN (counted with openpyxl from the sheet itself)
    registry = registry_2022()
    assert len(of_2022) == len(registry) == 96
    assert (of_2022["indicator_type"] == "PiN").sum() == sum(t == "PiN" for _c, t in registry.values()) == 38
    admin1 = ref["staging.ref_admin1"]
    admin1_2022 = admin1[admin1["cycle_year"] == 2022]
    assert len(admin1_2022) == 245   # columns F-H of sheet Admin1, rows 3-247
    assert sorted(admin1_2022.loc[admin1_2022["admin1"] == "Córdoba", "iso_code"]) == ["AR-X", "CO-COR"]
    organisations = ref["staging.ref_organisations"]
    assert (organisations["cycle_year"] == 2022).sum() == 301   # IDORG filled in column A


def test_every_2022_row_is_resolved_against_r4v_2022_registry(ingested_2022):
    """No row is indicator_not_in_registry unless R4V's 2022 registry lacks its (subsector,
    indicator) too; each row gets the registry's code and counts as reached exactly when its type
    is PiN."""
    registry = registry_2022()
    raw = five_w_2022()
    findings = ingested_2022.tables["meta.quality_findings"]
    not_found = set(findings.loc[findings["rule"] == "indicator_not_in_registry", "row_number"])
    assert not_found == {r["_row"] for r in raw if (r["Subsector"], r["Indicator"]) not in registry}
    assert not_found == set()   # the registry has every pair the file reports
    staged = ingested_2022.tables["staging.stg_5w__activities"].set_index("source_row")
    for r in raw:
        code, kind = registry[(r["Subsector"], r["Indicator"])]
        assert (staged.loc[r["_row"], "indicator_code"], staged.loc[r["_row"], "indicator_type"]) == (code, kind)
        assert bool(staged.loc[r["_row"], "counts_as_reached"]) == (kind == "PiN")
    assert sum(kind == "PiN" for kind in (registry[(r["Subsector"], r["Indicator"])][1] for r in raw)) == 106


def test_the_2022_finding_of_an_admin1_spelled_otherwise_names_the_list_spelling(ingested_2022):
    findings = ingested_2022.tables["meta.quality_findings"]
    spelling = findings[findings["rule"] == "admin1_spelling_differs_from_reference"]
    raw = five_w_2022()
    garbled = {r["_row"] for r in raw if r["Admin1"] == "CÃ³rdoba"}
    assert len(garbled) == 4
    assert garbled <= set(spelling["row_number"])
    assert set(spelling.loc[spelling["row_number"].isin(garbled), "value"]) == {"Córdoba"}
    # spelled as the 2022 list spells it: no finding
    exact = {r["_row"] for r in raw if r["Admin1"] in ("Mendoza", "Ciudad Autonoma de Buenos Aires", "La Paz")}
    assert len(exact) == 45
    assert not exact & set(spelling["row_number"])
    # every finding is a row whose admin1 is not written as the list writes it
    admin1_list = {a for (_c, a) in _admin1_2022()}
    assert all(r["Admin1"] not in admin1_list for r in raw if r["_row"] in set(spelling["row_number"]))
    assert "'Córdoba'" in spelling["message"].iloc[0] and "CÃ³rdoba" not in spelling["message"].iloc[0]


def _admin1_2022() -> set[tuple[str, str]]:
    sheet = openpyxl.load_workbook(TEMPLATE_2022, read_only=True)["Admin1"]
    return {(r[5], r[7]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[5]}


@breaks("five_w", "admin1_spelling_differs_from_reference")
def test_an_admin1_found_only_after_normalisation_is_a_finding(reference_only):
    (reference_only / "partner").mkdir()
    # 2021 rows, Colombia: the 2021 list writes Arauca and Bolivar (without the accent)
    rows = [good_row(Indicator=_shelter_2021(), Admin1="Arauca"),        # row 2: as listed
            good_row(Indicator=_shelter_2021(), Admin1="ARAUCA"),        # row 3: capitals
            good_row(Indicator=_shelter_2021(), Admin1="BolÃ­var"),      # row 4: mojibake
            good_row(Indicator=_shelter_2021(), Admin1="Atlantis")]      # row 5: not listed at all
    write_5w(reference_only / "partner" / "5w.xlsx", rows)
    _result, rejects, findings = issues_of(reference_only)
    assert rejects.empty
    spelling = findings[findings["rule"] == "admin1_spelling_differs_from_reference"]
    assert spelling[["row_number", "column", "value"]].values.tolist() == [[3, "Admin1", "Arauca"], [4, "Admin1", "Bolivar"]]
    assert set(findings.loc[findings["row_number"] == 5, "rule"]) == {"admin1_not_in_list"}


def _shelter_2021() -> str:
    rows = list(openpyxl.load_workbook(RAW_DIR / "reference" / "rmrp_2021_ai_indicators.xlsx", read_only=True)
                .worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    return next(r[header.index("Indicator")] for r in rows[1:]
                if r[header.index("Sector...Subsector...WG")] == "Shelter" and r[header.index("Indicator_Type")] == "Pin")


# ----- which registry resolves which year -----------------------------------------------------

def test_each_year_has_its_own_registry_and_only_a_year_without_one_falls_back():
    loaded = [2021, 2022, 2023]
    assert registry_year_for(loaded, 2021) == (2021, True)
    assert registry_year_for(loaded, 2022) == (2022, True)
    assert registry_year_for(loaded, 2023) == (2023, True)
    assert registry_year_for(loaded, 2024) == (2023, True)    # RMRP 2023-2024: one plan, one registry
    assert registry_year_for(loaded, 2025) == (2023, False)   # none for 2025: the newest older one
    assert registry_year_for([2021, 2023], 2022) == (2021, False)
    assert registry_year_for(loaded, 2020) == (2021, False)
    assert registry_year_for([], 2022) == (None, False)


def test_the_same_text_resolves_to_each_year_own_code():
    """RE-ED1 (2021) became RE-E01 (2022): a text in both registries gets the code of the row's year."""
    text = "# of children enrolled in school"
    reference = ReferenceData(indicators=pd.DataFrame([
        {"cycle_year": 2021, "code": "RE-ED1", "subsector": "Education", "indicator": text, "indicator_type": "Pin"},
        {"cycle_year": 2022, "code": "RE-E01", "subsector": "Education", "indicator": text, "indicator_type": "PiN"},
        {"cycle_year": 2023, "code": "RE-E03", "subsector": "Education", "indicator": text,
         "indicator_type": "Direct Assistance"}]))
    pairs = pd.Series(["Education"]), pd.Series([text])
    for year, code in ((2021, "RE-ED1"), (2022, "RE-E01"), (2023, "RE-E03"), (2024, "RE-E03"), (2025, "RE-E03")):
        found = reference.resolve_indicator(*pairs, year)
        assert (found["indicator_code"].item(), bool(found["counts_as_reached"].item())) == (code, True), year


def test_the_run_summary_says_when_a_cycle_year_has_no_registry_of_its_own():
    con = duckdb.connect()
    warehouse.create_table(con, "staging.ref_indicators")
    for year in (2021, 2023):
        con.execute("INSERT INTO staging.ref_indicators (cycle_year, code, subsector, indicator, indicator_type) "
                    "VALUES (?, 'RE-X', 'Shelter', 'x', 'PiN')", [year])
    assert cycle_registry(con, "2021-H2") == [] and cycle_registry(con, "2024-H1") == []
    assert " ".join(cycle_registry(con, "2022-H1")).split() == (
        "Indicator registry: none of R4V's for 2022; its rows were resolved against the 2021 registry "
        "(which indicators count as people reached may differ)").split()

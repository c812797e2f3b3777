"""The R4V checks of what an indicator type must and must not carry (docs/r4v-checks.md):
People indicators of the 2021 registry (no population-type breakdown, age/gender adding up to the
new beneficiaries, some beneficiaries), Other indicators of 2021 and the output types of 2024
(no beneficiaries cells), Pin (2021) and Direct Assistance (2024) indicators (no quantity of output).

2021: real rows of R4V's 2021 export (data/raw), copied cell for cell into a partner file and
resolved against the real 2021 registry; each rule has a real row that breaks it and real rows of
the same type that do not. 2024: rows of the 2025 form dated 2024, with a small 2023-2024
registry written here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest

from rmrp_pipeline.quality.rules import message
from tests.conftest import FIVE_W_2021, INDICATORS_2021
from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, write_rows
from tests.sources.catalogue import breaks
from tests.sources.test_five_w_quality_rules import write_2025

NEW_RULES = {
    "people_type_population_breakdown", "people_type_age_gender_sum_mismatch", "people_type_no_beneficiaries",
    "beneficiaries_not_expected_for_type", "quantity_not_expected_for_type",
}
POPULATION_HEADERS = ["Refugees.and.Migrants.IN.DESTINATION", "Refugees.and.Migrants.IN.TRANSIT",
                      "Host.Communities.Beneficiaries", "Refugees.and.Migrants.PENDULARS", "Colombian.Returnees"]


#: The rows of R4V's 2021 export the tests copy are among its first HEAD_ROWS.
HEAD_ROWS = 300


@lru_cache(maxsize=1)
def _export_head() -> list[tuple]:
    """The first HEAD_ROWS rows of R4V's 2021 export, the header included (read up to there only)."""
    sheet = openpyxl.load_workbook(FIVE_W_2021, read_only=True).worksheets[0]
    return list(sheet.iter_rows(max_row=HEAD_ROWS, values_only=True))


def real_row(excel_row: int) -> dict:
    """Row ``excel_row`` (at most HEAD_ROWS) of R4V's 2021 export, header -> cell."""
    assert excel_row <= HEAD_ROWS
    rows = _export_head()
    assert list(rows[0]) == HEADERS
    return dict(zip(rows[0], rows[excel_row - 1]))


def found(raw_dir: Path) -> set[tuple]:
    _result, rejects, findings, _log = ingest(raw_dir)
    assert rejects.empty, rejects[["row_number", "column", "rule"]]
    return {(r.row_number, r.column, r.rule, r.value) for r in findings.itertuples() if r.rule in NEW_RULES}


def write_real_rows(raw_dir: Path, excel_rows: list[int]) -> None:
    write_rows(raw_dir / PARTNER_FILE, [real_row(n) for n in excel_rows])


# ---- 2021: People indicators --------------------------------------------------------------------

@breaks("five_w", "people_type_population_breakdown")
def test_people_indicator_with_a_population_type_breakdown(reference_only):
    """Export row 250 (Paraguay, Integration, '# of persons reached with social cohesion
    activities', type People): 250 new, 250 in destination, 125 women and 125 men above 18.
    Export row 28 (Ecuador, Education, teachers trained, People): 14 in total, no population type."""
    write_real_rows(reference_only, [250, 28])
    assert found(reference_only) == {(2, "Refugees.and.Migrants.IN.DESTINATION", "people_type_population_breakdown", "250")}


def test_people_breakdown_message_names_the_column_in_english_and_spanish(reference_only):
    write_real_rows(reference_only, [250])
    _result, _rejects, findings, _log = ingest(reference_only)
    finding = findings[findings["rule"] == "people_type_population_breakdown"].iloc[0]
    assert finding["message"].startswith("Row 2: Refugees.and.Migrants.IN.DESTINATION holds 250, but this indicator is of type People")
    spanish = message("people_type_population_breakdown", row=2, column=finding["column"], value=finding["value"], language="es")
    assert spanish.startswith("Fila 2: Refugees.and.Migrants.IN.DESTINATION contiene 250, pero este indicador es de tipo People")


@breaks("five_w", "people_type_age_gender_sum_mismatch", "people_type_no_beneficiaries")
def test_people_indicator_breakdown_by_age_and_gender_and_some_beneficiaries(reference_only):
    """Export row 156 (Ecuador, Education, teachers trained, People): 203 new, no age/gender cell
    filled (sum 0). Export row 18 (Colombia, Health, health workers trained, People): no
    beneficiaries at all. Export rows 28 and 250 (People, age/gender = new; 0 = 0 and 250 = 250) break neither."""
    write_real_rows(reference_only, [156, 18, 28, 250])
    got = {f for f in found(reference_only) if f[2] != "people_type_population_breakdown"}
    assert got == {
        (2, "New.beneficiaries.of.the.month", "people_type_age_gender_sum_mismatch", "0"),
        (3, "New.beneficiaries.of.the.month", "people_type_no_beneficiaries", "0"),
    }


def test_people_rules_of_2021_leave_pin_rows_to_the_pin_rules(reference_only):
    """Export row 8 (Brazil, Child Protection, type Pin, 10 new = 10 in destination = 4 + 6):
    none of the People or type rules apply."""
    write_real_rows(reference_only, [8])
    assert found(reference_only) == set()


# ---- what a type leaves empty --------------------------------------------------------------------

@breaks("five_w", "beneficiaries_not_expected_for_type")
def test_other_indicator_of_2021_with_beneficiaries(reference_only):
    """Export row 263 (Colombia, GBV, '# of initiatives implemented ...', type Other): 147 total and
    new, 10 + 2 + 133 + 2 by age and gender: each filled cell is a finding. Export row 27
    (Coordination meetings, Other, quantity 1, no people) is fine."""
    write_real_rows(reference_only, [263, 27])
    assert found(reference_only) == {
        (2, "Total.monthly.beneficiaries", "beneficiaries_not_expected_for_type", "147"),
        (2, "New.beneficiaries.of.the.month", "beneficiaries_not_expected_for_type", "147"),
        (2, "Women.under.18", "beneficiaries_not_expected_for_type", "10"),
        (2, "Men.under.18", "beneficiaries_not_expected_for_type", "2"),
        (2, "Women.above.18", "beneficiaries_not_expected_for_type", "133"),
        (2, "Men.above.18", "beneficiaries_not_expected_for_type", "2"),
    }


@breaks("five_w", "quantity_not_expected_for_type")
def test_pin_indicator_of_2021_with_a_quantity_of_output(reference_only):
    """Export row 33 (Colombia, Shelter, rental support, type Pin): quantity of output 2 beside
    9 new beneficiaries. Export row 8 (Pin, quantity 0) is fine."""
    write_real_rows(reference_only, [33, 8])
    assert found(reference_only) == {(2, "Quantity.of.unit.measured", "quantity_not_expected_for_type", "2")}


#: A small 2023-2024 registry (the columns of the submission template's Indicators2324): one
#: indicator of each type.
REGISTRY_2023 = [
    ("RE-E01", "Education", "# of children enrolled", "Direct Assistance", "Educación", "# de niños matriculados", "Asistencia directa"),
    ("RE-E06", "Education", "# of teachers trained", "Capacity building", "Educación", "# de docentes capacitados", "Capacitaciones"),
    ("RE-E04", "Education", "# schools supported", "Infrastructure", "Educación", "# escuelas apoyadas", "Infraestructura"),
    ("RE-E07", "Education", "# of campaigns", "Campaign", "Educación", "# de campañas", "Campaña"),
    ("RE-E08", "Education", "# of mechanisms", "Mechanism/Advocacy", "Educación", "# de mecanismos", "Mecanismo/Abogacía"),
]
ADULTS_10 = {"Refugees and Migrants IN DESTINATION": 10, "Women above 18": 5, "Men above 18": 5}
NO_PEOPLE = {"Total monthly beneficiaries": None, "New beneficiaries of the month": None,
             "Refugees and Migrants IN DESTINATION": None, "Women above 18": None, "Men above 18": None}


def form_row(indicator: str, month: str, **changes) -> dict:
    """A row of the 2025 form: UNHCR, Colombia / Arauca, Education, 10 adults new of 12."""
    values = {
        "Country Country": "Colombia", "Country Admin1": "Arauca",
        "Appealing organisation Name": "United Nations High Commissioner for Refugees (UNHCR)",
        "Implementation Set up": "No", "Month": month, "Indicator Sector": "Education",
        "Indicator Indicator": indicator, "Activity Name": "Activity", "RMRP Activity": "Yes", "CVA": "No",
        "Quantity of output": None, "Total monthly beneficiaries": 12, "New beneficiaries of the month": 10,
        **ADULTS_10,
    }
    values.update(changes)
    return values


def write_form(raw_dir: Path, rows: list[dict]) -> None:
    write_2025(raw_dir, rows, REGISTRY_2023)


def test_types_of_2024_that_leave_beneficiaries_cells_empty(reference_only):
    """ActivtityInfoQuality (2024): Campaign carries no population types nor age/gender; Capacity
    Building no population types; Infrastructure and Mechanism/Advocacy no total, population
    types nor age/gender. The same rows dated 2023 or 2025 are not checked (R4V's 2023 and 2025
    scripts have no such check)."""
    write_form(reference_only, [
        form_row("# of campaigns", "2024-03", **{"Quantity of output": 2}),                  # row 2: pop + AGD
        form_row("# of teachers trained", "2024-03"),                                        # row 3: pop only
        form_row("# schools supported", "2024-03", **{"Quantity of output": 1,
                                                    "New beneficiaries of the month": None}),  # row 4: total, pop, AGD
        form_row("# of mechanisms", "2024-03", **NO_PEOPLE, **{"Quantity of output": 1}),    # row 5: fine
        form_row("# of campaigns", "2023-03", **{"Quantity of output": 2}),                  # row 6: 2023: fine
        form_row("# schools supported", "2025-03", **{"Quantity of output": 1,
                                                    "New beneficiaries of the month": None}),  # row 7: 2025: fine
    ])
    cells = lambda row, *names: {(row, name, "beneficiaries_not_expected_for_type") for name in names}  # noqa: E731
    pop_agd = ("Refugees and Migrants IN DESTINATION", "Women above 18", "Men above 18")
    got = {(r, c, rule) for r, c, rule, _v in found(reference_only)}
    assert got == (cells(2, *pop_agd) | cells(3, "Refugees and Migrants IN DESTINATION")
                   | cells(4, "Total monthly beneficiaries", *pop_agd))


def test_direct_assistance_of_2024_with_a_quantity_of_output(reference_only):
    """ActivtityInfoQuality (2024): DirectAssistanceWithQuantityOfOutput (quantity > 0)."""
    write_form(reference_only, [
        form_row("# of children enrolled", "2024-03", **{"Quantity of output": 3}),   # row 2: breaks
        form_row("# of children enrolled", "2024-03", **{"Quantity of output": 0}),   # row 3: fine
        form_row("# of children enrolled", "2023-03", **{"Quantity of output": 3}),   # row 4: 2023: fine
    ])
    assert found(reference_only) == {(2, "Quantity of output", "quantity_not_expected_for_type", "3")}



@breaks("five_w", "direct_assistance_total_missing", "new_beneficiaries_missing")
def test_direct_assistance_from_2025_needs_both_new_and_total(reference_only):
    """monitoringQuality2025: Direct Assistance needs total monthly beneficiaries and new
    beneficiaries (0 accepted). A row with neither is no_beneficiaries, not these."""
    enrolled = "# of children enrolled"
    write_form(reference_only, [
        form_row(enrolled, "2025-03", **{"Total monthly beneficiaries": None}),          # row 2: total missing
        form_row(enrolled, "2025-03", **{"New beneficiaries of the month": None,
                                          "Refugees and Migrants IN DESTINATION": None,
                                          "Women above 18": None, "Men above 18": None}),  # row 3: new missing
        form_row(enrolled, "2025-03", **{"New beneficiaries of the month": 0,
                                          "Refugees and Migrants IN DESTINATION": 0,
                                          "Women above 18": 0, "Men above 18": 0}),        # row 4: 0 new of 12: fine
        form_row(enrolled, "2025-03"),                                                   # row 5: fine
        form_row(enrolled, "2024-03", **{"Total monthly beneficiaries": None}),          # row 6: 2024: not checked
    ])
    _result, rejects, findings, _log = ingest(reference_only)
    assert rejects.empty
    got = {(r.row_number, r.column, r.rule) for r in findings.itertuples()
           if r.rule in ("direct_assistance_total_missing", "new_beneficiaries_missing", "no_beneficiaries")}
    assert got == {(2, "Total monthly beneficiaries", "direct_assistance_total_missing"),
                   (3, "New beneficiaries of the month", "new_beneficiaries_missing")}


# ---- the real 2021 export -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def registry_types_2021() -> dict[tuple, str]:
    """(Sector...Subsector...WG, Indicator) -> Indicator_Type of each row of the 2021 registry, read with openpyxl."""
    registry = list(openpyxl.load_workbook(INDICATORS_2021, read_only=True).worksheets[0].iter_rows(values_only=True))
    head = registry[0]
    return {(r[head.index("Sector...Subsector...WG")], r[head.index("Indicator")]): r[head.index("Indicator_Type")]
            for r in registry[1:]}


def _people_rows_with_population_types(rows: tuple[tuple, ...]) -> tuple[int, int, int]:
    """(People rows, those with a population-type cell other than 0, such cells) of R4V's 2021
    export (``rows``: read with openpyxl), worked out in Python: the type of each row's exact (sector, indicator) pair in
    the 2021 registry, as R4V's script joins them."""
    kind = registry_types_2021()
    people = [dict(zip(rows[0], r)) for r in rows[1:] if kind.get((r[rows[0].index("Sector...Subsector...WG")],
                                                                    r[rows[0].index("Indicator")])) == "People"]
    cells = [sum(1 for h in POPULATION_HEADERS if r[h] not in (None, 0)) for r in people]
    return len(people), sum(1 for c in cells if c), sum(cells)


@pytest.mark.e2e
def test_people_rows_of_the_2021_export_with_a_population_breakdown_are_findings(wh, export_2021_rows):
    """R4V's 2021 export has 1,223 rows of People indicators; 186 of them carry population-type
    figures, in 338 cells: each cell is a finding, and the rows are loaded."""
    assert _people_rows_with_population_types(export_2021_rows) == (1223, 186, 338)
    rows, cells = wh.execute(
        "SELECT count(DISTINCT row_number), count(*) FROM meta.quality_findings "
        "WHERE rule = 'people_type_population_breakdown' AND source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'"
    ).fetchone()
    assert (rows, cells) == (186, 338)
    assert wh.execute("SELECT count(*) FROM meta.quality_findings WHERE rule = 'people_type_population_breakdown' "
                      "AND source_file NOT LIKE '%rmrp2021_5w_activities_jan-may.xlsx'").fetchone()[0] == 0
    loaded = wh.execute(
        "SELECT count(*) FROM marts.fct_activities a JOIN (SELECT DISTINCT source_file, sheet, row_number FROM meta.quality_findings "
        "WHERE rule = 'people_type_population_breakdown') f ON a.source_file = f.source_file AND a.source_sheet = f.sheet "
        "AND a.source_row = f.row_number"
    ).fetchone()[0]
    assert loaded == 186

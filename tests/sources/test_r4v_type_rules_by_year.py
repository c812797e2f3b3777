"""Which indicator types report a quantity of output and which report new beneficiaries, year by
year, as R4V's QA code says (docs/r4v-checks.md):

- quantity of output needed (``output_quantity_missing``): 2021 Other only (r4v_app
  ``Other.quantity.equal.0``); 2022 every type but PiN and Capacity Building, 2023-2024 every type
  but Direct Assistance and Capacity Building (``NoOutput``); from 2025 every type but Direct
  Assistance (monitoringQuality2025 ``QA_output``);
- quantity of output not expected (``quantity_not_expected_for_type``): 2021 Pin and People
  (r4v_app vignette chunk ``quantity``), 2024 Direct Assistance;
- new beneficiaries from 2025 (``QA_NewBeneficiariesMonth``): required for Direct Assistance and
  Capacity Building (``new_beneficiaries_missing``), left empty by every other type
  (``new_not_expected_for_type``).

2021: real rows of R4V's 2021 export, copied cell for cell, against the real 2021 registry.
2024-2025: rows of the 2025 form with a small 2023-2024 registry (one indicator of each type)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.messy.helpers import ingest
from tests.sources.catalogue import breaks
from tests.sources.test_r4v_type_rules import form_row, registry_types_2021, write_form, write_real_rows

RULES = {"output_quantity_missing", "quantity_not_expected_for_type", "new_not_expected_for_type",
         "new_beneficiaries_missing"}
QUANTITY_2021 = "Quantity.of.unit.measured"
NEW_2025 = "New beneficiaries of the month"
TEACHERS = "# of teachers trained"          # Capacity building in the registry written by write_form
CAMPAIGN = "# of campaigns"
ENROLLED = "# of children enrolled"         # Direct Assistance


def found(raw_dir: Path) -> set[tuple]:
    _result, rejects, findings, _log = ingest(raw_dir)
    assert rejects.empty, rejects[["row_number", "column", "rule"]]
    return {(r.row_number, r.column, r.rule, r.value) for r in findings.itertuples() if r.rule in RULES}


# ---- 2021: real rows of the export -----------------------------------------------------------------

@breaks("five_w", "quantity_not_expected_for_type")
def test_people_indicator_of_2021_with_a_quantity_of_output(reference_only):
    """Export rows 116 (UNHCR Colombia, '# of actors trained on Child Protection', type People:
    quantity 3 beside 35 total) and 143 (Save the Children, same indicator: quantity 10 and no
    beneficiaries) put their result in the quantity. Export row 28 (People, teachers trained,
    quantity 0, 14 in total) is fine, and is not asked for a quantity either."""
    write_real_rows(reference_only, [116, 143, 28])
    assert found(reference_only) == {
        (2, QUANTITY_2021, "quantity_not_expected_for_type", "3"),
        (3, QUANTITY_2021, "quantity_not_expected_for_type", "10"),
    }


@breaks("five_w", "output_quantity_missing")
def test_only_other_indicators_of_2021_need_a_quantity_of_output(reference_only):
    """Export row 3 (UNHCR Colombia, coordination meetings, type Other: quantity 0) breaks. Export
    row 27 (the same indicator, quantity 1) is fine; export rows 18 (People, health workers trained,
    nothing reported) and 250 (People, 250 new, quantity 0) are People rows: R4V asks them for
    beneficiaries, not for a quantity."""
    write_real_rows(reference_only, [3, 27, 18, 250])
    assert found(reference_only) == {(2, QUANTITY_2021, "output_quantity_missing", "0")}


def _quantity_by_type_2021(rows: tuple[tuple, ...]) -> Counter:
    """(type in the 2021 registry, quantity of output other than 0) -> rows of R4V's 2021 export
    (``rows``: read with openpyxl), worked out in Python: each row's exact (sector, indicator) pair, as R4V's script joins them."""
    kind = registry_types_2021()
    sector, indicator, quantity = (rows[0].index(h) for h in ("Sector...Subsector...WG", "Indicator", QUANTITY_2021))
    return Counter((kind.get((r[sector], r[indicator])), r[quantity] not in (None, 0)) for r in rows[1:])


def test_the_2021_export_by_indicator_type_and_quantity(export_2021_rows):
    """R4V's 2021 export: 3,106 Other rows (1,161 without a quantity), 1,223 People rows (186 with
    a quantity), 18,167 Pin rows (1,050 with a quantity); every row's pair is in the registry."""
    assert _quantity_by_type_2021(export_2021_rows) == Counter({
        ("Other", False): 1161, ("Other", True): 1945, ("People", False): 1037, ("People", True): 186,
        ("Pin", False): 17117, ("Pin", True): 1050,
    })


def test_findings_of_the_2021_export_on_the_quantity_of_output(wh, export_2021_rows):
    """On the real 2021 export: one output_quantity_missing per Other row without a quantity
    (1,161; no People row), one quantity_not_expected_for_type per Pin or People row with a
    quantity (1,050 + 186 = 1,236), counted above from the file."""
    by_type = _quantity_by_type_2021(export_2021_rows)
    got = dict(wh.execute(
        "SELECT rule || ' ' || a.indicator_type, count(*) FROM meta.quality_findings f JOIN marts.fct_activities a "
        "ON a.source_file = f.source_file AND a.source_sheet = f.sheet AND a.source_row = f.row_number "
        "WHERE f.rule IN ('output_quantity_missing', 'quantity_not_expected_for_type') "
        "AND f.source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx' GROUP BY ALL").fetchall())
    assert got == {
        "output_quantity_missing Other": by_type[("Other", False)],
        "quantity_not_expected_for_type Pin": by_type[("Pin", True)],
        "quantity_not_expected_for_type People": by_type[("People", True)],
    } == {"output_quantity_missing Other": 1161, "quantity_not_expected_for_type Pin": 1050,
          "quantity_not_expected_for_type People": 186}


# ---- 2024-2025: the 2025 form ----------------------------------------------------------------------

def test_capacity_building_needs_a_quantity_of_output_from_2025(reference_only):
    """QA_output (2025): every type but Direct Assistance with quantity 0 is an error, Capacity
    Building included; R4V's 2022-2024 NoOutput leaves Capacity Building out."""
    write_form(reference_only, [
        form_row(TEACHERS, "2025-03", **{"Quantity of output": 0}),    # row 2: breaks
        form_row(TEACHERS, "2025-03", **{"Quantity of output": 2}),    # row 3: fine
        form_row(TEACHERS, "2024-03", **{"Quantity of output": 0}),    # row 4: 2024: not asked
        form_row(ENROLLED, "2025-03"),                                 # row 5: Direct Assistance: not asked
        form_row(CAMPAIGN, "2024-03", **{NEW_2025: None}),             # row 6: Campaign 2024, no quantity: breaks
    ])
    got = {(r, c, rule) for r, c, rule, _v in found(reference_only)}
    assert got == {(2, "Quantity of output", "output_quantity_missing"),
                   (6, "Quantity of output", "output_quantity_missing")}


def test_capacity_building_reports_new_beneficiaries_from_2025(reference_only):
    """QA_NewBeneficiariesMonth (2025): Capacity Building needs new beneficiaries (0 accepted),
    whatever its total; every type but it and Direct Assistance leaves them empty."""
    trainers = {"Quantity of output": 2}
    write_form(reference_only, [
        form_row(TEACHERS, "2025-03", **trainers, **{NEW_2025: None}),                       # row 2: new missing
        form_row(TEACHERS, "2025-03", **trainers, **{NEW_2025: None,
                                                     "Total monthly beneficiaries": None}),  # row 3: new missing too
        form_row(TEACHERS, "2025-03", **trainers),                                           # row 4: 10 new: fine
        form_row(TEACHERS, "2025-03", **trainers, **{NEW_2025: 0}),                          # row 5: 0 new: fine
        form_row(TEACHERS, "2024-03", **trainers, **{NEW_2025: None}),                       # row 6: 2024: not checked
        form_row(CAMPAIGN, "2025-03", **trainers),                                           # row 7: Campaign with new
    ])
    got = {(r, c, rule) for r, c, rule, _v in found(reference_only)}
    assert got == {(2, NEW_2025, "new_beneficiaries_missing"), (3, NEW_2025, "new_beneficiaries_missing"),
                   (7, NEW_2025, "new_not_expected_for_type")}

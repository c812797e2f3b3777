"""The 5W quality rules of docs/domain.md §3.3 that depend on CVA, the sector and the indicator type.

Each rule gets one generated row that breaks it and one that does not; the finding is asserted
by rule, Excel row and the file's own column header. 2021 rows use the 2021 export's headers and
the real 2021 registry; 2023 and 2025 rows use the 2025 ActivityInfo form's headers and a small
2023-2024 registry written here (its columns as in the submission template's Indicators2324)."""

from __future__ import annotations

import pytest

import shutil
from pathlib import Path

import openpyxl

from tests.conftest import INDICATORS_2021, RAW_DIR
from tests.messy.helpers import PARTNER_FILE, ingest, row, write_rows
from tests.sources.catalogue import breaks

NEW_RULES = {
    "mpc_without_cva_yes", "cva_no_value_given", "cva_no_mechanism_given", "capacity_building_no_total",
    "output_quantity_missing", "new_not_expected_for_type", "under_18_missing",
}
MPC_2021 = "# of individuals benefitting from multipurpose cash transfers (MPC)"          # Pin in 2021
SHELTER_OTHER_2021 = "# of temporary collective shelter solutions improved or established complying with agreed standards and guidelines"


def found(raw_dir: Path) -> set[tuple[int, str, str]]:
    _result, rejects, findings, _log = ingest(raw_dir)
    assert rejects.empty, rejects[["row_number", "column", "rule"]]
    return {(r.row_number, r.column, r.rule) for r in findings.itertuples() if r.rule in NEW_RULES}


def partner(raw_dir: Path) -> Path:
    return raw_dir / PARTNER_FILE


# ---- 2021 (template 5w_2021, real 2021 registry) ---------------------------------------------

@breaks("five_w", "mpc_without_cva_yes")
def test_mpc_sector_needs_cva_yes_2021_name_through_the_sector_aliases(reference_only):
    cash = {"Sector...Subsector...WG": "Multipurpose CBI", "Indicator": MPC_2021}
    write_rows(partner(reference_only), [
        row(**cash, CVA="No"),                                                            # row 2: breaks
        row(**cash, CVA="Yes", **{"Value.of.Transfer.in.USD": 300, "Delivery.Mechanism": "Vouchers"}),  # row 3
    ])
    assert found(reference_only) == {(2, "CVA", "mpc_without_cva_yes")}


@breaks("five_w", "cva_no_value_given", "cva_no_mechanism_given")
def test_cva_no_with_a_value_or_a_mechanism(reference_only):
    write_rows(partner(reference_only), [
        row(**{"Value.of.Transfer.in.USD": 50}),                 # row 2: value given with CVA = No
        row(**{"Delivery.Mechanism": "Vouchers"}),               # row 3: mechanism given with CVA = No
        row(**{"Value.of.Transfer.in.USD": 0}),                  # row 4: 0 is no transfer: fine
        row(),                                                   # row 5: both empty: fine
    ])
    assert found(reference_only) == {
        (2, "Value.of.Transfer.in.USD", "cva_no_value_given"),
        (3, "Delivery.Mechanism", "cva_no_mechanism_given"),
    }


@breaks("five_w", "output_quantity_missing")
def test_other_indicator_type_2021_needs_a_quantity_of_output(reference_only):
    output = {"Indicator": SHELTER_OTHER_2021}
    write_rows(partner(reference_only), [
        row(**output, **{"Quantity.of.unit.measured": 0}),       # row 2: breaks
        row(**output, **{"Quantity.of.unit.measured": 4}),       # row 3: fine
        row(**{"Quantity.of.unit.measured": 0}),                 # row 4: a Pin indicator: not concerned
    ])
    assert found(reference_only) == {(2, "Quantity.of.unit.measured", "output_quantity_missing")}


# ---- 2023 / 2025 (the 2025 form, a 2023-2024 registry) ----------------------------------------

FORM_2025 = RAW_DIR / "monitoring_5w" / "template_5w_2025_empty.xlsx"
HEADERS_2025 = [h for h in next(openpyxl.load_workbook(FORM_2025, read_only=True).worksheets[0].iter_rows(values_only=True)) if h]
REGISTRY_HEADERS = ["CODE", "Sector/Subsector/WG", "Indicator", "Indicator Type", "Sector (SP)", "Indicador (SP)", "Tipo de indicador"]
REGISTRY_2023 = [
    ("RE-E01", "Education", "# of children enrolled", "Direct Assistance", "Educación", "# de niños matriculados", "Asistencia directa"),
    ("RE-E06", "Education", "# of teachers trained", "Capacity building", "Educación", "# de docentes capacitados", "Capacitaciones"),
    ("RE-E04", "Education", "# schools supported", "Infrastructure", "Educación", "# escuelas apoyadas", "Infraestructura"),
    ("RE-CP1", "Protection (Child Protection)", "# of children assisted", "Direct Assistance",
     "Protección (Protección de la Infancia)", "# de niños asistidos", "Asistencia directa"),
]


def row_2025(**changes) -> dict:
    """A valid row of the 2025 form: UNHCR, Colombia / Arauca, Education, Direct Assistance,
    10 new of 12 persons, 4 of them under 18."""
    values = {
        "Country Country": "Colombia", "Country Admin1": "Arauca",
        "Appealing organisation Name": "United Nations High Commissioner for Refugees (UNHCR)",
        "Implementation Set up": "No", "Month": "2025-03", "Indicator Sector": "Education",
        "Indicator Indicator": "# of children enrolled", "Activity Name": "School", "RMRP Activity": "Yes",
        "CVA": "No", "Quantity of output": 0, "Total monthly beneficiaries": 12, "New beneficiaries of the month": 10,
        "Refugees and Migrants IN DESTINATION": 10, "Refugees and Migrants IN TRANSIT": 0,
        "Host Communities Beneficiaries": 0, "Refugees and Migrants PENDULARS": 0, "Colombian Returnees": 0,
        "Women under 18": 2, "Men under 18": 2, "Women above 18": 3, "Men above 18": 3,
        "Other under 18": 0, "Other above 18": 0,
    }
    values.update(changes)
    return values


def write_2025(raw_dir: Path, rows: list[dict], indicators: list[tuple] = REGISTRY_2023) -> None:
    """``rows`` in the 2025 form as the partner file, beside a 2023-2024 registry of ``indicators``."""
    registry = openpyxl.Workbook()
    registry.active.title = "Indicators2324"
    registry.active.append(REGISTRY_HEADERS)
    for entry in indicators:
        registry.active.append(list(entry))
    registry.save(raw_dir / "reference" / "indicators_2324.xlsx")
    path = partner(raw_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.append(HEADERS_2025)
    for values in rows:
        book.active.append([values.get(h) for h in HEADERS_2025])
    book.save(path)


TEACHERS = {"Indicator Indicator": "# of teachers trained", "New beneficiaries of the month": None,
            "Refugees and Migrants IN DESTINATION": None, "Women under 18": None, "Men under 18": None,
            "Women above 18": None, "Men above 18": None}
SCHOOLS = {**TEACHERS, "Indicator Indicator": "# schools supported", "Total monthly beneficiaries": None}


@breaks("five_w", "capacity_building_no_total")
def test_capacity_building_needs_total_monthly(reference_only):
    write_2025(reference_only, [
        row_2025(**TEACHERS, **{"Total monthly beneficiaries": 0, "Quantity of output": 2}),    # row 2: breaks (registry writes 'Capacity building')
        row_2025(**TEACHERS, **{"Total monthly beneficiaries": 25, "Quantity of output": 2}),   # row 3: fine
    ])
    assert found(reference_only) == {(2, "Total monthly beneficiaries", "capacity_building_no_total")}


def test_infrastructure_needs_a_quantity_of_output(reference_only):
    write_2025(reference_only, [
        row_2025(**SCHOOLS, **{"Quantity of output": None}),   # row 2: breaks
        row_2025(**SCHOOLS, **{"Quantity of output": 3}),      # row 3: fine
    ])
    assert found(reference_only) == {(2, "Quantity of output", "output_quantity_missing")}


@breaks("five_w", "new_not_expected_for_type")
def test_new_beneficiaries_only_for_direct_assistance_from_2025(reference_only):
    write_2025(reference_only, [
        row_2025(**{**SCHOOLS, "Quantity of output": 3, "New beneficiaries of the month": 5}),  # row 2: breaks
        row_2025(**{**SCHOOLS, "Quantity of output": 3}),                                     # row 3: fine (empty)
        row_2025(**{**SCHOOLS, "Quantity of output": 3, "New beneficiaries of the month": 5,
                    "Month": "2023-03"}),                                                     # row 4: 2023: no such rule
    ])
    assert found(reference_only) == {(2, "New beneficiaries of the month", "new_not_expected_for_type")}


@breaks("five_w", "under_18_missing")
def test_education_and_child_protection_direct_assistance_need_someone_under_18(reference_only):
    adults = {"Women under 18": 0, "Men under 18": 0, "Women above 18": 5, "Men above 18": 5}
    protection = {"Indicator Sector": "Protection (Child Protection)", "Indicator Indicator": "# of children assisted"}
    write_2025(reference_only, [
        row_2025(**adults),                                     # row 2: breaks (Education)
        row_2025(**adults, **protection),                       # row 3: breaks (Child Protection)
        row_2025(),                                             # row 4: fine: 4 under 18
        row_2025(**adults, Month="2024-03"),                    # row 5: 2024: no such rule
    ])
    assert found(reference_only) == {
        (2, "Women under 18", "under_18_missing"),
        (3, "Women under 18", "under_18_missing"),
    }


@breaks("five_w", "indicator_not_in_registry")
def test_pair_not_in_the_registry_is_a_finding(reference_only):
    write_2025(reference_only, [
        row_2025(**{"Indicator Indicator": "# of teachers trained", "Indicator Sector": "Shelter"}),  # row 2: breaks
        row_2025(),                                                                               # row 3: fine
    ])
    _result, _rejects, findings, _log = ingest(reference_only)
    got = {(r.row_number, r.column, r.rule) for r in findings.itertuples() if r.rule == "indicator_not_in_registry"}
    assert got == {(2, "Indicator Indicator", "indicator_not_in_registry")}


# ---- outliers against the organisation's own history ------------------------------------------

@breaks("five_w", "outlier_organisation_history")
def test_outlier_against_the_organisations_history(reference_only):
    """Shelter, UNHCR, Colombia: new beneficiaries 10, 12, 8, 9 and 500. For the 500 row the other
    rows' median is (9 + 10) / 2 = 9.5: 500 > 95 and 500 - 9.5 >= 100, an outlier. For the 12 row
    the others are 8, 9, 10, 500: median 9.5, and 12 is not above 95."""
    def people(n: int) -> dict:
        return row(**{"Total.monthly.beneficiaries": n, "New.beneficiaries.of.the.month": n,
                      "Refugees.and.Migrants.IN.DESTINATION": n, "Women.under.18": n, "Men.under.18": 0,
                      "Women.above.18": 0, "Men.above.18": 0})
    write_rows(partner(reference_only), [people(10), people(12), people(8), people(9), people(500)])
    _result, _rejects, findings, _log = ingest(reference_only)
    got = {(r.row_number, r.column, r.rule, r.value) for r in findings.itertuples() if r.rule == "outlier_organisation_history"}
    assert got == {(6, "New.beneficiaries.of.the.month", "outlier_organisation_history", "500")}


def test_the_history_is_the_subsectors_whatever_its_spelling(reference_only):
    """The same history as above with the 500 row written 'SHELTER' and one row 'Alojamiento'
    (Spanish): one subsector, so the outlier is still found."""
    def people(n: int, **changes) -> dict:
        return row(**{"Total.monthly.beneficiaries": n, "New.beneficiaries.of.the.month": n,
                      "Refugees.and.Migrants.IN.DESTINATION": n, "Women.under.18": n, "Men.under.18": 0,
                      "Women.above.18": 0, "Men.above.18": 0, **changes})
    write_rows(partner(reference_only), [people(10), people(12, **{"Sector...Subsector...WG": "Alojamiento"}),
                                         people(8), people(9), people(500, **{"Sector...Subsector...WG": "SHELTER"})])
    _result, _rejects, findings, _log = ingest(reference_only)
    assert {(r.row_number, r.rule) for r in findings.itertuples() if r.rule.startswith("outlier")} == {(6, "outlier_organisation_history")}


@breaks("five_w", "subsector_not_r4v")
def test_a_subsector_that_is_no_r4v_sector_is_said_so(reference_only):
    write_rows(partner(reference_only), [row(**{"Sector...Subsector...WG": "Sheltr"}), row()])
    _result, _rejects, findings, _log = ingest(reference_only)
    got = {(r.row_number, r.column, r.rule, r.value) for r in findings.itertuples() if r.rule == "subsector_not_r4v"}
    assert got == {(2, "Sector...Subsector...WG", "subsector_not_r4v", "Sheltr")}


@pytest.mark.e2e
def test_outlier_in_the_2021_export_trafficking_and_smuggling(tmp_path):
    """IOM in Peru, Protection (Human Trafficking & Smuggling), people-reached (Pin) indicators:
    export rows 12190, 13793 and 2322 report 0 new beneficiaries, row 4128 reports 127,938 (the
    whole country, January 2021): the median of its other rows is 0, so it is the one outlier of
    the subsector in the whole export."""
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "reference", raw / "reference")
    (raw / "monitoring_5w").mkdir()
    shutil.copy(RAW_DIR / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx", raw / "monitoring_5w")
    from rmrp_pipeline.ingest import ingest_raw_folder

    result = ingest_raw_folder(raw)
    findings = result.tables["meta.quality_findings"]
    staged = result.tables["staging.stg_5w__activities"]
    trafficking_rows = set(staged.loc[staged["subsector"].str.contains("Trafficking", na=False), "source_row"])
    outliers = findings[(findings["rule"] == "outlier_organisation_history") & findings["row_number"].isin(trafficking_rows)]
    assert outliers[["row_number", "column", "value"]].values.tolist() == [[4128, "New.beneficiaries.of.the.month", "127938"]]


# ---- outliers against the sector's PiN (RMRP 2022 PiN table, the real file) -------------------

PIN_TABLE = RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx"


def _pin_2022(country: str, admin1: str, subsector: str) -> int:
    """'PiN Total' of a row of the real RMRP 2022 PiN table, read here with openpyxl."""
    rows = openpyxl.load_workbook(PIN_TABLE, read_only=True)["PiN 2022"].iter_rows(values_only=True)
    header = next(rows)
    at = {name: header.index(name) for name in ("PiN Country", "PiN Admin1", "Subsector", "PiN Total")}
    for r in rows:
        if (r[at["PiN Country"]], r[at["PiN Admin1"]], r[at["Subsector"]]) == (country, admin1, subsector):
            return int(r[at["PiN Total"]])
    raise AssertionError((country, admin1, subsector))


def _persons(n: int, **changes) -> dict:
    """A Shelter Pin row with ``n`` new (and total) beneficiaries, breakdowns that add up."""
    return row(**{"Total.monthly.beneficiaries": n, "New.beneficiaries.of.the.month": n,
                  "Refugees.and.Migrants.IN.DESTINATION": n, "Women.under.18": 0, "Men.under.18": 0,
                  "Women.above.18": n, "Men.above.18": 0, **changes})


@breaks("five_w", "outlier_above_pin")
def test_outlier_above_the_sectors_pin_for_the_admin1(reference_only):
    """RMRP 2022 PiN (the real table, read here with openpyxl). Colombia, Arauca, Shelter: a 2022 row
    of one person more than the admin1's PiN is a finding, a row of exactly the PiN is not, and a 2021
    row of the same size is not checked (R4V's PiN tables start in 2022). Panama has only a Country
    level PiN: it stands for the whole country. Colombia's Humanitarian Transportation PiN is 0 in
    every department and held at Country level (docs/domain.md §2.3): a department's 0 is not a maximum,
    the country's figure is."""
    shutil.copy(PIN_TABLE, reference_only / "rmrp2022_pin.xlsx")
    arauca = _pin_2022("Colombia", "Arauca", "Shelter")
    panama = _pin_2022("Panama", "Country level", "Shelter")
    transport_arauca = _pin_2022("Colombia", "Arauca", "Humanitarian Transportation")
    transport = _pin_2022("Colombia", "Country level", "Humanitarian Transportation")
    assert (transport_arauca, transport) == (0, 445_205)
    ht = {"Sector...Subsector...WG": "Humanitarian Transportation", "Indicator": _pin_indicator("Humanitarian Transportation")}
    write_rows(partner(reference_only), [
        _persons(arauca + 1, **{"Reporting.Month": "2022-03"}),                       # row 2: above
        _persons(arauca, **{"Reporting.Month": "2022-03"}),                           # row 3: equal: fine
        _persons(arauca + 1),                                                         # row 4: 2021: no PiN
        _persons(panama + 1, Country="Panama", Admin1="Panamá", **{"Reporting.Month": "2022-04"}),  # row 5
        _persons(5, **ht, **{"Reporting.Month": "2022-04"}),                          # row 6: department PiN 0: fine
        _persons(transport + 1, **ht, **{"Reporting.Month": "2022-04"}),              # row 7: above the country's
    ])
    _result, _rejects, findings, _log = ingest(reference_only)
    got = {(r.row_number, r.column, r.value) for r in findings.itertuples() if r.rule == "outlier_above_pin"}
    assert got == {(2, "New.beneficiaries.of.the.month", f"{arauca + 1} (PiN {arauca}, admin1)"),
                   (5, "New.beneficiaries.of.the.month", f"{panama + 1} (PiN {panama}, Country level)"),
                   (7, "New.beneficiaries.of.the.month", f"{transport + 1} (PiN {transport}, Country level)")}
    message = findings.loc[findings["rule"] == "outlier_above_pin", "message"].iloc[0]
    assert message.startswith("Row 2: ") and "people in need (PiN)" in message


def _pin_indicator(subsector: str) -> str:
    """An indicator of type Pin of ``subsector`` in the real 2021 registry."""
    rows = openpyxl.load_workbook(INDICATORS_2021, read_only=True).worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    for r in rows:
        if r[header.index("Sector...Subsector...WG")] == subsector and r[header.index("Indicator_Type")] == "Pin":
            return r[header.index("Indicator")]
    raise AssertionError(subsector)

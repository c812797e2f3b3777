"""5W staging and rules on small workbooks generated here (2021 template headers)."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import openpyxl
import pytest

from rmrp_pipeline.cycles import cycle_window, cycles_in
from rmrp_pipeline.ingest import ingest_raw_folder
from tests.conftest import FIVE_W_2021
from tests.sources.catalogue import breaks

HEADERS = next(openpyxl.load_workbook(FIVE_W_2021, read_only=True).worksheets[0].iter_rows(values_only=True))


def good_row(**changes):
    """A valid 2021 row: UNHCR, Colombia / Arauca, Shelter, a Pin indicator, 10 new persons."""
    row = {
        "Appealing.Organization.Name": "United Nations High Commissioner for Refugees (UNHCR)",
        "Implementation.Set.up": "No",
        "Implementing.partner.Name": None,
        "Reporting.Month": "2021-03",
        "Sector...Subsector...WG": "Shelter",
        "Indicator": None,
        "Activity.name": "Shelter",
        "Activity.description": "x",
        "COVID.19.situation": "No",
        "RMRP.Activity": "Yes",
        "Support.Space.activity": "No",
        "CVA": "No",
        "Value.of.Transfer.in.USD": None,
        "Delivery.Mechanism": None,
        "Country": "Colombia",
        "Admin1": "Arauca",
        "Quantity.of.unit.measured": 0,
        "Total.monthly.beneficiaries": 12,
        "New.beneficiaries.of.the.month": 10,
        "Refugees.and.Migrants.IN.DESTINATION": 10,
        "Refugees.and.Migrants.IN.TRANSIT": 0,
        "Host.Communities.Beneficiaries": 0,
        "Refugees.and.Migrants.PENDULARS": 0,
        "Colombian.Returnees": 0,
        "Women.under.18": 2,
        "Men.under.18": 2,
        "Women.above.18": 3,
        "Men.above.18": 3,
    }
    row.update(changes)
    return row


@pytest.fixture()
def shelter_indicator():
    book = openpyxl.load_workbook(FIVE_W_2021.parent.parent / "reference" / "rmrp_2021_ai_indicators.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("Sector...Subsector...WG")] == "Shelter" and r[header.index("Indicator_Type")] == "Pin":
            return r[header.index("Indicator")]
    raise AssertionError("no Pin indicator for Shelter in the 2021 registry")


def write_5w(path, rows, *, first_row=1):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for offset, values in enumerate([list(HEADERS)] + [[r[h] for h in HEADERS] for r in rows]):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=first_row + offset, column=column, value=value)
    book.save(path)


def issues_of(raw_dir):
    result = ingest_raw_folder(raw_dir)
    rejects = result.tables["meta.rejected_rows"]
    findings = result.tables["meta.quality_findings"]
    mine = lambda f: f[f["source_file"] == "partner/5w.xlsx"]  # noqa: E731
    return result, mine(rejects), mine(findings)


@breaks("five_w",
        "count_negative", "number_unreadable", "month_unreadable", "country_not_r4v", "count_not_whole",
        "yes_no_unreadable")
def test_each_unreadable_value_is_a_reject_naming_its_cell(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    rows = [
        good_row(Indicator=shelter_indicator),                                        # row 2: fine
        good_row(Indicator=shelter_indicator, **{"New.beneficiaries.of.the.month": -3}),  # row 3
        good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": "12 personas"}),  # row 4
        good_row(Indicator=shelter_indicator, **{"Reporting.Month": "2021-13"}),       # row 5
        good_row(Indicator=shelter_indicator, Country="Venezuela"),                  # row 6
        good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": 12.5}),  # row 7
        good_row(Indicator=shelter_indicator, CVA="maybe"),                          # row 8
    ]
    write_5w(reference_only / "partner" / "5w.xlsx", rows)
    result, rejects, findings = issues_of(reference_only)
    got = {(r.row_number, r.column, r.rule) for r in rejects.itertuples()}
    assert got == {
        (3, "New.beneficiaries.of.the.month", "count_negative"),
        (4, "Total.monthly.beneficiaries", "number_unreadable"),
        (5, "Reporting.Month", "month_unreadable"),
        (6, "Country", "country_not_r4v"),
        (7, "Total.monthly.beneficiaries", "count_not_whole"),
        (8, "CVA", "yes_no_unreadable"),
    }
    assert all("Row" in m for m in rejects["message"])
    staged = result.tables["staging.stg_5w__activities"]
    staged = staged[staged["source_file"] == "partner/5w.xlsx"]
    assert staged["is_rejected"].tolist() == [False, True, True, True, True, True, True]
    # The text cell is never turned into a number, and the good row keeps its figures.
    assert staged.loc[staged["source_row"] == 2, "new_beneficiaries"].item() == 10
    assert findings.empty


@breaks("five_w",
        "population_types_sum_mismatch", "breakdown_not_whole", "new_above_total", "admin1_not_in_list",
        "implementing_partner_missing")
def test_breakdown_problems_are_findings_and_the_row_is_loaded(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    rows = [
        good_row(Indicator=shelter_indicator, **{"Refugees.and.Migrants.IN.DESTINATION": 7}),  # row 2: 7 != 10
        good_row(Indicator=shelter_indicator, **{"Women.above.18": 3.5, "Men.above.18": 2.5}),  # row 3
        good_row(Indicator=shelter_indicator, **{"New.beneficiaries.of.the.month": 20, "Refugees.and.Migrants.IN.DESTINATION": 20,
                                                 "Women.above.18": 13}),  # row 4: new 20 > total 12
        good_row(Indicator=shelter_indicator, Admin1="Atlantis", **{"Implementation.Set.up": "Yes"}),  # row 5
    ]
    write_5w(reference_only / "partner" / "5w.xlsx", rows)
    result, rejects, findings = issues_of(reference_only)
    assert rejects.empty
    got = {(r.row_number, r.rule) for r in findings.itertuples()}
    assert got == {
        (2, "population_types_sum_mismatch"),
        (3, "breakdown_not_whole"),
        (4, "new_above_total"),
        (5, "admin1_not_in_list"),
        (5, "implementing_partner_missing"),
    }
    value = findings.loc[findings["rule"] == "population_types_sum_mismatch", "value"].item()
    assert value == "7"


def test_rows_below_empty_rows_keep_their_excel_row_numbers(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    rows = [good_row(Indicator=shelter_indicator), good_row(Indicator=shelter_indicator, Country="Narnia")]
    write_5w(reference_only / "partner" / "5w.xlsx", rows, first_row=4)
    _result, rejects, _findings = issues_of(reference_only)
    assert rejects[["row_number", "column", "rule"]].values.tolist() == [[6, "Country", "country_not_r4v"]]


def test_text_late_in_a_number_column_is_a_reject_not_a_lost_row(reference_only, shelter_indicator):
    """fastexcel guesses types from the first 1,000 rows by default; text at row 1,502 must
    still be seen (as a reject), not become an empty cell."""
    (reference_only / "partner").mkdir()
    rows = [good_row(Indicator=shelter_indicator) for _ in range(1500)]
    rows.append(good_row(Indicator=shelter_indicator, **{"New.beneficiaries.of.the.month": "diez"}))
    write_5w(reference_only / "partner" / "5w.xlsx", rows)
    result, rejects, _findings = issues_of(reference_only)
    assert rejects[["row_number", "rule"]].values.tolist() == [[1502, "number_unreadable"]]
    log = result.tables["raw.source_files"]
    assert log.loc[log["source_file"] == "partner/5w.xlsx", "rows_read"].item() == 1501


@pytest.mark.e2e
def test_unknown_broken_empty_and_copied_files_are_reported_and_neither_stop_nor_double_the_others(reference_only, tmp_path):
    """One run over the bundled reference lists and 2021 export plus an unrelated workbook, a
    broken one, an empty one and a byte-identical copy of the 2021 export: each is reported, the
    real rows load once."""
    from rmrp_pipeline.cli import run_pipeline

    raw = reference_only
    (raw / "monitoring_5w").mkdir()
    shutil.copy(FIVE_W_2021, raw / "monitoring_5w" / FIVE_W_2021.name)
    book = openpyxl.Workbook()
    book.active.append(["Nombre", "Edad"])
    book.active.append(["x", 3])
    book.save(raw / "unrelated.xlsx")
    (raw / "broken.xlsx").write_bytes(b"this is not a workbook")
    copy = raw / "messy" / "copy_of_export.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(FIVE_W_2021.read_bytes())
    (raw / "empty.xlsx").write_bytes(b"")
    warehouse = tmp_path / "w.duckdb"
    ok, _cycles = run_pipeline(str(raw), str(warehouse), quiet=True)
    assert ok
    with duckdb.connect(str(warehouse), read_only=True) as con:
        log = {f: (st, m) for f, st, m in con.execute("SELECT source_file, status, message FROM meta.load_log").fetchall()}
        loaded = con.execute(
            "SELECT count(*) FROM marts.fct_activities WHERE source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx' "
            "OR source_file LIKE '%copy_of_export.xlsx'"
        ).fetchone()[0]
        colombia = con.execute(
            "SELECT consolidated_total FROM marts.people_reached_monthly "
            "WHERE country = 'Colombia' AND subsector = 'Shelter' AND month = DATE '2021-05-01' AND level = 'country'"
        ).fetchone()[0]
    assert log["unrelated.xlsx"][0] == "unknown_file"
    assert log["broken.xlsx"][0] == "unreadable"
    copies = ["messy/copy_of_export.xlsx", "monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx"]
    statuses = sorted(log[c][0] for c in copies)
    assert statuses == ["duplicate_file", "recognised"]
    duplicate, original = sorted(copies, key=lambda c: log[c][0] != "duplicate_file")
    assert original in log[duplicate][1]
    assert log["empty.xlsx"] == ("unreadable", "empty.xlsx is empty (0 bytes)")
    assert loaded == 22_496
    assert colombia == 95_319


@pytest.mark.parametrize(("cycle", "start", "end"), [
    ("2021-H1", dt.date(2021, 1, 1), dt.date(2021, 7, 1)),
    ("2021-H2", dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
])
def test_cycle_windows(cycle, start, end):
    assert cycle_window(cycle) == (start, end)


def test_cycle_keys_are_checked():
    with pytest.raises(ValueError):
        cycle_window("2021-Q3")


def test_cycles_found_in_the_data():
    import pandas as pd

    frame = pd.DataFrame({
        "month": [dt.date(2021, 5, 1), dt.date(2022, 8, 1), dt.date(2023, 2, 1)],
        "is_rejected": [False, False, True],
    })
    assert cycles_in(frame) == ["2021-H1", "2022-H2"]


# ---- inputs found by breaking the pipeline with messy files (each kind, not one cell) ----

@breaks("five_w", "number_unreadable", "number_ambiguous")
@pytest.mark.parametrize(("typed", "rule"), [
    ("inf", "number_unreadable"),
    ("Infinity", "number_unreadable"),
    ("NaN", "number_unreadable"),
    ("1e3", "number_unreadable"),
    ("−5", "number_unreadable"),        # Unicode minus
    ("1.000", "number_ambiguous"),      # one thousand or one? the file is English, the partner may not be
    ("12,5", "number_ambiguous"),        # 12.5 the Spanish way; malformed the English way
    ("1.5 K", "number_ambiguous"),     # a magnitude is a rounded figure, not a count
    ("10%", "number_unreadable"),
])
def test_number_text_that_cannot_be_read_with_certainty_is_rejected(reference_only, shelter_indicator, typed, rule):
    (reference_only / "partner").mkdir()
    write_5w(reference_only / "partner" / "5w.xlsx", [good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": typed})])
    _result, rejects, _findings = issues_of(reference_only)
    assert rejects[["row_number", "column", "rule", "value"]].values.tolist() == [
        [2, "Total.monthly.beneficiaries", rule, typed]
    ]


def test_plain_integer_text_is_read(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    write_5w(reference_only / "partner" / "5w.xlsx", [good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": " 12 "})])
    result, rejects, _findings = issues_of(reference_only)
    staged = result.tables["staging.stg_5w__activities"]
    assert rejects.empty
    assert staged.loc[staged["source_file"] == "partner/5w.xlsx", "total_monthly"].item() == 12


@breaks("five_w", "cell_error", "formula_without_value")
def test_excel_errors_and_unsaved_formulas_are_rejects_not_blanks(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    rows = [
        good_row(Indicator=shelter_indicator, **{"New.beneficiaries.of.the.month": "#DIV/0!"}),   # row 2: error cell
        good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": "=10+2"}),        # row 3: no cached value
        good_row(Indicator=shelter_indicator, Country="#N/A"),                                     # row 4
    ]
    write_5w(reference_only / "partner" / "5w.xlsx", rows)
    sheet = openpyxl.load_workbook(reference_only / "partner" / "5w.xlsx")["Sheet1"]
    assert sheet["S2"].data_type == "e"  # openpyxl wrote a real error cell
    _result, rejects, _findings = issues_of(reference_only)
    got = {(r.row_number, r.column, r.rule, r.value) for r in rejects.itertuples()}
    assert (2, "New.beneficiaries.of.the.month", "cell_error", "#DIV/0!") in got
    assert (3, "Total.monthly.beneficiaries", "formula_without_value", "formula without a saved result") in got
    assert (4, "Country", "cell_error", "#N/A") in got
    assert {r[0] for r in got} == {2, 3, 4}


@breaks("five_w", "count_implausible")
def test_implausible_counts_are_rejected(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    write_5w(reference_only / "partner" / "5w.xlsx", [good_row(Indicator=shelter_indicator, **{"Total.monthly.beneficiaries": 1e20})])
    _result, rejects, _findings = issues_of(reference_only)
    assert rejects[["row_number", "rule"]].values.tolist() == [[2, "count_implausible"]]


@breaks("five_w", "month_outside_template_year")
def test_a_month_outside_the_template_year_is_a_finding(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    write_5w(reference_only / "partner" / "5w.xlsx", [good_row(Indicator=shelter_indicator, **{"Reporting.Month": "2022-01"})])
    _result, rejects, findings = issues_of(reference_only)
    assert rejects.empty
    assert findings[["row_number", "rule", "value"]].values.tolist() == [[2, "month_outside_template_year", "2022-01"]]


def test_a_header_below_title_rows_is_found(reference_only, shelter_indicator):
    (reference_only / "partner").mkdir()
    path = reference_only / "partner" / "5w.xlsx"
    write_5w(path, [good_row(Indicator=shelter_indicator), good_row(Indicator=shelter_indicator, Country="Narnia")], first_row=3)
    book = openpyxl.load_workbook(path)
    book["Sheet1"]["A1"] = "5W GIFMM - marzo 2021"
    book.save(path)
    result, rejects, _findings = issues_of(reference_only)
    log = result.tables["raw.source_files"]
    entry = log[log["source_file"] == "partner/5w.xlsx"].iloc[0]
    assert entry["status"] == "recognised" and entry["rows_read"] == 2
    assert "title row" in entry["message"]
    assert rejects[["row_number", "rule"]].values.tolist() == [[5, "country_not_r4v"]]


@breaks("five_w", "amount_negative", "required_missing", "organisation_not_in_list", "implementing_partner_not_in_list",
        "implementing_partner_unexpected", "age_gender_sum_mismatch", "no_beneficiaries", "cva_value_missing",
        "cva_mechanism_missing", "formula_not_recalculated", "mojibake_repaired")
def test_the_other_5w_rules_each_on_a_row_of_its_own(reference_only):
    """One row per rule, written by XlsxWriter as scripts write workbooks (a formula's saved 0 is
    never a result); the first row breaks nothing."""
    import xlsxwriter

    from tests.messy.helpers import HEADERS as HEADERS_2021
    from tests.messy.helpers import PARTNER_FILE, ingest, row

    local = {"Implementing.partner.Name": "Asociación Inventada de Apoyo Local"}   # in no R4V list
    rows = [
        row(),                                                                   # 2: fine
        row(**{"Quantity.of.unit.measured": -1}),                                # 3: reject
        row(**{"Activity.name": None}),                                          # 4
        row(**{"Appealing.Organization.Name": "Organización Inventada"}),        # 5
        row(**local, **{"Implementation.Set.up": "Yes"}),                        # 6
        row(**local),                                                            # 7: set-up No
        row(**{"Women.above.18": 4}),                                            # 8: 2 + 2 + 4 + 3 = 11, new 10
        row(**dict.fromkeys(["Total.monthly.beneficiaries", "New.beneficiaries.of.the.month",
                             "Refugees.and.Migrants.IN.DESTINATION", "Women.under.18", "Men.under.18",
                             "Women.above.18", "Men.above.18"], 0)),            # 9
        row(CVA="Yes", **{"Delivery.Mechanism": "Vouchers"}),                    # 10: no value
        row(CVA="Yes", **{"Value.of.Transfer.in.USD": 100}),                     # 11: no mechanism
        row(),                                                                   # 12: a formula, below
        row(**{"Activity.name": "Apoyo a la naturalizaciÃ³n"}),                  # 13
    ]
    path = reference_only / PARTNER_FILE
    path.parent.mkdir(parents=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, HEADERS_2021)
    for number, values in enumerate(rows, start=1):
        sheet.write_row(number, 0, [values[h] for h in HEADERS_2021])
    sheet.write_formula(11, HEADERS_2021.index("Total.monthly.beneficiaries"), "=10+2")
    book.close()
    _result, rejects, findings, _log = ingest(reference_only)
    got = {(r.row_number, r.column, r.rule, "reject") for r in rejects.itertuples()}
    got |= {(r.row_number, r.column, r.rule, "finding") for r in findings.itertuples()}
    assert got == {
        (3, "Quantity.of.unit.measured", "amount_negative", "reject"),
        (4, "Activity.name", "required_missing", "finding"),
        (5, "Appealing.Organization.Name", "organisation_not_in_list", "finding"),
        (6, "Implementing.partner.Name", "implementing_partner_not_in_list", "finding"),
        (7, "Implementing.partner.Name", "implementing_partner_not_in_list", "finding"),
        (7, "Implementing.partner.Name", "implementing_partner_unexpected", "finding"),
        (8, "New.beneficiaries.of.the.month", "age_gender_sum_mismatch", "finding"),
        (9, "New.beneficiaries.of.the.month", "no_beneficiaries", "finding"),
        (10, "Value.of.Transfer.in.USD", "cva_value_missing", "finding"),
        (11, "Delivery.Mechanism", "cva_mechanism_missing", "finding"),
        (12, "Total.monthly.beneficiaries", "formula_not_recalculated", "reject"),
        (13, "Activity.name", "mojibake_repaired", "finding"),
    }

"""Issue #5 §6 and §2: formulas and Excel error cells are never read as blank or 0."""

from __future__ import annotations

import xlsxwriter

from tests.messy.helpers import HEADERS, PARTNER_FILE, column_of, ingest, row, staged, write_rows


def test_a_script_written_formula_with_a_cached_zero_is_rejected(reference_only):
    """XlsxWriter writes a cached 0 for every formula; Excel would show the real total."""
    path = reference_only / PARTNER_FILE
    path.parent.mkdir(parents=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, HEADERS)
    values = row()
    sheet.write_row(1, 0, [values[h] for h in HEADERS])
    total = HEADERS.index("Total.monthly.beneficiaries")
    sheet.write_formula(1, total, "=10+2")  # the partner's total, never calculated
    book.close()
    _result, rejects, _findings, _log = ingest(reference_only)
    assert rejects[["row_number", "column", "rule"]].values.tolist() == [
        [2, "Total.monthly.beneficiaries", "formula_not_recalculated"]
    ]


def test_a_formula_saved_by_a_spreadsheet_is_trusted(reference_only):
    """The real R4V files were saved by Excel: their values are read as they are."""
    from tests.conftest import FIVE_W_2021
    from rmrp_pipeline.reading import read_table

    data = read_table(FIVE_W_2021, "Sheet1")
    assert data.problem_cells == {}
    assert data.rows_in_file == data.rows_read == 22_496


def test_error_values_of_every_kind_are_rejects_naming_the_error(reference_only):
    errors = ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
    rows = [row(**{"New.beneficiaries.of.the.month": e}) for e in errors]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, _findings, log = ingest(reference_only)
    assert rejects[["row_number", "rule", "value"]].values.tolist() == [
        [n + 2, "cell_error", e] for n, e in enumerate(errors)
    ]
    assert staged(result)["is_rejected"].all()
    assert log["rows_read"] == len(errors)


def test_an_error_in_a_text_column_is_not_shown_as_empty(reference_only):
    write_rows(reference_only / PARTNER_FILE, [row(**{"Reporting.Month": "#REF!"})])
    _result, rejects, _findings, _log = ingest(reference_only)
    assert rejects[["row_number", "column", "rule", "value"]].values.tolist() == [
        [2, "Reporting.Month", "cell_error", "#REF!"]
    ]
    assert "#REF!" in rejects["message"][0]
    assert column_of("Reporting.Month") == "D"

"""Messy input: formulas without a calculated result are rejects, never blanks or zeros."""

from __future__ import annotations

import xlsxwriter

from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, row


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
    from rmrp_pipeline.read.workbook import read_table
    from tests.conftest import FIVE_W_2021

    data = read_table(FIVE_W_2021, "Sheet1")
    assert data.problem_cells == {}
    assert data.rows_in_file == data.rows_read == 22_496

"""A sheet spanning more than ``read.windows.WINDOW_CELLS`` cells is read in windows of rows: the
result must be what one read of the whole sheet gives (fastexcel over the whole grid), or the sheet
is read whole. The windows are made a few rows high here, so that every boundary case falls
between two of them."""

from __future__ import annotations

import datetime

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import PatternFill

from rmrp_pipeline.read import windows, workbook
from tests.conftest import FIVE_W_2021, RAW_DIR
from tests.messy.helpers import with_sheet

HEADERS = ["Country", "Admin1", "Month", "Beneficiaries", "Date", "Notes"]
WIDTH = len(HEADERS)


def _messy_workbook(path, *, stray=None, text_in_numbers=None, hxl=False):
    """A sheet with a title row, a header, 60 data rows with: a gap of blank rows, a row holding only
    a styled empty cell, a hidden row, a stretch of rows without a number in Beneficiaries, dates, a
    formula without a saved value; a second sheet before it. ``hxl``: an HXL row under the header
    (the data start a row lower)."""
    book = openpyxl.Workbook()
    book.active.title = "Notas"
    book.active.append(["not this sheet", 1, 2])
    sheet = book.create_sheet("Informe 5W – ñ")
    sheet.append(["RMRP 5W report, January"])
    sheet.append(HEADERS)
    if hxl:
        sheet.append(["#country", "#adm1", "#date+month", "#reached", "#date", "#description"])
    for number in range(60):
        row = (4 if hxl else 3) + number + (6 if number >= 20 else 0)   # rows 24-29 left blank
        beneficiaries = None if 31 <= number <= 38 else float(number * 7 % 50)
        sheet.append([])
        values = ["Peru" if number % 3 else "Ecuador", f"Región {number % 5}", f"2021-{number % 12 + 1:02d}",
                  beneficiaries, datetime.datetime(2021, 1 + number % 12, 1 + number % 27), f"nota {number}"]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    sheet.cell(row=40, column=6).value = "=CONCATENATE(A40,B40)"   # saved without a value by openpyxl
    sheet.cell(row=90, column=2).fill = PatternFill("solid", fgColor="FFFF00")   # styled, empty
    sheet.row_dimensions[50].hidden = True
    if stray is not None:
        sheet.cell(row=stray[0], column=stray[1], value="stray")
    if text_in_numbers is not None:
        sheet.cell(row=text_in_numbers, column=4, value="about forty")
    book.save(path)
    return path


def _read(path, sheet, monkeypatch, *, rows_per_window=None, header_row=0, width=WIDTH):
    """(SheetData, what each call of read_in_windows returned: None when it left the sheet whole)."""
    results = []
    original = windows.read_in_windows

    def spied(*args, **kwargs):
        results.append(original(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(windows, "read_in_windows", spied)
    monkeypatch.setattr(windows, "WINDOW_CELLS", 10**12 if rows_per_window is None else rows_per_window * width)
    return workbook.read_workbook_sheet(path, sheet, header_row=header_row), results


def _assert_same(windowed, whole):
    pd.testing.assert_frame_equal(windowed.frame, whole.frame, check_exact=True)
    for name in ("headers", "row_numbers", "column_letters", "hxl_tags", "blank_rows", "visible", "problem_cells",
                 "title_rows", "hidden_rows", "rows_in_file"):
        assert getattr(windowed, name) == getattr(whole, name), name
    for header in whole.headers:
        codes, distinct = windowed.cells_of(header)
        expected_codes, expected_distinct = whole.cells_of(header)
        assert [distinct[c] for c in codes] == [expected_distinct[c] for c in expected_codes], header


@pytest.mark.parametrize("rows_per_window", [1, 2, 3, 7, 25])
def test_a_sheet_read_in_windows_of_any_height_is_the_sheet_read_whole(tmp_path, monkeypatch, rows_per_window):
    path = _messy_workbook(tmp_path / "messy.xlsx")
    whole, left = _read(path, "Informe 5W – ñ", monkeypatch)
    assert left == []   # under the threshold: never cut
    windowed, results = _read(path, "Informe 5W – ñ", monkeypatch, rows_per_window=rows_per_window, header_row=1)
    assert len(results) == 1 and results[0] is not None   # read in windows
    assert len(results[0].arrow.to_batches()) > 1
    whole, _ = _read(path, "Informe 5W – ñ", monkeypatch, header_row=1)
    _assert_same(windowed, whole)
    # The facts of the file, as written above.
    assert windowed.headers == HEADERS
    assert windowed.row_numbers == list(range(3, 23)) + list(range(29, 69))
    assert windowed.blank_rows == 6 and windowed.rows_in_file == 60 and windowed.hidden_rows == 1
    assert windowed.frame["Beneficiaries"].dtype == "float64"
    assert windowed.frame["Beneficiaries"].isna().sum() == 8
    assert windowed.frame["Beneficiaries"].sum() == sum(n * 7 % 50 for n in range(60) if not 31 <= n <= 38)
    assert windowed.problem_cells == {(40, "F"): ("formula_without_value", "formula without a saved result")}
    assert windowed.frame["Notes"].iloc[-1] == "nota 59" and windowed.frame["Date"].iloc[0] == pd.Timestamp(2021, 1, 1)


@pytest.mark.parametrize("case", ["text among numbers", "an HXL row", "a value beyond the first window's columns",
                                  "a value before the first window's columns"])
def test_a_sheet_whose_windows_disagree_is_read_whole(tmp_path, monkeypatch, case):
    """A column of numbers with one text cell in a later window, or with the HXL row's tag in the
    first (the whole read falls back to typed cells for the sheet), a cell to the right or left of
    the columns the first windows span."""
    made = {"text among numbers": {"text_in_numbers": 60}, "an HXL row": {"hxl": True},
            "a value beyond the first window's columns": {"stray": (61, 9)},
            "a value before the first window's columns": None}[case]
    if made is None:   # the sheet starts in column B; a value in column A far below
        book = openpyxl.Workbook()
        sheet = book.active
        for row in range(1, 40):
            for column, value in enumerate(["Country", "Admin1", "Month"] if row == 1 else ["Peru", f"R{row}", 3.0],
                                           start=2):
                sheet.cell(row=row, column=column, value=value)
        sheet.cell(row=35, column=1, value="stray")
        path = tmp_path / "left.xlsx"
        book.save(path)
        sheet_name, header_row = "Sheet", 0
    else:
        path = _messy_workbook(tmp_path / "disagree.xlsx", **made)
        sheet_name, header_row = "Informe 5W – ñ", 1
    windowed, results = _read(path, sheet_name, monkeypatch, rows_per_window=4, header_row=header_row)
    assert results == [None]
    whole, _ = _read(path, sheet_name, monkeypatch, header_row=header_row)
    _assert_same(windowed, whole)
    if case == "text among numbers":
        assert windowed.frame["Beneficiaries"].dtype == object and "about forty" in windowed.frame["Beneficiaries"].tolist()
    if case == "an HXL row":
        assert windowed.hxl_tags["Country"] == "#country" and windowed.row_numbers[0] == 4


def test_rows_without_numbers_or_with_a_namespace_prefix_are_read_whole(tmp_path, monkeypatch):
    def unnumbered(stream):
        text = lambda value: f'<c t="inlineStr"><is><t>{value}</t></is></c>'
        rows = "".join(f"<row>{text('Peru')}{text(f'R{n}')}</row>" for n in range(30))
        stream.write(f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     f'2006/main"><sheetData><row>{text("Country")}{text("Admin1")}</row><row/>{rows}'
                     f'</sheetData></worksheet>'.encode())

    def prefixed(stream):
        cell = lambda ref, value: f'<x:c r="{ref}" t="inlineStr"><x:is><x:t>{value}</x:t></x:is></x:c>'
        rows = "".join(f'<x:row r="{n}">{cell(f"A{n}", "Peru")}{cell(f"B{n}", f"R{n}")}</x:row>' for n in range(2, 40))
        stream.write(f'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                     f'2006/main"><x:sheetData><x:row r="1">{cell("A1", "Country")}{cell("B1", "Admin1")}</x:row>'
                     f'{rows}</x:sheetData></x:worksheet>'.encode())

    for name, write in [("unnumbered", unnumbered), ("prefixed", prefixed)]:
        path = with_sheet(tmp_path / f"{name}.xlsx", write)
        windowed, results = _read(path, "Sheet1", monkeypatch, rows_per_window=2)
        assert results == [None], name
        whole, _ = _read(path, "Sheet1", monkeypatch)
        _assert_same(windowed, whole)
        assert windowed.rows_read in (30, 38) and windowed.frame["Admin1"].iloc[-1] in ("R29", "R39")


@pytest.mark.e2e
def test_the_2021_export_read_in_windows_is_the_export_read_whole(monkeypatch):
    windowed, results = _read(FIVE_W_2021, "Sheet1", monkeypatch, rows_per_window=1000, width=28)
    assert len(results) == 1 and len(results[0].arrow.to_batches()) == 23
    whole, _ = _read(FIVE_W_2021, "Sheet1", monkeypatch)
    _assert_same(windowed, whole)
    assert windowed.rows_read == 22_496


def _inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows, head=""):
    """A sheet's XML around ``rows`` (``head``: what comes before its sheetData)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{head}<sheetData>{rows}</sheetData></worksheet>').encode()


def test_a_first_row_whose_only_cell_is_not_read_as_a_value_is_not_where_the_windows_begin(tmp_path, monkeypatch):
    """Row 1 holds only a formula saved with an empty result (``<v></v>``): the XML scan counts it as
    a row holding a value, fastexcel (calamine) does not, and its grid begins at the header, row 2."""
    rows = '<row r="1"><c r="A1"><f>1+1</f><v></v></c></row>' + "".join(
        f'<row r="{n}">{_inline(f"A{n}", "Country" if n == 2 else f"R{n}")}'
        + (_inline(f"B{n}", "Count") if n == 2 else f'<c r="B{n}"><v>{n}</v></c>') + "</row>" for n in range(2, 20))
    path = with_sheet(tmp_path / "formula_title.xlsx", lambda stream: stream.write(_sheet(rows)))
    whole, _ = _read(path, "Sheet1", monkeypatch, width=2)
    assert whole.headers == ["Country", "Count"] and whole.row_numbers == list(range(3, 20)) and whole.blank_rows == 0
    for rows_per_window in (2, 3, 4):
        windowed, _ = _read(path, "Sheet1", monkeypatch, rows_per_window=rows_per_window, width=2)
        _assert_same(windowed, whole)


def test_a_header_row_above_0_on_a_sheet_whose_rows_begin_lower(tmp_path, monkeypatch):
    """Row 1 absent, a title on row 2, the header on row 3, values on rows 4-16 but 7-8 and 12-13 (rows
    without cells); ``header_row=1``. fastexcel is given the header's row counted from the sheet's
    first row: the windows' grid must end where fastexcel's does, whatever row the values begin on."""
    def cells(n):
        return _inline(f"A{n}", "Report") if n == 2 else _inline(f"A{n}", "Country") + _inline(f"B{n}", "Count") \
            if n == 3 else _inline(f"A{n}", f"R{n}") + f'<c r="B{n}"><v>{n}</v></c>'
    rows = "".join(f'<row r="{n}"/>' if n in (7, 8, 12, 13) else f'<row r="{n}">{cells(n)}</row>' for n in range(2, 17))
    path = with_sheet(tmp_path / "lower.xlsx", lambda stream: stream.write(_sheet(rows)))
    whole, _ = _read(path, "Sheet1", monkeypatch, header_row=1, width=2)
    assert whole.headers == ["Country", "Count"] and whole.row_numbers == [4, 5, 6, 9, 10, 11, 14, 15, 16]
    for rows_per_window in (1, 2, 3, 4):
        windowed, _ = _read(path, "Sheet1", monkeypatch, rows_per_window=rows_per_window, header_row=1, width=2)
        _assert_same(windowed, whole)


def test_a_comment_between_rows_holding_a_row_tag_is_read_as_a_whole_read_gives_it(tmp_path, monkeypatch):
    """``<!-- <row r="old"> -->`` between rows 4 and 5: the windows cannot read the row's number; the
    sheet must then be read whole by fastexcel (numbers stay a float column), not by the fallback
    of a sheet fastexcel refuses (every cell its own Python object)."""
    def cells(n):
        return _inline(f"A{n}", "Country") + _inline(f"B{n}", "Count") if n == 1 else \
            _inline(f"A{n}", f"R{n}") + f'<c r="B{n}"><v>{n}</v></c>'
    rows = "".join(f'<row r="{n}">{cells(n)}</row>' + ('<!-- <row r="old"> -->' if n == 4 else "") for n in range(1, 13))
    path = with_sheet(tmp_path / "comment.xlsx", lambda stream: stream.write(_sheet(rows)))
    whole, _ = _read(path, "Sheet1", monkeypatch, width=2)
    windowed, _ = _read(path, "Sheet1", monkeypatch, rows_per_window=2, width=2)
    _assert_same(windowed, whole)
    assert windowed.frame["Count"].dtype == "float64" and windowed.row_numbers == list(range(2, 13))


def test_header_row_counts_from_the_first_row_holding_a_value_in_a_whole_read_and_in_windows(tmp_path, monkeypatch):
    """Row 1 empty, a title on row 2, the header on row 3, text on rows 4-11 (no column of numbers:
    fastexcel reads the sheet); ``header_row=1`` as read_and_recognise finds it (the 2nd row of the
    used range). fastexcel alone would take the sheet's 2nd row, the title, as the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.cell(row=2, column=1, value="RMRP 5W report")
    for row in range(3, 12):
        for column, value in enumerate(["Country", "Admin1"] if row == 3 else ["Peru", f"R{row}"], start=1):
            sheet.cell(row=row, column=column, value=value)
    path = tmp_path / "title_on_row_2.xlsx"
    book.save(path)
    whole, _ = _read(path, "Sheet", monkeypatch, header_row=1, width=2)
    assert whole.headers == ["Country", "Admin1"] and whole.row_numbers == list(range(4, 12))
    assert whole.frame["Admin1"].tolist() == [f"R{n}" for n in range(4, 12)] and whole.title_rows == 1
    for rows_per_window in (1, 2, 3):
        windowed, _ = _read(path, "Sheet", monkeypatch, rows_per_window=rows_per_window, header_row=1, width=2)
        _assert_same(windowed, whole)


def test_a_column_of_durations_empty_in_a_window_is_read_in_windows(tmp_path, monkeypatch):
    """Durations (``[h]:mm:ss``) on rows 2-4 and none below: the windows under them read the column
    as empty text, which Arrow cannot cast to a duration; the empty cells are made durations instead
    of the sheet being read whole."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Country", "Time spent"])
    for row in range(2, 14):
        sheet.cell(row=row, column=1, value=f"R{row}")
        if row <= 4:
            sheet.cell(row=row, column=2, value=datetime.timedelta(hours=row, minutes=30)).number_format = "[h]:mm:ss"
    path = tmp_path / "durations.xlsx"
    book.save(path)
    whole, _ = _read(path, "Sheet", monkeypatch, width=2)
    windowed, results = _read(path, "Sheet", monkeypatch, rows_per_window=2, width=2)
    assert results[0] is not None
    _assert_same(windowed, whole)
    assert str(windowed.frame["Time spent"].dtype) == "timedelta64[ms]"
    assert windowed.frame["Time spent"].iloc[0] == pd.Timedelta(hours=2, minutes=30)


def test_a_cell_whose_reference_names_an_earlier_row_than_its_row_tag(tmp_path, monkeypatch):
    """``<row r="5">`` holds, besides A5 and B5, a cell ``B3`` (row 3 has only A3): fastexcel puts
    it on row 3 by its reference. In windows of 2 rows, row 3 is the next window's pinning row."""
    def cells(n):
        return _inline(f"A{n}", "Country") + _inline(f"B{n}", "Admin1") if n == 1 else \
            _inline(f"A{n}", f"R{n}") + ("" if n == 3 else _inline(f"B{n}", f"b{n}")) + \
            (_inline("B3", "moved") if n == 5 else "")
    rows = "".join(f'<row r="{n}">{cells(n)}</row>' for n in range(1, 12))
    path = with_sheet(tmp_path / "moved.xlsx", lambda stream: stream.write(_sheet(rows)))
    whole, _ = _read(path, "Sheet1", monkeypatch, width=2)
    assert whole.frame["Admin1"].tolist()[:3] == ["b2", "moved", "b4"]
    windowed, _ = _read(path, "Sheet1", monkeypatch, rows_per_window=2, width=2)
    _assert_same(windowed, whole)


def test_a_cell_whose_reference_names_a_row_above_the_first_one_holding_a_value(tmp_path, monkeypatch):
    """Rows 1-2 absent, the header on row 3, rows 8-10 without cells; ``<row r="4">`` holds a cell
    ``B2`` besides A4 and B4: fastexcel's grid begins on row 2, by that reference, not on row 3."""
    def cells(n):
        return _inline(f"A{n}", "Country") + _inline(f"B{n}", "Admin1") if n == 3 else \
            _inline(f"A{n}", f"R{n}") + _inline(f"B{n}", f"b{n}") + (_inline("B2", "moved") if n == 4 else "")
    rows = "".join(f'<row r="{n}"/>' if n in (8, 9, 10) else f'<row r="{n}">{cells(n)}</row>' for n in range(3, 20))
    path = with_sheet(tmp_path / "moved_up.xlsx", lambda stream: stream.write(_sheet(rows)))
    whole, _ = _read(path, "Sheet1", monkeypatch, width=2)
    assert whole.headers == ["column_1", "moved"]
    for rows_per_window in (3, 4, 5):
        windowed, _ = _read(path, "Sheet1", monkeypatch, rows_per_window=rows_per_window, width=2)
        _assert_same(windowed, whole)


def test_every_sheet_of_a_template_with_charts_and_drawings_reads_in_windows_as_whole(monkeypatch):
    """R4V's 2023-2024 submission template: eleven sheets (lists, a summary with charts, drawings,
    hidden sheets), its charts and drawings left out of the windows' workbooks."""
    path = RAW_DIR / "planning" / "rmrp2023-2024_submission_template_en.xlsx"
    windowed_sheets = []
    for sheet, _visibility in workbook.list_sheets(path):
        columns = workbook.scan_sheet_xml(path, sheet).columns
        windowed, results = _read(path, sheet, monkeypatch, rows_per_window=3, width=max(1, columns))
        whole, _ = _read(path, sheet, monkeypatch)
        _assert_same(windowed, whole)
        if results and results[0] is not None:
            windowed_sheets.append(sheet)
    # The others: under the threshold (Year: 2 cells), or left whole (lists whose columns mix numbers and text).
    assert windowed_sheets == ["Summary", "CountryAdmin1", "Organisations", "Indicators2324", "Indicators"]

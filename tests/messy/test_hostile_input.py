"""Messy input: text that a spreadsheet would run is stored as text and escaped in every export."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd

from rmrp_pipeline.reports.files import (
    escape_text,
    sheet_name,
    write_csv,
    write_workbook,
)
from tests.messy.helpers import PARTNER_FILE, column_of, ingest, row, staged, write_rows

HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "normal text"]


def test_text_that_a_spreadsheet_would_run_is_stored_as_text(tmp_path):
    frame = pd.DataFrame({"activity": HOSTILE, "count": [-5, 3, -2.5, 0, 1, 2]})
    path = write_workbook({"Data": frame}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)["Data"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" for c in cells)               # never a formula
    assert [c.value for c in cells] == HOSTILE                  # shown as typed: no visible apostrophe
    assert [c.quotePrefix for c in cells] == [True] * 5 + [False]   # Excel's hidden apostrophe: stays text when edited
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == [-5, 3, -2.5, 0, 1, 2]  # numbers untouched


def test_csv_exports_escape_the_same_way(tmp_path):
    path = write_csv(pd.DataFrame({"activity": HOSTILE, "count": [-5, 3, -2, 0, 1, 2]}), tmp_path / "x.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows[1:]] == [escape_text(h) for h in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-5", "3", "-2", "0", "1", "2"]   # real negative numbers untouched
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://example.invalid"",""click"")",-5'   # OWASP: quote and apostrophe


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    long = "United Nations High Commissioner for Refugees (UNHCR)"
    names = [sheet_name(long, taken), sheet_name(long, taken), sheet_name("a/b:c*?[d]", taken)]
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 3
    assert not any(ch in names[2] for ch in "[]:*?/\\")


def test_a_formula_typed_in_a_5w_text_field_is_stored_as_text_and_escaped_in_the_qa_workbook(reference_only, tmp_path):
    import duckdb

    from rmrp_pipeline.reports.qa_5w import write_qa_workbook
    from rmrp_pipeline.warehouse import db as warehouse

    path = write_rows(reference_only / PARTNER_FILE, [row(**{"Implementation.Set.up": "Yes"})])
    book = openpyxl.load_workbook(path)
    cell = book.active[f"{column_of('Implementing.partner.Name')}2"]
    cell.value = '=HYPERLINK("http://x.invalid","ok")'
    cell.data_type = "s"   # a text cell, as a partner's '=... typed with an apostrophe is stored
    book.save(path)
    result, _rejects, _findings, _log = ingest(reference_only)
    assert staged(result).loc[0, "implementing_partner"] == '=HYPERLINK("http://x.invalid","ok")'   # stored as typed
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    for table, frame in result.tables.items():
        if table in ("staging.stg_5w__activities", "meta.rejected_rows", "meta.quality_findings"):
            warehouse.replace_table(con, table, frame)
    path, _n = write_qa_workbook(con, "2021-H1", tmp_path / "qa.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value.startswith("=HYPERLINK") for c in cells)    # as typed, no visible apostrophe
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value.startswith("="))


def test_names_and_texts_are_shown_with_control_characters_escaped(tmp_path):
    from rmrp_pipeline.text.printable import printable, printable_cell

    hostile = "line\nbreak\x07bell\x1b[31m\u202eevil\ttab"
    assert printable(hostile) == "line\\nbreak\\x07bell\\x1b[31m\\u202eevil\\ttab"
    assert printable_cell(hostile) == "line\nbreak\\x07bell\\x1b[31m\\u202eevil\ttab"   # a cell keeps its lines
    assert printable("Bogotá, D.C. ñ — ok") == "Bogotá, D.C. ñ — ok"
    path = write_workbook({"new\nsheet\x07": pd.DataFrame({"h\x07": [hostile]})}, tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["new sheet"]
    sheet = book.worksheets[0]
    assert [sheet["A1"].value, sheet["A2"].value] == ["h\\x07", printable_cell(hostile)]


def test_an_os_error_is_told_on_one_line():
    from rmrp_pipeline.text.printable import os_reason

    assert os_reason(PermissionError(13, "Permission denied", "/srv/reports")) == "Permission denied"
    assert os_reason(OSError("the disk went away\nwhile writing")) == "the disk went away while writing"


def test_a_cell_as_long_as_excel_allows_is_quoted_short_in_its_message(reference_only):
    """A list column holding 32,767 characters (Excel's most): its message quoted it whole and was
    longer than a workbook cell takes, so the QA workbook cut the part naming the column and what
    to do. The message quotes its start; the value column keeps it whole."""
    from tests.messy.helpers import PARTNER_FILE, ingest, row, write_rows

    typed = "pasted text " * 2730 + "end"
    write_rows(reference_only / PARTNER_FILE, [row(**{"Implementation.Set.up": typed})])
    _result, rejects, _findings, _log = ingest(reference_only)
    reject = rejects[rejects["column"] == "Implementation.Set.up"].iloc[0]
    assert reject["value"] == typed
    assert len(reject["message"]) < 400 and reject["message"].endswith("in column Implementation.Set.up must be Yes or No.")
    assert reject["message"].startswith("Row 2: 'pasted text pasted text") and "…'" in reject["message"]

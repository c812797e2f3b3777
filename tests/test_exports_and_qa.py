"""Exports are safe to open (formula injection), and the QA workbook points at the right rows."""

from __future__ import annotations

import csv
import random

import openpyxl
import pandas as pd

from rmrp_pipeline.exports import escape_text, sheet_name, write_csv, write_workbook
from rmrp_pipeline.qa import qa_frames, write_qa_workbook
from tests.conftest import FIVE_W_2021

HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "normal text"]


def test_text_that_a_spreadsheet_would_run_is_stored_as_text(tmp_path):
    frame = pd.DataFrame({"activity": HOSTILE, "count": [-5, 3, -2.5, 0, 1, 2]})
    path = write_workbook({"Data": frame}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)["Data"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(c.data_type == "s" for c in cells)               # never a formula
    assert [c.value for c in cells] == ["'" + h for h in HOSTILE[:5]] + ["normal text"]
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == [-5, 3, -2.5, 0, 1, 2]  # numbers untouched


def test_csv_exports_escape_the_same_way(tmp_path):
    path = write_csv(pd.DataFrame({"activity": HOSTILE, "count": [-5, 3, -2, 0, 1, 2]}), tmp_path / "x.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows[1:]] == [escape_text(h) for h in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-5", "3", "-2", "0", "1", "2"]   # real negative numbers untouched


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    long = "United Nations High Commissioner for Refugees (UNHCR)"
    names = [sheet_name(long, taken), sheet_name(long, taken), sheet_name("a/b:c*?[d]", taken)]
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 3
    assert not any(ch in names[2] for ch in "[]:*?/\\")


def test_the_qa_workbook_points_at_the_right_rows_of_the_2021_export(wh, tmp_path):
    sheets = qa_frames(wh, "2021-H1")
    summary = sheets["Summary"]
    findings_in_table = wh.execute(
        "SELECT count(*) FROM meta.quality_findings WHERE produced_by = 'stg_5w__activities' "
        "AND source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'").fetchone()[0]   # the only 2021-H1 file
    assert summary["findings"].sum() == findings_in_table          # every finding of the export is listed
    source = list(openpyxl.load_workbook(FIVE_W_2021, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = source[0]
    org, new = header.index("Appealing.Organization.Name"), header.index("New.beneficiaries.of.the.month")
    rng = random.Random(2021)
    for organisation, frame in sheets.items():
        if organisation == "Summary":
            continue
        for record in frame.sample(min(3, len(frame)), random_state=rng.randint(0, 10**6)).itertuples():
            excel_row = source[record.row - 1]                    # Excel row n is list index n - 1
            assert excel_row[org] == organisation
            assert (excel_row[new] or 0) == record.new_beneficiaries
    path, organisations = write_qa_workbook(wh, "2021-H1", tmp_path / "qa.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert len(book.sheetnames) == organisations + 1 and book.sheetnames[0] == "Summary"


def test_the_qa_workbook_never_copies_free_text(wh):
    sheets = qa_frames(wh, "2021-H1")
    everything = pd.concat([f for n, f in sheets.items() if n != "Summary"])
    free = everything[everything["column"].isin(["Activity.name", "Activity.description"])]
    assert (free["value"].isin([None, "(free text: see the cell in your file)"]) | free["value"].isna()).all()
    assert "activity_description" not in everything.columns and "activity_name" not in everything.columns

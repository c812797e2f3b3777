"""Cells of the workbooks and CSV files people open: a nullable column's numbers stay numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd

from rmrp_pipeline.reports.files import write_csv, write_workbook


def test_nullable_numbers_and_booleans_are_written_as_numbers_and_booleans(tmp_path):
    frame = pd.DataFrame({"count": pd.Series([235, None], dtype="Int64"),
                          "share": pd.Series([0.5, None], dtype="Float64"),
                          "cva": pd.Series([True, None], dtype="boolean")})
    book = write_workbook({"rows": frame}, tmp_path / "x.xlsx")
    rows = list(openpyxl.load_workbook(book).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (235, 0.5, True) and all(v is None for row in rows[1:] for v in row)
    text = write_csv(frame, tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text == ['"count","share","cva"', "235,0.5,True", '"","",""']


def test_decimal_numbers_are_written_as_numbers(tmp_path):
    # a DECIMAL column (marts.fct_activities.value_usd) reaches the writers as decimal.Decimal
    from decimal import Decimal
    frame = pd.DataFrame({"value_usd": pd.Series([Decimal("215.00"), Decimal("0.05"), None], dtype=object)})
    book = write_workbook({"rows": frame}, tmp_path / "x.xlsx")
    rows = list(openpyxl.load_workbook(book).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert rows[:2] == [(215,), (0.05,)] and all(v is None for row in rows[2:] for v in row)
    text = write_csv(frame, tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text == ['"value_usd"', "215.00", "0.05", '""']

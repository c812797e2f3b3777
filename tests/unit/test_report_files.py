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


def test_an_excel_export_refuses_a_text_longer_than_a_cell_holds(tmp_path):
    # meta.publications' input files of a raw folder of 300 files: 43,000 characters of JSON, more
    # than an Excel cell holds (32,767); the workbook would cut it without a word
    import pyarrow as pa
    import pytest
    from rmrp_pipeline.reports.exports import ExportError, TableExport, write_export
    files = [{"source_file": f"monitoring_5w/{i:04d}_partner_report.xlsx", "sha256": "a" * 64} for i in range(300)]
    data = pa.table({"publication_id": [1], "input_files": pa.array([files])})
    export = TableExport("meta.publications", None, data, "", {"publication_id": ("BIGINT", ""),
                                                               "input_files": ("STRUCT(source_file VARCHAR, sha256 VARCHAR)[]", "")})
    with pytest.raises(ExportError, match="input_files"):
        write_export(export, tmp_path / "p.xlsx")
    assert not (tmp_path / "p.xlsx").exists()
    assert "0299_partner_report.xlsx" in write_export(export, tmp_path / "p.csv").read_text(encoding="utf-8-sig")

"""Messy input: identifiers keep their zeros, NA is a value, no-data markers, error cells."""

from __future__ import annotations

import openpyxl
import pandas as pd

from rmrp_pipeline.read.workbook import read_csv_file, read_table
from tests.messy.helpers import PARTNER_FILE, column_of, ingest, row, staged, write_rows


def test_identifiers_keep_their_leading_zeros(tmp_path):
    csv_path = tmp_path / "pcodes.csv"
    csv_path.write_text("Country,PCODE,Admin1,ISOCODE\nColombia,05001,Medellín,CO-ANT\nPeru,NA,None,\n", encoding="utf-8")
    data = read_csv_file(csv_path)
    assert data.frame["PCODE"].tolist() == ["05001", "NA"]            # NA is a value, not missing
    assert data.frame["Admin1"].tolist() == ["Medellín", "None"]
    book = openpyxl.Workbook()
    book.active.append(["Country", "PCODE", "Admin1", "ISOCODE"])
    book.active.append(["Colombia", "05001", "Medellín", "CO-ANT"])
    book.active.append(["Namibia?", "NA", "None", None])
    book.save(tmp_path / "pcodes.xlsx")
    data = read_table(tmp_path / "pcodes.xlsx", "Sheet")
    assert data.frame["PCODE"].tolist() == ["05001", "NA"]
    assert data.frame["Admin1"].tolist() == ["Medellín", "None"]


def test_missing_markers_are_empty_cells_and_na_is_a_value(reference_only):
    rows = [
        row(**{"Implementing.partner.Name": "no aplica", "Refugees.and.Migrants.IN.TRANSIT": "-",
               "Colombian.Returnees": "N/D", "Host.Communities.Beneficiaries": "s/d"}),
        row(**{"Activity.name": "NA", "Implementation.Set.up": "Yes", "Implementing.partner.Name": "None"}),
    ]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, findings, _log = ingest(reference_only)
    frame = staged(result)
    assert rejects.empty
    assert frame.loc[0, "implementing_partner"] is None
    assert pd.isna(frame.loc[0, "in_transit"]) and pd.isna(frame.loc[0, "returnees"])
    assert frame.loc[1, "activity_name"] == "NA"
    assert frame.loc[1, "implementing_partner"] == "None"
    assert set(findings["rule"]) == {"implementing_partner_not_in_list"}


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

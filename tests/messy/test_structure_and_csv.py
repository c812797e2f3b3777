"""Issue #5 §2, §4, §7: workbook structure, CSV separators and encodings, identifiers."""

from __future__ import annotations

import openpyxl
import pytest

from rmrp_pipeline.reading import ReadError, read_csv_file, read_table
from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, row, staged, write_rows


def test_hidden_rows_and_hidden_sheets_are_read_and_counted(reference_only):
    path = write_rows(reference_only / PARTNER_FILE, [row(), row(), row()])
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[3].hidden = True
    extra = book.create_sheet("old")
    extra.sheet_state = "hidden"
    extra.append(HEADERS)
    extra.append([row()[h] for h in HEADERS])
    book.save(path)
    result, _rejects, _findings, _log = ingest(reference_only)
    files = result.tables["raw.source_files"]
    mine = files[files["source_file"] == PARTNER_FILE].set_index("sheet")
    assert mine.loc["Sheet", "rows_read"] == 3 and mine.loc["Sheet", "hidden_rows"] == 1
    assert "1 hidden row(s) read as data" in mine.loc["Sheet", "message"]
    assert mine.loc["old", "rows_read"] == 1 and "hidden sheet" in mine.loc["old", "message"]
    assert len(staged(result)) == 4


def test_blocks_separated_by_blank_rows_lose_nothing_and_match_the_file_count(reference_only):
    path = write_rows(reference_only / PARTNER_FILE, [row()])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for offset in (5, 6, 9):   # two more blocks below blank rows 3-4 and 7-8
        for column, header in enumerate(HEADERS, start=1):
            sheet.cell(row=offset, column=column, value=row()[header])
    book.save(path)
    data = read_table(path, "Sheet")
    assert data.row_numbers == [2, 5, 6, 9]
    assert data.rows_in_file == data.rows_read == 4 and data.blank_rows == 4


@pytest.mark.parametrize(("separator", "encoding"), [(";", "cp1252"), ("\t", "utf-8"), (",", "utf-8-sig"), ("|", "utf-8")])
def test_csv_separator_and_encoding_are_decided_per_file(tmp_path, separator, encoding):
    path = tmp_path / "admin1.csv"
    lines = ["Country{0}Admin1{0}ISOCode", "Peru{0}Junín{0}PE-JUN", "Peru{0}Áncash{0}PE-ANC", "Colombia{0}Bogotá, D.C.{0}CO-DC"]
    text = "\n".join(line.format(separator) for line in lines[:3])
    if separator != ",":
        text += "\n" + lines[3].format(separator)
    path.write_bytes(text.encode(encoding))
    data = read_csv_file(path)
    assert data.headers == ["Country", "Admin1", "ISOCode"]
    assert data.frame["Admin1"].tolist()[:2] == ["Junín", "Áncash"]


def test_a_csv_read_as_one_column_is_an_error(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Country;Admin1\nPeru;Lima;extra;fields;here\nPeru\n", encoding="utf-8")
    with pytest.raises(ReadError):
        read_csv_file(path)


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

"""Issue #5 §7: CSV separators and encodings, mojibake, NFC."""

from __future__ import annotations

import pytest

from rmrp_pipeline.read.files import ReadError
from rmrp_pipeline.read.workbook import read_csv_file
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows


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


def test_mojibake_is_repaired_once_and_reported(reference_only):
    rows = [row(**{"Activity.name": "Apoyo a la naturalizaciÃ³n", "Admin1": "Bogotá"})]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, _rejects, findings, _log = ingest(reference_only)
    assert staged(result).loc[0, "activity_name"] == "Apoyo a la naturalización"
    repaired = findings[findings["rule"] == "mojibake_repaired"]
    assert repaired[["row_number", "column", "value"]].values.tolist() == [
        [2, "Activity.name", "Apoyo a la naturalizaciÃ³n"]
    ]

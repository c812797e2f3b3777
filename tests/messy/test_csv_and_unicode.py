"""Messy input: CSV separators and encodings, mojibake, NFC; NUL characters, UTF-16/UTF-32 with or
without a byte-order mark, undecodable bytes, very wide and very long files."""

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
        [2, "Activity.name", None]   # free text is never quoted in an issue (docs/data-protection.md)
    ]


ADMIN1 = "Country,Admin1,ISOCode\nMexico,Coahuila,MX-COA\nPeru,Junín,PE-JUN\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_read_with_or_without_a_byte_order_mark(tmp_path, encoding):
    """'utf-16' and 'utf-32' write a byte-order mark, the -le/-be codecs none: the zero bytes tell."""
    path = tmp_path / "admin1.csv"
    path.write_bytes(ADMIN1.replace("\n", "\r\n").encode(encoding))
    data = read_csv_file(path)
    assert data.headers == ["Country", "Admin1", "ISOCode"]
    assert data.frame["Admin1"].tolist() == ["Coahuila", "Junín"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_nul_character_refuses_the_file_with_its_byte_offset(tmp_path, encoding):
    """pandas would cut 'Coah\\0uila' to 'Coah' and count the row as loaded: the file is refused."""
    path = tmp_path / "admin1.csv"
    path.write_bytes(ADMIN1.replace("Coahuila", "Coah\0uila").encode(encoding))
    offset = len(ADMIN1[: ADMIN1.index("uila")].encode(encoding))   # "utf-16" counts its mark
    with pytest.raises(ReadError, match=rf"^admin1.csv: NUL character at byte offset {offset} \(line 2, read as "
                                        rf"UTF-{8 if encoding == 'utf-8' else '16 LE with byte-order mark'}\)"):
        read_csv_file(path)


def test_a_byte_that_no_encoding_reads_refuses_the_file_with_its_offset(tmp_path):
    """0x81 is neither UTF-8 here nor a Windows-1252 character: no encoding is left to try."""
    path = tmp_path / "admin1.csv"
    path.write_bytes(ADMIN1.encode() + b"Chile,B\x81o,CL-BI\n")
    offset = len(ADMIN1.encode()) + len("Chile,B")
    with pytest.raises(ReadError, match=rf"neither UTF-8 nor Windows-1252 \(the byte at byte offset {offset} "
                                        rf"\(line 4; bytes 81 6f"):
        read_csv_file(path)


def test_broken_utf16_names_the_encoding_and_the_offset(tmp_path):
    path = tmp_path / "admin1.csv"
    broken = ADMIN1.encode("utf-16") + b"\x00\xdc" + "x\n".encode("utf-16-le")   # a lone low surrogate
    path.write_bytes(broken)
    with pytest.raises(ReadError, match=rf"not valid UTF-16 LE with byte-order mark at byte offset "
                                        rf"{len(ADMIN1.encode('utf-16'))} \(line 4"):
        read_csv_file(path)


def test_a_csv_of_100000_columns_is_refused_by_its_width_at_once(tmp_path, monkeypatch):
    """Refused from its first line, before parsing; a width above Excel's, when allowed, is read in
    linear time (headers made unique with a set, column letters for any width)."""
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join(["1"] * 100_000) + "\n")
    with pytest.raises(ReadError, match=r"the header line is 100,000 columns wide, over the limit of 16,384 "
                                        r"columns \(RMRP_MAX_COLUMNS\)"):
        read_csv_file(path)
    wider_than_excel = tmp_path / "wider.csv"
    wider_than_excel.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join(["1"] * 20_000) + "\n")
    monkeypatch.setenv("RMRP_MAX_COLUMNS", "20000")   # allowed: read with its width, in linear time
    data = read_csv_file(wider_than_excel)
    assert len(data.headers) == 20_000 and data.column_letters[-1] == "ACOF" and data.rows_read == 1


def test_a_csv_longer_than_the_cells_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "long.csv"
    path.write_text(ADMIN1 + "Peru,Lima,PE-LIM\n" * 40_000)
    assert read_csv_file(path).rows_read == 40_002
    monkeypatch.setenv("RMRP_MAX_CELLS", "100000")
    with pytest.raises(ReadError, match=r"the file is 40,004 lines x 3 columns = 120,012 cells, over the limit of "
                                        r"100,000 cells \(RMRP_MAX_CELLS\)"):
        read_csv_file(path)


def test_csv_files_in_odd_encodings_in_the_raw_folder_are_read_or_unreadable_with_their_cause(reference_only):
    (reference_only / "utf16.csv").write_bytes(ADMIN1.encode("utf-16"))
    (reference_only / "nul.csv").write_bytes(ADMIN1.replace("Coahuila", "Coah\0uila").encode())
    result, _rejects, _findings, _log = ingest(reference_only)
    log = result.tables["raw.source_files"].set_index("source_file")
    assert log.loc["nul.csv", "status"] == "unreadable" and "NUL character at byte offset" in log.loc["nul.csv", "message"]
    assert log.loc["utf16.csv", "status"] == "recognised" and log.loc["utf16.csv", "rows_read"] == 2

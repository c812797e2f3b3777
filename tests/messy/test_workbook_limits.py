"""Workbooks made to exhaust the run (zip bombs, a sheet spanning the whole grid) are refused before
they are expanded, with the reason; files that are no workbook say what they are."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from rmrp_pipeline.read.files import ReadError
from rmrp_pipeline.read.workbook import list_sheets, read_table
from rmrp_pipeline.settings import ReadLimits
from tests.conftest import ROOT
from tests.messy.helpers import PARTNER_FILE, SHEET_PART, row, small_workbook, with_sheet, write_rows


#: Rows of the bomb's sheet: 12 million one-cell rows, 312 MB of XML in under 1 MB of zip.
BOMB_ROWS = 12_000_000


def zip_bomb(path: Path, rows: int = BOMB_ROWS) -> Path:
    """A workbook whose sheet part is ``rows`` one-cell rows, compressed about 400 to 1."""
    chunk = b"<row><c><v>1</v></c></row>" * 40_000

    def write(stream):
        stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData>')
        for _ in range(rows // 40_000):
            stream.write(chunk)
        stream.write(b"</sheetData></worksheet>")

    return with_sheet(path, write)


def lying_zip_bomb(path: Path) -> Path:
    """A zip bomb whose directory declares its sheet part 1,000 bytes long."""
    return declare_sheet_size(zip_bomb(path), 1000)


def declare_sheet_size(path: Path, size: int) -> Path:
    """The workbook at ``path`` with its zip directory declaring its sheet part ``size`` bytes long."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(SHEET_PART).header_offset
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(SHEET_PART.encode()))
    data[local + 22: local + 26] = size.to_bytes(4, "little")      # local header: uncompressed size
    data[central + 24: central + 28] = size.to_bytes(4, "little")  # central directory: the same
    path.write_bytes(bytes(data))
    return path


def sparse_sheet(path: Path, dimension: str | None, prefix: str = "") -> Path:
    """Three cells, the last at XFD1048576 (the grid's last cell), with this ``<dimension>``; tags
    written with the namespace ``prefix`` (``x:``) when given."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = (f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           f'2006/main">{head}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Country</t></is>'
           f'</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Peru</t></is></c></row>'
           f'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    if prefix:
        xml = re.sub(r"<(/?)(\w)", rf"<\1{prefix}\2", xml).replace("xmlns=", f"xmlns:{prefix[:-1]}=")

    def write(stream):
        stream.write(xml.encode())

    return with_sheet(path, write)


def test_a_zip_bomb_is_refused_by_its_declared_size_before_it_is_expanded(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2_000_000
    with pytest.raises(ReadError) as refused:
        list_sheets(path)
    message = str(refused.value)
    assert message.startswith("bomb.xlsx: part xl/worksheets/sheet1.xml (uncompressed) is 312,000,")
    assert "over the limit of 256 MB per part (RMRP_MAX_PART_MB)" in message
    assert "set RMRP_MAX_PART_MB higher to read it" in message


def test_a_part_holding_more_than_its_zip_directory_declares_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"part xl/worksheets/sheet1.xml holds more than the 1,000 bytes its zip "
                                        r"directory declares"):
        list_sheets(lying_zip_bomb(tmp_path / "liar.xlsx"))


def test_a_part_holding_a_few_bytes_more_than_a_multiple_of_the_inflated_chunk_is_refused(tmp_path):
    """The check inflates a part a chunk at a time: the bytes the decompressor still holds when the
    compressed ones are all read (a few copies of up to 258 bytes) are counted too."""
    from rmrp_pipeline.read.limits import INFLATE_CHUNK

    declared = 2 * INFLATE_CHUNK
    accepted = []
    for more in range(1, 800, 3):
        path = with_sheet(tmp_path / f"liar_{more}.xlsx", lambda stream: stream.write(b"<" + b" " * (declared + more - 1)))
        try:
            list_sheets(declare_sheet_size(path, declared))
            accepted.append(more)
        except ReadError as refused:
            assert f"holds more than the {declared:,} bytes its zip directory declares" in str(refused)
    assert accepted == []


@pytest.mark.parametrize(("dimension", "declared", "prefix"), [
    ("A1:XFD1048576", True, ""), ("A1:B2", False, ""), (None, False, ""), (None, False, "x:")])
def test_a_sheet_spanning_the_whole_grid_is_refused_whatever_it_declares(tmp_path, dimension, declared, prefix):
    """calamine holds a sheet as a full grid: a cell at XFD1048576 alone asks it for 550 GB."""
    path = sparse_sheet(tmp_path / "sparse.xlsx", dimension, prefix)
    assert list_sheets(path) == [("Sheet1", "visible")]          # the workbook is small: it opens
    with pytest.raises(ReadError) as refused:
        read_table(path, "Sheet1")
    message = str(refused.value)
    assert ("its declared dimension A1:XFD1048576" in message) == declared
    assert "1,048,576 rows x 16,384 columns = 17,179,869,184 cells, over the limit of 5,000,000 cells per sheet " \
           "(RMRP_MAX_CELLS)" in message


def test_the_limits_are_set_by_the_environment(tmp_path, monkeypatch):
    path = write_rows(tmp_path / "5w.xlsx", [row(), row()])
    assert read_table(path, "Sheet").rows_read == 2
    monkeypatch.setenv("RMRP_MAX_CELLS", "50")
    with pytest.raises(ReadError, match=r"3 rows x 28 columns = 84 cells, over the limit of 50 cells per sheet"):
        read_table(path, "Sheet")
    monkeypatch.setenv("RMRP_MAX_CELLS", "lots")
    with pytest.raises(ValueError, match="RMRP_MAX_CELLS='lots': use a whole number above 0"):
        ReadLimits.from_environment()
    monkeypatch.setenv("RMRP_MAX_CELLS", "5_000_000")
    monkeypatch.setenv("RMRP_MAX_FILE_MB", "0")
    with pytest.raises(ValueError, match="RMRP_MAX_FILE_MB"):
        ReadLimits.from_environment()


@pytest.mark.parametrize(("content", "says"), [
    (b"Country,Admin1\nPeru,Lima\n", "is not a workbook: it holds text (a CSV file? one is read when named .csv"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512) + "EncryptedPackage".encode("utf-16-le"),
     "is password-protected (encrypted): save it again without a password"),
    (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512), "is an old-format .xls workbook named .xlsx"),
    (b"%PDF-1.7\n", "is not a workbook: it is a PDF document"),
    (small_workbook()[:3000], "is a damaged zip archive (no end of its directory: cut short?)"),
])
def test_a_file_that_is_no_workbook_says_what_it_is(tmp_path, content, says):
    path = tmp_path / "odd.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=f"^odd.xlsx {re.escape(says)}"):
        list_sheets(path)


_CHILD = """
import json, resource, sys
from pathlib import Path
from rmrp_pipeline.ingest import ingest_raw_folder
log = ingest_raw_folder(Path(sys.argv[1])).tables["raw.source_files"]
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "log": log[["source_file", "status", "rows_read", "message"]].astype(str).values.tolist()}))
"""


def _limit_memory() -> None:  # in the child: a regression fails the test instead of the machine
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


@pytest.mark.e2e
def test_zip_bombs_in_the_raw_folder_leave_the_run_small_and_the_other_files_loaded(reference_only):
    """A run over the bombs above (each would take a reader to gigabytes) stays under 2 GB, in seconds."""
    zip_bomb(reference_only / "bombs" / "bomb.xlsx")
    lying_zip_bomb(reference_only / "bombs" / "liar.xlsx")
    sparse_sheet(reference_only / "bombs" / "sparse.xlsx", "A1:B2")
    write_rows(reference_only / PARTNER_FILE, [row(), row()])
    done = subprocess.run([sys.executable, "-c", _CHILD, str(reference_only)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit_memory, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    log = {file: (status, rows, message) for file, status, rows, message in report["log"]}
    assert report["peak_mb"] < 2048, report["peak_mb"]
    assert log["bombs/bomb.xlsx"][0] == log["bombs/liar.xlsx"][0] == log["bombs/sparse.xlsx"][0] == "unreadable"
    assert "RMRP_MAX_PART_MB" in log["bombs/bomb.xlsx"][2] and "RMRP_MAX_CELLS" in log["bombs/sparse.xlsx"][2]
    assert log[PARTNER_FILE][0] == "recognised" and float(log[PARTNER_FILE][1]) == 2
    assert log["reference/rmrp_2021_ai_gis.xlsx"][0] == "recognised"


def test_a_file_over_the_size_limit_is_refused_unread_not_even_hashed(reference_only, monkeypatch):
    write_rows(reference_only / PARTNER_FILE, [row()])
    monkeypatch.setenv("RMRP_MAX_FILE_MB", "1")
    from rmrp_pipeline.ingest import ingest_raw_folder

    (reference_only / "big.csv").write_bytes(b"a,b\n" + b"1,2\n" * 300_000)
    log = ingest_raw_folder(reference_only).tables["raw.source_files"].set_index("source_file")
    assert log.loc["big.csv", "status"] == "unreadable" and log.loc["big.csv", "sha256"] is None
    assert log.loc["big.csv", "message"] == (
        "big.csv: the file is 1,200,004 bytes (1.1 MB), over the limit of 1 MB per file (RMRP_MAX_FILE_MB): "
        "refused unread; set RMRP_MAX_FILE_MB higher to read it")
    assert log.loc[PARTNER_FILE, "status"] == "recognised"

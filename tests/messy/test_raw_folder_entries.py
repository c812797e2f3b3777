"""Only regular files inside the raw folder are read. Links out of it, to nowhere or to a folder, FIFOs
and devices are never opened and are listed in the load log with the reason; odd file names keep
the run summary to one line per file."""

from __future__ import annotations

import os
import shutil
import threading

import duckdb
import pytest

from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.read.files import list_input_files, walk_raw_folder
from tests.conftest import RAW_DIR

COUNTRIES = RAW_DIR / "reference" / "r4v_platform_country.csv"


class FifoWatch:
    """A FIFO in the raw folder, and whether anything opened it for reading. Opening a FIFO waits
    for the other end: a thread holds the writing end, so a reader that opens it gets an empty
    file (and is seen) instead of hanging the test."""

    def __init__(self, path) -> None:
        os.mkfifo(path)
        self.path, self.opened, self.done = path, False, False
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def _write(self) -> None:
        with open(self.path, "wb"):  # returns once a reader opens the FIFO
            self.opened = not self.done

    def close(self) -> None:
        self.done = True
        reader = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # releases the writer
        try:   # held open until the writer has seen it (closed at once, the writer could miss it)
            self.thread.join(5)
        finally:
            os.close(reader)
        assert not self.thread.is_alive(), "the FIFO's writer was not released"


@pytest.fixture()
def odd_folder(reference_only, tmp_path):
    """The reference lists plus: a link to a list outside the folder (its rows must not load), links
    to /dev/zero, to nowhere and to a folder outside, a FIFO, and a link to a file inside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(COUNTRIES, outside / "countries_elsewhere.csv")
    (reference_only / "links").mkdir()
    os.symlink(outside / "countries_elsewhere.csv", reference_only / "links" / "outside.csv")
    os.symlink("/dev/zero", reference_only / "links" / "zero.xlsx")
    os.symlink("nowhere.xlsx", reference_only / "links" / "dangling.xlsx")
    os.symlink(outside, reference_only / "links" / "folder")
    os.symlink("../reference/r4v_platform_country.csv", reference_only / "links" / "inside.csv")
    fifo = FifoWatch(reference_only / "links" / "pipe.csv")
    yield reference_only, outside, fifo
    fifo.close()


def test_entries_that_are_not_files_inside_the_folder_are_listed_never_opened(odd_folder):
    raw, outside, fifo = odd_folder
    result = ingest_raw_folder(raw)
    log = result.tables["raw.source_files"].set_index("source_file")
    not_read = log[log["status"] == "not_read"]["message"].to_dict()
    assert not_read == {
        "links/dangling.xlsx": "a symbolic link to nowhere.xlsx, which does not exist: not followed",
        "links/folder": f"a symbolic link to {outside}, outside the raw folder: not followed",
        "links/inside.csv": "a symbolic link to ../reference/r4v_platform_country.csv, a file of the raw folder "
                            "read under its own name: not read twice",
        "links/outside.csv": f"a symbolic link to {outside / 'countries_elsewhere.csv'}, outside the raw folder: "
                             f"not followed",
        "links/pipe.csv": "a named pipe (FIFO), not a file: never opened",
        "links/zero.xlsx": "a symbolic link to /dev/zero, outside the raw folder: not followed",
    }
    assert not fifo.opened
    assert log.loc["reference/r4v_platform_country.csv", "status"] == "recognised"
    assert len(result.tables["staging.ref_countries"]) == 17          # the list outside is not loaded
    assert log.loc[list(not_read), "sha256"].isna().all()


def test_the_sensor_hashes_only_the_files_that_are_read(odd_folder):
    raw, _outside, fifo = odd_folder
    files, not_read = walk_raw_folder(raw)
    # the six bundled reference files (R4V's 2022 5W template among them), and nothing of links/
    assert files == list_input_files(raw) and len(files) == 6 and len(not_read) == 6
    assert all(path.is_file() and not path.is_symlink() for path in files)
    assert not fifo.opened


def test_a_link_to_a_file_inside_the_folder_is_read_when_its_target_is_not(reference_only):
    """A lock-file name is never read: a link to such a file is the only name its content has."""
    shutil.copy(COUNTRIES, reference_only / ".hidden_countries.csv")
    os.symlink(".hidden_countries.csv", reference_only / "countries.csv")
    files, not_read = walk_raw_folder(reference_only)
    assert reference_only / "countries.csv" in files and not not_read


@pytest.mark.e2e
def test_the_run_summary_keeps_one_line_per_file_whatever_its_name(reference_only, tmp_path):
    from rmrp_pipeline.cli import run_pipeline
    from rmrp_pipeline.reports.summary import run_summary

    # files of one sheet each: R4V's 2022 5W template (five sheets, a name long enough for a line of
    # its own) is left out
    (reference_only / "reference" / "rmrp2022_5w_template_with_indicators.xlsx").unlink()
    names = ["new\nline.csv", "bell\x07.csv", "escape\x1b[31mred.csv", "tab\tand\u202eevil.csv"]
    for number, name in enumerate(names):
        (reference_only / name).write_text(f"a,b\n{number},2\n")
    os.symlink("nowhere.csv", reference_only / "gone\n.csv")
    warehouse = tmp_path / "w.duckdb"
    ok, cycles = run_pipeline(str(reference_only), str(warehouse), quiet=True)
    assert ok
    with duckdb.connect(str(warehouse), read_only=True) as con:
        stored = {f for (f,) in con.execute("SELECT source_file FROM meta.load_log").fetchall()}
        summary = run_summary(con, cycles)
    assert set(names) | {"gone\n.csv"} <= stored                       # the warehouse keeps the real names
    shown = ["new\\nline.csv", "bell\\x07.csv", "escape\\x1b[31mred.csv", "tab\\tand\\u202eevil.csv", "gone\\n.csv"]
    lines = summary.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Files read:")) + 4   # title, legend, header, rule
    table = lines[start: lines.index("", start)]
    counted = [line for line in table if line.split()[-1].replace(",", "").isdigit()]
    assert len(counted) == len(stored)                                 # one line of counts per file and sheet
    assert sorted(line.split()[0] for line in table if line.split()[0] in shown) == sorted(shown)
    assert "  gone\\n.csv [-]: not_read: a symbolic link to nowhere.csv, which does not exist: not followed" in lines
    assert not any(ch in summary for ch in "\x07\x1b\t\u202e")

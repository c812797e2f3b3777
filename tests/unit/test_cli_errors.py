"""Mistakes people make with ``rmrp``: each is one line on standard error and a non-zero exit,
within seconds, never a traceback and never a run that empties the warehouse."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from rmrp_pipeline.cli import main
from tests.conftest import RAW_DIR


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err.strip()
    return code, err


def test_an_empty_raw_folder_is_refused_and_the_warehouse_left_as_it_is(capsys, tmp_path):
    (tmp_path / "raw").mkdir()
    warehouse = tmp_path / "w.duckdb"
    code, err = _run(capsys, ["run", "--raw-dir", str(tmp_path / "raw"), "--warehouse", str(warehouse)])
    assert code == 2 and err == f"rmrp run: no input files in {tmp_path / 'raw'}: nothing to load (the warehouse is left as it is)"
    assert not warehouse.exists()


def test_a_raw_folder_that_cannot_be_listed_says_why(capsys, tmp_path, monkeypatch):
    import os

    from rmrp_pipeline.read import files

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.xlsx").write_bytes(b"x")
    real_scandir = os.scandir

    def refuse(path):
        if Path(path) == raw:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", refuse)   # tests run as root, where chmod 000 does not refuse
    warehouse = tmp_path / "w.duckdb"
    code, err = _run(capsys, ["run", "--raw-dir", str(raw), "--warehouse", str(warehouse)])
    assert code == 2 and err.startswith(f"rmrp run: no input file in {raw} can be read: {raw}: a folder that cannot be listed")
    assert "Permission denied" in err and "\n" not in err
    assert not warehouse.exists()


def test_a_file_given_as_the_raw_folder_is_refused(capsys, tmp_path):
    given = tmp_path / "activities.xlsx"
    given.write_bytes(b"x")
    code, err = _run(capsys, ["run", "--raw-dir", str(given), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and err == f"rmrp run: the raw data folder {given} is a file; give the folder that holds the input files"


def test_a_warehouse_path_that_cannot_be_written_is_one_line_at_once(capsys):
    started = time.monotonic()
    code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", "/proc/rmrp.duckdb"])
    assert code == 2 and err.startswith("rmrp run: cannot open the warehouse /proc/rmrp.duckdb for writing")
    assert "\n" not in err and time.monotonic() - started < 30


def test_a_folder_given_as_the_warehouse_is_refused(capsys, tmp_path):
    code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(tmp_path)])
    assert code == 2 and err == f"rmrp run: the warehouse path {tmp_path} is a folder; give a file, e.g. {tmp_path / 'rmrp.duckdb'}"


def test_a_relative_dagster_home_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", ".dagster_home")
    code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and "DAGSTER_HOME='.dagster_home' must be an existing folder given by its absolute path" in err


def test_a_warehouse_another_process_writes_is_refused_with_the_reason(capsys, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(warehouse)])
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and err.startswith(f"rmrp run: the warehouse {warehouse} is open for writing in another process")
    assert "\n" not in err


@pytest.mark.parametrize("cycle", ["2024-H1", "2019-H2"])
def test_qa_of_a_cycle_without_5w_rows_is_one_line(capsys, tmp_path, cycle):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA staging; CREATE TABLE staging.stg_5w__activities AS SELECT DATE '2021-03-01' AS month")
    code, err = _run(capsys, ["qa", "--cycle", cycle, "--warehouse", str(warehouse)])
    assert code == 1 and err == (f"rmrp qa: no 5W rows in {cycle}: the warehouse has no 5W data of its months "
                                 "(its cycles: none)")


def test_a_relative_warehouse_path_that_is_missing_is_named_with_the_folder_it_is_read_from(capsys, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, err = _run(capsys, ["sql", "SELECT 1", "--warehouse", "data/w.duckdb"])
    assert code == 2 and err == (f"rmrp sql: no warehouse at data/w.duckdb (from the folder {tmp_path}: "
                                 f"{tmp_path / 'data' / 'w.duckdb'}): run `rmrp run` first, or give --warehouse")


@pytest.mark.parametrize("argv", [
    ["sql", "SELECT 1"],
    ["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru", "--subsector", "Health"],
    ["export", "marts.people_reached_monthly"],
    ["export", "people-reached", "--cycle", "2021-H1"],
    ["qa", "--cycle", "2021-H1"],
    ["report", "sector-page", "--sector", "Health", "--years", "2023", "--output", "page.html"],
    ["freeze", "2021-H1", "--reason", "published"],
])
def test_every_command_says_a_missing_warehouse_in_one_line_with_the_wrong_argument_code(capsys, tmp_path, argv):
    """A path with no warehouse is a wrong argument for every command: exit code 2 (as a misspelled
    cycle), one line naming the path, nothing written beside it."""
    missing = tmp_path / "none" / "w.duckdb"
    code, err = _run(capsys, [*argv, "--warehouse", str(missing)])
    assert code == 2, (argv, err)
    assert err.endswith(f"no warehouse at {missing}: run `rmrp run` first, or give --warehouse"), err
    assert "\n" not in err and not missing.parent.exists()


@pytest.mark.parametrize("cycle", ["2021H1", "2021-h1", "2021-H3"])
def test_a_malformed_cycle_is_the_same_wrong_argument_for_every_command(capsys, tmp_path, cycle):
    warehouse = str(tmp_path / "w.duckdb")
    said = {}
    for argv in (["qa", "--cycle", cycle], ["export", "people-reached", "--cycle", cycle],
                 ["explain", "people-reached", "--cycle", cycle, "--country", "Peru", "--subsector", "Health"]):
        code, err = _run(capsys, [*argv, "--warehouse", warehouse])
        assert code == 2, (argv, err)
        said[argv[0]] = err.split(": ", 1)[1]
    assert said["qa"] == said["export"] == said["explain"] and cycle in said["qa"] and "\n" not in said["qa"]


def test_a_negative_limit_of_partner_rows_is_refused(capsys, tmp_path):
    code, err = _run(capsys, ["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru",
                              "--subsector", "Health", "--limit", "-1", "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and err == "rmrp explain: --limit takes a number of partner rows, or 0 for all of them, not -1"


def test_a_table_that_is_not_exported_is_named_with_what_is(capsys, tmp_path):
    code, err = _run(capsys, ["export", "staging.stg_5w__activities", "--output", str(tmp_path / "x.csv"),
                              "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and err.startswith("rmrp export: staging.stg_5w__activities is not exported: rmrp export writes "
                                        "the marts.* and meta.* tables and people-reached; read it with rmrp sql")
    assert not (tmp_path / "x.csv").exists()


def test_a_reports_folder_that_cannot_be_written_stops_a_run_before_it_starts(capsys, tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("not a folder")
    monkeypatch.setenv("RMRP_REPORTS_DIR", str(tmp_path / "a_file" / "reports"))
    warehouse = tmp_path / "w.duckdb"
    code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(warehouse)])
    assert code == 2 and err == (f"rmrp run: cannot write {tmp_path / 'a_file' / 'reports'}: Not a directory: each run "
                                 "writes its QA workbooks there; set RMRP_REPORTS_DIR to a folder you can write")
    assert not warehouse.exists()


@pytest.mark.e2e
def test_a_report_that_cannot_be_written_is_one_line(capsys, small_build, tmp_path):
    """``rmrp qa`` and ``rmrp export`` on the session's small warehouse (2022-H2: the August 2022
    Southern Cone report), their output under a file, which no folder can be made in."""
    (tmp_path / "a_file").write_text("not a folder")
    warehouse = str(small_build / "clean" / "rmrp.duckdb")
    code, err = _run(capsys, ["qa", "--cycle", "2022-H2", "--warehouse", warehouse,
                              "--output", str(tmp_path / "a_file" / "qa.xlsx")])
    assert code == 1 and err == (f"rmrp qa: cannot write {tmp_path / 'a_file'}: File exists "
                                 "(give another place with --output or RMRP_REPORTS_DIR)")
    code, err = _run(capsys, ["export", "people-reached", "--cycle", "2022-H2", "--warehouse", warehouse,
                              "--output", str(tmp_path / "a_file" / "people.csv")])
    assert code == 1 and err.startswith(f"rmrp export: cannot write {tmp_path / 'a_file' / 'people.csv'}: ")
    assert "\n" not in err


def test_a_workbook_that_cannot_be_created_raises_the_os_error_behind_it(tmp_path):
    import pandas as pd

    from rmrp_pipeline.reports.files import write_table_workbook, write_workbook

    with pytest.raises(IsADirectoryError):   # XlsxWriter's FileCreateError, unwrapped
        write_workbook({"rows": pd.DataFrame({"a": [1]})}, tmp_path)
    with pytest.raises(IsADirectoryError):
        write_table_workbook(pd.DataFrame({"a": [1]}), tmp_path, "rows")


@pytest.mark.parametrize("variable", ["RMRP_MAX_CELLS", "RMRP_MAX_FILE_MB"])
def test_a_read_limit_that_is_not_a_number_stops_a_run_before_it_starts(capsys, tmp_path, monkeypatch, variable):
    """A typo in a limit is one line and exit 2, as for RMRP_LOCK_WAIT, not a failed ingest."""
    monkeypatch.setenv(variable, "5 million")
    warehouse = tmp_path / "w.duckdb"
    code, err = _run(capsys, ["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(warehouse)])
    assert code == 2 and err == f"rmrp run: {variable}='5 million': use a whole number above 0"
    assert not warehouse.exists()


@pytest.mark.parametrize("command", [
    ["export", "people-reached", "--cycle", "2021-H1"],
    ["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru", "--subsector", "Shelter"],
])
def test_people_reached_of_a_warehouse_built_without_5w_data_is_one_line(capsys, tmp_path, command):
    """A raw folder without 5W files builds no cycle table: the commands say there is no 5W data
    (export printed a traceback; explain asked to run `rmrp run`, which had been run)."""
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA staging; CREATE TABLE staging.stg_5w__activities (month DATE)")
    code, err = _run(capsys, [*command, "--warehouse", str(warehouse), *(["--output", str(tmp_path / "x.csv")]
                                                                          if command[0] == "export" else [])])
    assert code == 1 and err == (f"rmrp {command[0]}: no people reached in 2021-H1: the warehouse has no 5W data "
                                 "of its months (its cycles: none)")
    assert not (tmp_path / "x.csv").exists()


def test_a_qa_workbook_asked_under_another_extension_is_refused(capsys, tmp_path):
    """``rmrp qa --output q.csv`` wrote an Excel workbook named .csv (Excel then warns that the file
    is not what its name says): refused in one line, as export and report refuse theirs."""
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA staging; CREATE TABLE staging.stg_5w__activities AS SELECT DATE '2021-03-01' AS month")
    code, err = _run(capsys, ["qa", "--cycle", "2021-H1", "--warehouse", str(warehouse), "--output", str(tmp_path / "q.csv")])
    assert code == 2 and err == "rmrp qa: the QA workbook is an .xlsx file: give --output a name ending in .xlsx, not q.csv"
    assert not (tmp_path / "q.csv").exists()

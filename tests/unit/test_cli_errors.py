"""Mistakes people make with ``rmrp``: each is one line on standard error and a non-zero exit,
within seconds, never a traceback and never a run that empties the warehouse."""

from __future__ import annotations

import subprocess
import sys
import time

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
    assert code == 1 and err == f"rmrp qa: no 5W rows in {cycle}: the warehouse has no 5W data of its months"

"""Edges of running the pipeline as an operator does, each with the ``rmrp`` command in its own
process: a wrong setting in the environment is one line and exit 2, never a traceback, for every
command that writes the warehouse (docs/operations.md, Configuration)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest


ROOT = Path(__file__).resolve().parents[2]


def _rmrp(*args: object, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rmrp_pipeline.cli", *map(str, args)], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=600)


def test_a_wrong_lock_wait_is_one_line_for_freeze_and_unfreeze(tmp_path):
    warehouse = tmp_path / "rmrp.duckdb"
    duckdb.connect(str(warehouse)).close()
    before = warehouse.read_bytes()
    for command in ("freeze", "unfreeze"):
        done = _rmrp(command, "2022-H2", "--reason", "mid-year report published", "--warehouse", warehouse,
                     RMRP_LOCK_WAIT="ten")
        assert done.returncode == 2, done.stderr
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert lines == [f"rmrp {command}: RMRP_LOCK_WAIT='ten': give the seconds to wait for another run, 0 or more"]
    assert warehouse.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rmrp.duckdb"]


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 5 MB tmpfs: room for the start of a run (the checks before it pass: nothing is published
    yet), not for its end (the build of the small raw folder is about 7 MB, the Dagster instance beside it)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_disk_that_fills_during_the_run_ends_in_one_line_and_leaves_no_build(small_build, small_disk):
    raw = small_build / "raw"   # tests/conftest.py SMALL_RAW, read where the session's run read it
    warehouse = small_disk / "rmrp.duckdb"
    done = _rmrp("run", "--quiet", "--raw-dir", raw, "--warehouse", warehouse)
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode in (1, 2), done.stderr[-2000:]
    assert last.startswith(("rmrp run: not published: ", "not published: ")), done.stderr[-2000:]
    assert f"{warehouse} is left as it was" in last
    assert not warehouse.exists()
    assert not [p.name for p in small_disk.iterdir() if ".build-" in p.name]


#: A writer in its own process: opens the warehouse read-write, says so, and holds it until killed.
WRITER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
time.sleep(600)
"""


def test_a_connection_opened_for_writing_during_a_run_stops_the_publication(small_build, tmp_path):
    """The run checks at its start that nobody writes the warehouse; someone who opens it for
    writing while the run builds would lose every later write when the build replaces the file:
    nothing is replaced, one line says why, the build is removed. The warehouse: a copy of the
    session's build of the small raw folder (tests/conftest.py ``small_build``)."""
    raw = small_build / "raw"
    warehouse = tmp_path / "w" / "rmrp.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(small_build / "clean" / "rmrp.duckdb", warehouse)
    before = warehouse.read_bytes()
    run = subprocess.Popen([sys.executable, "-m", "rmrp_pipeline.cli", "run", "--quiet", "--raw-dir", str(raw),
                            "--warehouse", str(warehouse)], cwd=ROOT, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer = None
    try:
        deadline = time.monotonic() + 300
        while not list(warehouse.parent.glob(".rmrp.duckdb.build-*")) and run.poll() is None:
            assert time.monotonic() < deadline, "no build file appeared"
            time.sleep(0.1)
        assert run.poll() is None, run.stderr.read()
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(warehouse)], text=True, stdout=subprocess.PIPE)
        assert writer.stdout.readline().strip() == "open"
        out, err = run.communicate(timeout=600)
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
        if run.poll() is None:
            run.kill()
    assert run.returncode == 2, out + err
    assert err.strip().splitlines()[-1].startswith(f"rmrp run: the warehouse {warehouse} was opened for writing")
    assert warehouse.read_bytes() == before
    assert not [p.name for p in warehouse.parent.iterdir() if ".build-" in p.name]

"""Edges of running the pipeline as an operator does, each with the ``rmrp`` command in its own
process: a wrong setting in the environment is one line and exit 2, never a traceback, for every
command that writes the warehouse (docs/operations.md, Configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

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

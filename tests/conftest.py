"""Shared fixtures: the bundled real data, and one warehouse built from it by the pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "data" / "raw"
FIVE_W_2021 = RAW_DIR / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"
INDICATORS_2021 = RAW_DIR / "reference" / "rmrp_2021_ai_indicators.xlsx"


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> tuple[Path, list[str], str]:
    """(warehouse path, cycles built, summary text) of one `rmrp run` over data/raw, in-process
    through the same Dagster jobs the UI runs, into a temporary warehouse."""
    from rmrp_pipeline.cli import run_pipeline
    from rmrp_pipeline.summary import run_summary

    warehouse = tmp_path_factory.mktemp("wh") / "rmrp.duckdb"
    ok, cycles = run_pipeline(str(RAW_DIR), str(warehouse), quiet=True)
    assert ok, "the pipeline run failed"
    with duckdb.connect(str(warehouse)) as con:
        summary = run_summary(con, cycles)
    return warehouse, cycles, summary


@pytest.fixture()
def wh(built_warehouse):
    """A read-only connection to the built warehouse."""
    con = duckdb.connect(str(built_warehouse[0]), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    """A writable copy of data/raw, for tests that add files to it."""
    target = tmp_path / "raw"
    shutil.copytree(RAW_DIR, target)
    return target


@pytest.fixture()
def reference_only(tmp_path) -> Path:
    """A raw folder with only the reference lists (fast: for tests of small generated files)."""
    target = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "reference", target / "reference")
    return target

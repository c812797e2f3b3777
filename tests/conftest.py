"""Shared fixtures: the bundled real data, and one warehouse built from it by the pipeline.

Tests are grouped by layer (tests/unit, tests/sources, tests/sql, tests/e2e; see docs/architecture.md).
A test is marked ``e2e`` when it lives in tests/e2e or needs a whole pipeline run over the bundled
data (the session warehouse, or a copy of the raw folder), or by hand when it runs ``rmrp run`` /
the Dagster jobs or reads the whole of a bundled export: ``pytest -m "not e2e"`` is the fast loop."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
# Reports written by the pipeline during tests go to a temporary folder, never into the repo.
os.environ.setdefault("RMRP_REPORTS_DIR", tempfile.mkdtemp(prefix="rmrp_reports_"))
RAW_DIR = ROOT / "data" / "raw"
FIVE_W_2021 = RAW_DIR / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"
INDICATORS_2021 = RAW_DIR / "reference" / "rmrp_2021_ai_indicators.xlsx"


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> tuple[Path, list[str], str]:
    """(warehouse path, cycles built, printed summary) of one `rmrp run` over data/raw (the console
    command's own entry point, in-process, through the same Dagster jobs the UI runs) into a
    temporary warehouse."""
    from rmrp_pipeline.cli import main

    warehouse = tmp_path_factory.mktemp("wh") / "rmrp.duckdb"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(warehouse), "--quiet"])
    assert code == 0, "rmrp run failed"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cycles = [k for (k,) in con.execute(
            "SELECT DISTINCT CAST(year(month) AS VARCHAR) || CASE WHEN month(month) <= 6 THEN '-H1' ELSE '-H2' END "
            "FROM marts.people_reached_monthly ORDER BY 1"
        ).fetchall()]
    return warehouse, cycles, printed.getvalue()


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


#: Fixtures that mean a whole pipeline run over the bundled data.
E2E_FIXTURES = {"built_warehouse", "wh", "raw_copy"}


def pytest_collection_modifyitems(config, items):
    """Mark ``e2e`` the tests of tests/e2e and those that use a fixture of E2E_FIXTURES."""
    e2e_folder = ROOT / "tests" / "e2e"
    for item in items:
        if e2e_folder in Path(item.fspath).parents or E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)

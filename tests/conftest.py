"""Shared fixtures: the bundled real data; made once for the session, the warehouse built from it by
the pipeline (and its QA workbook), the build of a small copy of some of its files, and the 2021
export's rows as openpyxl reads them; outside e2e, each bundled reference list read once per process.

Tests are grouped by layer (tests/unit, tests/sources, tests/sql, tests/e2e; see docs/architecture.md).
A test is marked ``e2e`` when it lives in tests/e2e or needs a whole pipeline run over the bundled
data (the session warehouse, its QA workbook, or a copy of the raw folder), or by hand when it runs ``rmrp run`` /
the Dagster jobs or reads the whole of a bundled export: ``pytest -m "not e2e"`` is the fast loop."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import importlib.util
import io
import os
import pickle
import shutil
import subprocess
import sys
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



def stage_5w_rows(con: duckdb.DuckDBPyConnection, rows) -> None:
    """Fixture 5W rows (dicts of ``marts.fct_activities``' columns) put where the ingest puts them:
    ``staging.stg_5w__activities``, none rejected, read by the builders through the view
    ``marts.fct_activities``."""
    import pandas as pd

    from rmrp_pipeline.warehouse import db

    db.create_table(con, "staging.stg_5w__activities")
    frame = pd.DataFrame(rows)
    if len(frame):
        db.insert_frame(con, "staging.stg_5w__activities",
                        frame if "is_rejected" in frame else frame.assign(is_rejected=False))
    db.create_table(con, "marts.fct_activities")


_spec = importlib.util.spec_from_file_location("compare_warehouses", ROOT / "scripts" / "compare_warehouses.py")
#: scripts/compare_warehouses.py (the warehouse compare: ``compare(before, after)``, ``main(argv)``),
#: loaded as a module for the tests (scripts/ is no package).
compare_warehouses = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_warehouses)


def built_once(tmp_path_factory, name: str, build) -> Path:
    """The folder ``name``, filled by ``build(folder)`` once for the whole test session: by the
    first pytest-xdist worker that asks (under a file lock); the others wait for it and use it.
    Tests read it, or copy it before writing (a .duckdb file or a folder is cheap to copy)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent   # shared by the workers of one session
    folder = root / name
    done = root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes, or the process dies
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def _rmrp_run_into(folder: Path) -> None:
    warehouse = folder / "rmrp.duckdb"
    from rmrp_pipeline.cli import main

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(warehouse), "--quiet"])
    assert code == 0, "rmrp run failed"
    (folder / "summary.txt").write_text(printed.getvalue(), encoding="utf-8")


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> tuple[Path, list[str], str]:
    """(warehouse path, cycles built, printed summary) of one `rmrp run` over data/raw (the console
    command's own entry point, in-process, through the same Dagster jobs the UI runs) into a
    temporary warehouse, run once for the session (:func:`built_once`). Read it; copy it to write."""
    folder = built_once(tmp_path_factory, "built_warehouse", _rmrp_run_into)
    warehouse = folder / "rmrp.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cycles = [k for (k,) in con.execute(
            "SELECT DISTINCT CAST(year(month) AS VARCHAR) || CASE WHEN month(month) <= 6 THEN '-H1' ELSE '-H2' END "
            "FROM marts.people_reached_monthly ORDER BY 1"
        ).fetchall()]
    return warehouse, cycles, (folder / "summary.txt").read_text(encoding="utf-8")


#: A small raw folder copied from data/raw, over which a run takes seconds: the two small 5W
#: reports (August 2022 Southern Cone: 2022-H2; January 2023 Mexico/Panama: 2023-H1), the 2021
#: reference lists, and two published key-figure workbooks.
SMALL_RAW = ("monitoring_5w/activities_5w_2022_southern_cone_aug.xlsx",
             "monitoring_5w/activities_5w_2023_mexico_panama_jan.xlsx",
             "planning/rmrp2022_regional_key_figures.xlsx",
             "planning/rmrp2023-2024_trafficking_smuggling_key_figures.xlsx",
             "reference/r4v_platform_country.csv", "reference/rmrp_2021_ai_gis.xlsx",
             "reference/rmrp_2021_ai_indicators.xlsx", "reference/rmrp_2021_ai_ip.xlsx",
             "reference/rmrp_2021_ai_partners.xlsx")


def _small_raw_and_build(folder: Path) -> None:
    """raw/: SMALL_RAW; clean/: `rmrp run --quiet` over it in its own process, without DAGSTER_HOME
    (rmrp.duckdb as publication 1, its instance .dagster/ and its ingest cache beside it)."""
    for name in SMALL_RAW:
        (folder / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAW_DIR / name, folder / "raw" / name)
    warehouse = folder / "clean" / "rmrp.duckdb"
    warehouse.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "RMRP_PAUSE_AT", "RMRP_LOCK_WAIT")}
    done = subprocess.run([sys.executable, "-m", "rmrp_pipeline.cli", "run", "--quiet", "--raw-dir", str(folder / "raw"),
                           "--warehouse", str(warehouse)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Publication 1 of the warehouse: run rmrp-" in done.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # the August 2022 Southern Cone report's 125 rows and the January 2023 Mexico/Panama report's 50
        assert con.execute("SELECT count(*) FROM staging.stg_5w__activities").fetchone()[0] == 175
        assert con.execute("SELECT count(*) FROM marts.cycle_people_reached").fetchone()[0] > 0


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> Path:
    """The folder of :func:`_small_raw_and_build` (raw/ and clean/), made once for the session
    (:func:`built_once`). Read it; copy what a test writes."""
    return built_once(tmp_path_factory, "small_build", _small_raw_and_build)


@pytest.fixture(scope="session")
def qa_2021_h1(built_warehouse, tmp_path_factory) -> tuple[Path, str]:
    """(workbook, printed) of one `rmrp qa --cycle 2021-H1 --output <folder>/rmrp_5w_qa_2021-H1.xlsx`
    on the session warehouse, run once for the session: the cycle workbook, and beside it
    qa_5w_2021-H1/ (one workbook per organisation)."""
    from rmrp_pipeline.cli import main

    def write(folder: Path) -> None:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(["qa", "--cycle", "2021-H1", "--warehouse", str(built_warehouse[0]),
                         "--output", str(folder / "rmrp_5w_qa_2021-H1.xlsx")])
        assert code == 0, "rmrp qa failed"
        (folder / "printed.txt").write_text(printed.getvalue(), encoding="utf-8")

    folder = built_once(tmp_path_factory, "qa_2021_h1", write)
    return folder / "rmrp_5w_qa_2021-H1.xlsx", (folder / "printed.txt").read_text(encoding="utf-8")


def _read_export_2021(folder: Path) -> None:
    import openpyxl

    rows = list(openpyxl.load_workbook(FIVE_W_2021, read_only=True).worksheets[0].iter_rows(values_only=True))
    (folder / "rows.pickle").write_bytes(pickle.dumps(rows))


@pytest.fixture(scope="session")
def export_2021_rows(tmp_path_factory) -> tuple[tuple, ...]:
    """Every row of R4V's 2021 5W export as openpyxl reads its values (22,497 with the header, the
    header first), for the tests that work a figure out from the file independently of the
    pipeline: read once for the session (:func:`built_once`; 3 s of CPU), loaded once per worker."""
    folder = built_once(tmp_path_factory, "export_2021_rows", _read_export_2021)
    return tuple(pickle.loads((folder / "rows.pickle").read_bytes()))


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


#: (SHA-256, sheet, name, RMRP_* settings) -> (sheet, recognition) of a sheet of a bundled reference list, read in
#: this test process (:func:`_bundled_reference_lists_read_once`).
_REFERENCE_SHEETS: dict[tuple, tuple] = {}


@functools.cache
def _bundled_reference_files() -> dict[int, set[str]]:
    """Size -> SHA-256 of the bundled reference lists of that size (data/raw/reference)."""
    found: dict[int, set[str]] = {}
    for path in (RAW_DIR / "reference").iterdir():
        found.setdefault(path.stat().st_size, set()).add(hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def _read_once(read, path: Path, sheet_name: str, name: str):
    """``read(path, sheet_name, name)``, kept for a file with the bytes of a bundled reference list
    (and the same ``RMRP_*`` settings: the read limits); each later call gets a copy of its frame,
    with ``path`` the file it names. Any other file, or one that cannot be opened, is read."""
    try:
        shas = _bundled_reference_files().get(Path(path).stat().st_size)
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest() if shas else None
    except OSError:
        sha = shas = None
    if sha is None or sha not in shas:
        return read(path, sheet_name, name)
    key = (sha, sheet_name, name, tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("RMRP_"))))
    if key not in _REFERENCE_SHEETS:
        _REFERENCE_SHEETS[key] = read(path, sheet_name, name)
    sheet, recognition = _REFERENCE_SHEETS[key]
    return dataclasses.replace(sheet, frame=sheet.frame.copy(), headers=list(sheet.headers),
                               row_numbers=list(sheet.row_numbers), path=Path(path), hxl_tags=dict(sheet.hxl_tags),
                               problem_cells=dict(sheet.problem_cells), _cells=dict(sheet._cells)), recognition


@pytest.fixture(autouse=True)
def _bundled_reference_lists_read_once(request, monkeypatch):
    """Outside the e2e tests, each sheet of a bundled reference list (data/raw/reference: the same
    bytes, under the same name) is read and recognised once per test process, and its rows staged
    afresh by every ingest: reading R4V's 2022 template (its Admin1 sheet has 7,111 rows) is most
    of the 0.34 s CPU an ingest of the reference lists takes, and over a hundred tests ingest them.
    The e2e tests, and every `rmrp` process, read each file; except the e2e tests marked
    ``reference_lists_read_once``, whose subject is what the pipeline makes of other files (the 5W
    reports' ingest cache, resubmitted reports) and which ingest the reference lists dozens of times."""
    if request.node.get_closest_marker("e2e") is None or request.node.get_closest_marker("reference_lists_read_once"):
        from rmrp_pipeline import ingest

        monkeypatch.setattr(ingest, "read_and_recognise", functools.partial(_read_once, ingest.read_and_recognise))


#: Fixtures that mean a whole pipeline run over the bundled data (or a copy of some of its files).
E2E_FIXTURES = {"built_warehouse", "wh", "raw_copy", "qa_2021_h1", "small_build"}


#: Test files whose single tests take longest (a run, a browser, a process killed), longest first:
#: they start first, so that no worker is left with a long test at the end while the other idles
#: (pytest-xdist's worksteal hands the short tests after them to whichever worker is free). An order
#: only: a file not listed runs after these, in pytest's order. Measured with --durations. The first
#: two build different session fixtures (``small_build``, ``built_warehouse``), so that neither
#: worker starts by waiting for the other's build.
LONGEST_FIRST = [
    "e2e/test_ui_browser.py", "e2e/test_cycle_freeze.py", "sql/test_dagster_instance.py", "e2e/test_ingest_cache.py", "e2e/test_operations_edges.py",
    "e2e/test_personal_data_acceptance.py", "e2e/test_pipeline_end_to_end.py", "e2e/test_qa_organisation_workbooks.py",
    "e2e/test_publishing.py", "e2e/test_resubmissions.py", "sources/test_five_w_rules.py",
    "e2e/test_exports_and_qa.py", "e2e/test_table_exports.py", "sql/test_reporting_completeness.py",
    "sources/test_r4v_type_rules_by_year.py", "sql/test_cycle_outputs.py", "sources/test_r4v_type_rules.py",
    "unit/test_fuzz.py", "e2e/test_explain.py", "messy/test_raw_folder_entries.py", "e2e/test_example_queries.py",
    "sources/test_five_w_quality_rules.py",
]


def pytest_collection_modifyitems(config, items):
    """Mark ``e2e`` the tests of tests/e2e and those that use a fixture of E2E_FIXTURES; put the
    files of LONGEST_FIRST first (each file's tests in their order)."""
    e2e_folder = ROOT / "tests" / "e2e"
    for item in items:
        if e2e_folder in Path(item.fspath).parents or E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    tests = ROOT / "tests"
    items.sort(key=lambda item: rank.get(Path(item.fspath).relative_to(tests).as_posix(), len(rank)))

"""Publishing the warehouse beside analysts, with real processes: ``rmrp run`` in a subprocess,
readers in other processes, SIGKILL at known moments (``RMRP_PAUSE_AT``, ``warehouse.publish``).

The runs read a small raw folder copied from data/raw (tests/conftest.py ``SMALL_RAW``: two small
5W exports, the 2021 reference lists, two published key-figure workbooks) so that each takes seconds."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SMALL_RAW, compare_warehouses

#: A reader in its own process: polls the published file (a new read-only connection each
#: time, every 0.2 s) until the file named by argv[2] exists; prints one line per poll:
#: publication id, whether the row counts of every table equal those recorded for it, or the error;
#: and writes the id of the publication it last read to the file named by argv[3].
POLLER = """
import os, sys, time, duckdb
path, stop, seen = sys.argv[1], sys.argv[2], sys.argv[3]
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as con:
            number, recorded = con.execute(
                "SELECT publication_id, table_rows FROM meta.publications ORDER BY publication_id DESC LIMIT 1").fetchone()
            actual = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in recorded}
        print(number, actual == dict(recorded), flush=True)
        with open(seen + ".part", "w") as last:
            last.write(str(number))
        os.replace(seen + ".part", seen)
    except Exception as exc:
        print("error", type(exc).__name__, str(exc).splitlines()[0], flush=True)
    time.sleep(0.2)
"""

#: A reader holding one read-only connection: prints the publication id and the 5W row count,
#: then again each time it reads a line on standard input.
HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
query = ("SELECT (SELECT max(publication_id) FROM meta.publications), "
         "(SELECT count(*) FROM staging.stg_5w__activities), (SELECT count(*) FROM marts.cycle_people_reached)")
print(*con.execute(query).fetchone(), flush=True)
for _line in sys.stdin:
    print(*con.execute(query).fetchone(), flush=True)
"""


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "RMRP_PAUSE_AT", "RMRP_LOCK_WAIT")}
    return {**env, **extra}


def _rmrp_run(raw: Path, warehouse: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rmrp_pipeline.cli", "run", "--quiet", "--raw-dir", str(raw),
                             "--warehouse", str(warehouse)], cwd=ROOT, env=_env(**env), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_for(predicate, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + 300
    while not predicate():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the run ended before {what}: {process.stderr.read()}")
        assert time.monotonic() < deadline, f"never reached: {what}"
        time.sleep(0.1)


def _publication(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT max(publication_id) FROM meta.publications").fetchone()[0]


def _same_figures(before: Path, after: Path) -> list[str]:
    """The differences between two warehouses, meta.publications aside (its run ids differ)."""
    differences, _additions = compare_warehouses.compare(before, after)
    return [d for d in differences if "meta.publications" not in d and not d.startswith(("    ", "type:"))]


@pytest.fixture(scope="module")
def small_raw(small_build) -> Path:
    """The small raw folder (read by the runs, never written)."""
    return small_build / "raw"


@pytest.fixture(scope="module")
def clean_build(small_build) -> Path:
    """A warehouse built once from the small raw folder (publication 1), kept read-only as the
    reference: built once for the session (tests/conftest.py ``small_build``)."""
    return small_build / "clean" / "rmrp.duckdb"


@pytest.fixture
def published(clean_build, tmp_path) -> Path:
    """A private copy of the clean build, as the published warehouse of a test."""
    target = tmp_path / "wh" / "rmrp.duckdb"
    target.parent.mkdir()
    shutil.copy2(clean_build, target)
    return target


@pytest.fixture(scope="module")
def run_beside_readers(small_raw, clean_build, tmp_path_factory) -> dict:
    """One `rmrp run` over a copy of the clean build (publication 1) with two readers in their own
    processes beside it: HOLDER (one connection, read before the run and once after it) and POLLER
    (a new connection every 0.2 s, stopped once it has read the new publication). What each saw, for
    the two tests of readers."""
    folder = tmp_path_factory.mktemp("readers")
    published = folder / "wh" / "rmrp.duckdb"
    published.parent.mkdir()
    shutil.copy2(clean_build, published)
    stop, last_read = folder / "stop", folder / "last_read"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(published)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    poller = None
    seen: dict = {"published": published}
    try:
        seen["held_before"] = holder.stdout.readline().split()
        poller = subprocess.Popen([sys.executable, "-c", POLLER, str(published), str(stop), str(last_read)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen["run"] = _finish(_rmrp_run(small_raw, published))
        holder.stdin.write("again\n")
        holder.stdin.flush()
        seen["held_after"] = holder.stdout.readline().split()
        if seen["run"][0] == 0:   # until the poller has polled the new publication
            _wait_for(lambda: last_read.exists() and last_read.read_text() == "2", "a poll of the new publication", poller)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        stop.write_text("")
        if poller is not None:
            seen["polls"] = poller.communicate(timeout=60)
    seen["holder"] = holder.returncode, holder.stderr.read()
    seen["poller"] = poller.returncode
    return seen


def test_a_reader_holding_a_connection_across_a_publish_keeps_reading_and_a_new_one_sees_the_new_publication(
        run_beside_readers):
    published, before = run_beside_readers["published"], run_beside_readers["held_before"]
    assert before[0] == "1" and int(before[1]) > 0
    code, out, err = run_beside_readers["run"]
    assert code == 0 and "Traceback" not in err, err
    assert "Publication 2 of the warehouse: run rmrp-" in out
    # the same raw folder: the small raw folder's files, each unchanged (tests/conftest.py SMALL_RAW)
    assert f"  since publication 1: no input file changed; {len(SMALL_RAW)} unchanged\n" in out
    assert run_beside_readers["held_after"] == before   # the open connection reads its publication, whole
    returncode, reader_err = run_beside_readers["holder"]
    assert returncode == 0, reader_err
    assert _publication(published) == 2
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []


def test_a_reader_polling_during_a_run_never_fails_and_always_sees_a_whole_publication(run_beside_readers):
    code, _out, err = run_beside_readers["run"]
    polls, reader_err = run_beside_readers["polls"]
    assert code == 0, err
    lines = polls.splitlines()
    assert run_beside_readers["poller"] == 0 and reader_err == ""
    assert [line for line in lines if not line.endswith(" True")] == []   # no error, no mixed warehouse
    seen = [int(line.split()[0]) for line in lines]
    assert seen[0] == 1 and seen[-1] == 2 and seen == sorted(seen)


@pytest.mark.parametrize("moment", ["ingest", "ingested", "cycle", "before_rename"])
def test_a_run_killed_at_any_moment_leaves_the_published_file_and_the_next_run_equals_a_clean_build(
        small_raw, published, clean_build, tmp_path, moment):
    before = _sha(published)
    marker = tmp_path / "paused"
    pause = {} if moment == "ingest" else {"RMRP_PAUSE_AT": moment, "RMRP_PAUSE_FILE": str(marker)}
    run = _rmrp_run(small_raw, published, **pause)
    if moment == "ingest":   # as soon as the build file holds the ingest's first tables
        builds = lambda: [p for p in published.parent.glob(".rmrp.duckdb.build-*") if p.suffix == ".wal"]  # noqa: E731
        _wait_for(builds, "the ingest writing its build", run)
    else:
        _wait_for(marker.exists, f"the pause point {moment}", run)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert _sha(published) == before
    assert [p for p in published.parent.iterdir() if ".build-rmrp-" in p.name]   # the killed run's leftovers

    code, out, err = _finish(_rmrp_run(small_raw, published))
    assert code == 0, err
    assert "Publication 2 of the warehouse: run rmrp-" in out
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []
    assert _same_figures(clean_build, published) == []
    # a run killed mid-way no longer looks in progress in the UI (nor holds the instance's one-run queue)
    import dagster as dg
    with dg.DagsterInstance.from_config(str(published.parent / ".dagster")) as instance:
        statuses = [run.status for run in instance.get_runs()]
    if moment == "ingest":
        assert "marked failed 1 run(s) of an rmrp process that was killed" in err
        assert statuses.count(dg.DagsterRunStatus.FAILURE) == 1
    assert not {dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING} & set(statuses)


def test_a_second_run_refuses_at_once_naming_the_first_or_waits_for_it_with_a_message(small_raw, published, tmp_path):
    marker = tmp_path / "paused"
    first = _rmrp_run(small_raw, published, RMRP_PAUSE_AT="ingested", RMRP_PAUSE_FILE=str(marker))
    try:
        _wait_for(marker.exists, "the first run's ingest", first)
        code, _out, err = _finish(_rmrp_run(small_raw, published))
        assert code == 2
        assert err.startswith(f"rmrp run: the warehouse {published} is being built by run rmrp-")
        assert f"(pid {first.pid}, since " in err and err.count("\n") == 1 and "Traceback" not in err

        waiting = _rmrp_run(small_raw, published, RMRP_LOCK_WAIT="300")
        told = waiting.stderr.readline()   # its first line: what it waits for
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    assert told.startswith("waiting up to 300 s for run rmrp-") and f"(pid {first.pid}, since " in told
    code, out, err = _finish(waiting)
    assert code == 0 and "Traceback" not in err, err
    assert "Publication 2 of the warehouse: run rmrp-" in out
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []


def test_a_failed_blocking_check_publishes_nothing(small_raw, published, monkeypatch, capsys):
    import pandas as pd

    from rmrp_pipeline.cli import main
    from rmrp_pipeline.marts import audits

    before = _sha(published)
    lost = pd.DataFrame({"source_file": ["x.xlsx"], "sheet": ["5W"], "rows_read": [10], "rows_loaded": [9]})
    monkeypatch.setattr(audits, "sheets_with_lost_rows", lambda con: lost)
    code = main(["run", "--quiet", "--raw-dir", str(small_raw), "--warehouse", str(published)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip().splitlines()[-1] == (
        f"not published: {published} is left as it was; step meta__load_log_rows_read_equal_loaded_plus_rejected of "
        "ingest_job failed: dagster._core.errors.DagsterAssetCheckFailedError: 1 blocking asset check failed with "
        "ERROR severity: meta/load_log: rows_read_equal_loaded_plus_rejected")
    assert "Publication " not in captured.out
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []


def test_a_table_that_fails_to_build_is_named_and_publishes_nothing(small_raw, published, monkeypatch, capsys):
    from rmrp_pipeline.cli import main
    from rmrp_pipeline.warehouse import db

    run_sql = db.run_sql

    def failing(con, name, *args, **kwargs):
        if name == "marts.fct_planning_figures":
            raise duckdb.ConversionException("Conversion Error: Could not convert string 'n/a' to INT32")
        return run_sql(con, name, *args, **kwargs)

    before = _sha(published)
    monkeypatch.setattr(db, "run_sql", failing)
    code = main(["run", "--quiet", "--raw-dir", str(small_raw), "--warehouse", str(published)])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert lines[-1] == (f"not published: {published} is left as it was; step warehouse_tables of ingest_job failed: "
                         "building marts.fct_planning_figures: Conversion Error: Could not convert string 'n/a' to INT32")
    # Dagster's line of the failed step names the error in one line; its stack trace is left in the event log.
    failure = [line for line in lines if "STEP_FAILURE" in line]
    assert len(failure) == 1 and failure[0].endswith(
        'Execution of step "warehouse_tables" failed. Failure: building marts.fct_planning_figures: Conversion Error: '
        "Could not convert string 'n/a' to INT32 (its stack trace: the run's event log in the Dagster UI)")
    assert not [line for line in lines if "Stack Trace" in line or line.lstrip().startswith('File "')]
    assert _sha(published) == before


def test_a_table_whose_error_begins_with_a_line_break_is_named_with_its_error(small_raw, published, monkeypatch, capsys):
    from rmrp_pipeline.cli import main
    from rmrp_pipeline.warehouse import db

    run_sql = db.run_sql

    def failing(con, name, *args, **kwargs):
        if name == "marts.fct_planning_figures":
            raise ValueError("\n    the planning figures of 2022 are given twice\n    for Peru")
        return run_sql(con, name, *args, **kwargs)

    monkeypatch.setattr(db, "run_sql", failing)
    code = main(["run", "--quiet", "--raw-dir", str(small_raw), "--warehouse", str(published)])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 1
    assert last.endswith("step warehouse_tables of ingest_job failed: building marts.fct_planning_figures: "
                         "the planning figures of 2022 are given twice")


def test_a_disk_that_fills_during_the_build_publishes_nothing_and_says_so_last(small_raw, published, monkeypatch, capsys):
    from rmrp_pipeline.cli import main
    from rmrp_pipeline.warehouse import db

    def full(con, table, frame):
        raise duckdb.IOException(f"IO Error: Could not write file \"{published}.build\": No space left on device")

    before = _sha(published)
    monkeypatch.setattr(db, "insert_frame", full)
    code = main(["run", "--quiet", "--raw-dir", str(small_raw), "--warehouse", str(published)])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 1
    assert last.startswith(f"not published: {published} is left as it was; step ingest_raw_files of ingest_job failed: ")
    assert last.endswith("No space left on device")
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []


def test_a_dagster_run_of_the_ui_builds_its_own_copy_and_the_sensor_publishes_it(small_raw, published):
    import dagster as dg

    from rmrp_pipeline.definitions import build_definitions
    from rmrp_pipeline.defs.publishing import publish_successful_runs

    before = _sha(published)
    defs = build_definitions(str(small_raw), str(published), publish_each_run=True)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("ingest_job").execute_in_process(instance=instance)
    assert result.success
    build = published.with_name(f".rmrp.duckdb.build-{result.run_id}")
    assert build.exists() and _sha(published) == before   # the run wrote its build, not the published file

    resources = {k: defs.resources[k] for k in ("warehouse_db", "raw_folder")}
    context = dg.build_run_status_sensor_context(
        sensor_name="publish_successful_runs",
        dagster_event=next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS),
        dagster_instance=instance, dagster_run=result.dagster_run, resources=resources)
    publish_successful_runs(context)
    assert not build.exists()
    # the sensor counts the run's check evaluations from the instance's event log; the run's own result lists them
    evaluations = result.get_asset_check_evaluations()
    passed = sum(e.passed for e in evaluations)
    assert passed > 0
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT publication_id, run_id, dagster_run_ids, checks_passed, checks_failed "
                           "FROM meta.publications ORDER BY publication_id DESC LIMIT 1").fetchone() == (
            2, result.run_id, [result.run_id], passed, len(evaluations) - passed)
    # this instance never built a cycle: each of the 6 cycle tables' cycles_built_from_current_inputs warns
    assert sum(not e.passed and e.check_name == "built_from_current_inputs" for e in evaluations) == 6


def _publish_by_sensor(defs, instance, result):
    """What ``publish_successful_runs`` does when it sees the run ``result`` succeed (its skip reason, if any)."""
    import dagster as dg

    from rmrp_pipeline.defs.publishing import publish_successful_runs

    context = dg.build_run_status_sensor_context(
        sensor_name="publish_successful_runs",
        dagster_event=next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS),
        dagster_instance=instance, dagster_run=result.dagster_run,
        resources={k: defs.resources[k] for k in ("warehouse_db", "raw_folder")})
    return publish_successful_runs(context)


def test_a_ui_run_started_before_the_sensor_published_the_one_before_it_builds_on_that_one(small_raw, published):
    """The run queue (one run at a time) starts the next run as soon as one has succeeded, and
    ``publish_successful_runs`` publishes that one seconds later: as cycle_refresh_sensor's runs (one
    per stale cycle) go. Each run's cycle rows reach the published warehouse, and the cycles'
    ``built_from_current_inputs`` checks pass only where they did."""
    import dagster as dg

    from rmrp_pipeline.definitions import build_definitions

    defs = build_definitions(str(small_raw), str(published), publish_each_run=True)
    instance = dg.DagsterInstance.ephemeral()
    ingest = defs.resolve_job_def("ingest_job").execute_in_process(instance=instance)
    _publish_by_sensor(defs, instance, ingest)
    cycle_job = defs.resolve_job_def("cycle_job")
    first = cycle_job.execute_in_process(instance=instance, partition_key="2022-H2")
    second = cycle_job.execute_in_process(instance=instance, partition_key="2023-H1")   # the first not yet published
    assert first.success and second.success
    skipped = _publish_by_sensor(defs, instance, first)   # published by the second run before it copied the warehouse
    assert skipped.skip_message == (f"run {first.run_id} has no build to publish: it wrote none, or a run that "
                                    "started after it published it")
    _publish_by_sensor(defs, instance, second)

    with duckdb.connect(str(published), read_only=True) as con:
        runs = [r for r, in con.execute("SELECT run_id FROM meta.publications ORDER BY publication_id").fetchall()]
        cycles = [c for c, in con.execute(
            "SELECT DISTINCT reporting_cycle FROM marts.reporting_completeness ORDER BY 1").fetchall()]
    assert runs[-3:] == [ingest.run_id, first.run_id, second.run_id]
    assert cycles == ["2022-H2", "2023-H1"]
    assert [p.name for p in published.parent.iterdir() if ".build-" in p.name] == []
    stale = {e.asset_key.path[-1]: e.metadata["stale_cycles"].value for e in second.get_asset_check_evaluations()
             if e.check_name == "built_from_current_inputs"}
    assert set(stale.values()) == {"none"} and len(stale) == 6

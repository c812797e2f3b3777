"""The Dagster instance people open in the UI: `rmrp run` records there, the ingest sets the
cycle partitions, a changed raw file makes its cycle (and only it) stale until rebuilt, and a key
that is no reporting cycle is refused. Real instances on disk, the small raw folder of the
session's run (tests/conftest.py ``small_build``: the 2021 reference lists, the two small 5W samples,
August 2022 Southern Cone and January 2023 Mexico/Panama, and two key-figure workbooks).
The tests that run `rmrp run` or the jobs are marked e2e; where the instance is, is not."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.definitions import build_definitions
from rmrp_pipeline.defs.assets import INPUTS_FINGERPRINT
from rmrp_pipeline.defs.checks import BUILT_FROM_CURRENT_INPUTS, CYCLE_KEYS
from rmrp_pipeline.defs.instance import instance_folder, open_instance, prepare_instance_folder
from rmrp_pipeline.defs.jobs import cycle_refresh_sensor
from rmrp_pipeline.marts import cycle_inputs

SOUTHERN_CONE = "monitoring_5w/activities_5w_2022_southern_cone_aug.xlsx"   # 125 rows of August 2022: 2022-H2
MEXICO_PANAMA = "monitoring_5w/activities_5w_2023_mexico_panama_jan.xlsx"   # 50 rows of January 2023: 2023-H1
CYCLE_PEOPLE_REACHED = dg.AssetKey(["marts", "cycle_people_reached"])


def _run(raw: Path, warehouse: Path) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return main(["run", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--quiet"])


def _check_result(instance: dg.DagsterInstance, key: dg.AssetKey = CYCLE_PEOPLE_REACHED):
    record = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(key, BUILT_FROM_CURRENT_INPUTS), limit=1)[0]
    evaluation = record.event.dagster_event.event_specific_data
    return evaluation.passed, evaluation.metadata["stale_cycles"].value


def test_the_instance_is_beside_the_warehouse_and_its_settings_are_written_once(tmp_path, monkeypatch):
    """Without DAGSTER_HOME: ``.dagster/`` in the warehouse's folder, its dagster.yaml written when
    missing (telemetry off) and left as it is once there (people may edit it)."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    warehouse = tmp_path / "wh" / "rmrp.duckdb"
    folder = tmp_path / "wh" / ".dagster"
    assert instance_folder(warehouse) == folder
    with open_instance(warehouse) as instance:
        assert Path(instance.root_directory) == folder
        # one run at a time (one DuckDB writer), the queue looked at every second
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert instance.run_coordinator.dequeue_interval_seconds == 1
    config = folder / "dagster.yaml"
    assert "telemetry:\n  enabled: false" in config.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    assert prepare_instance_folder(folder) == folder
    assert config.read_text(encoding="utf-8").endswith("# edited by hand\n")


@pytest.fixture()
def built(small_build, tmp_path, monkeypatch):
    """(raw folder, warehouse, instance) after one `rmrp run` with no DAGSTER_HOME over the small raw
    folder and two key-figure workbooks: a copy of the folder of the session's run (tests/conftest.py
    ``small_build``: raw/, and clean/ with the warehouse, its ingest cache and instance), so that
    each test changes its own."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    shutil.copytree(small_build, tmp_path / "run")
    raw, warehouse = tmp_path / "run" / "raw", tmp_path / "run" / "clean" / "rmrp.duckdb"
    with dg.DagsterInstance.from_config(str(instance_folder(warehouse))) as instance:
        yield raw, warehouse, instance


@pytest.mark.e2e
def test_rmrp_run_records_its_runs_in_the_instance_beside_the_warehouse(built):
    _raw, warehouse, instance = built
    folder = warehouse.parent / ".dagster"
    assert "enabled: false" in (folder / "dagster.yaml").read_text(encoding="utf-8")   # telemetry off
    runs = sorted(instance.get_runs(), key=lambda r: r.job_name)
    # one run for the ingest, one for both cycles (a range of partitions), each a success
    assert [(r.job_name, r.status) for r in runs] == [("cycle_job", dg.DagsterRunStatus.SUCCESS),
                                                      ("ingest_job", dg.DagsterRunStatus.SUCCESS)]
    assert (runs[0].tags["dagster/asset_partition_range_start"], runs[0].tags["dagster/asset_partition_range_end"]) \
        == ("2022-H2", "2023-H1")
    assert instance.get_dynamic_partitions("reporting_cycle") == ["2022-H2", "2023-H1"]
    for key in CYCLE_KEYS:   # what the UI shows: every cycle of every cycle table materialized
        assert instance.get_materialized_partitions(key) == {"2022-H2", "2023-H1"}, key
    assert _check_result(instance) == (True, "none")
    # the per-cycle metadata is the cycle's own: its rows in the table
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = dict(con.execute("SELECT cycle, count(*) FROM marts.cycle_people_reached GROUP BY cycle").fetchall())
    for cycle in ("2022-H2", "2023-H1"):
        record = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=CYCLE_PEOPLE_REACHED, asset_partitions=[cycle]), limit=1).records[0]
        assert record.asset_materialization.metadata["dagster/row_count"].value == rows.get(cycle, 0)
    assert rows["2022-H2"] > 0
    # every cycle table recorded the fingerprint of the inputs the published warehouse holds
    with duckdb.connect(str(warehouse), read_only=True) as con:
        current = cycle_inputs.input_fingerprints(con, ["2022-H2", "2023-H1"])
    for key in CYCLE_KEYS:
        for cycle in ("2022-H2", "2023-H1"):
            record = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=key, asset_partitions=[cycle]), limit=1).records[0]
            assert record.asset_materialization.metadata[INPUTS_FINGERPRINT].value == current[cycle], (key, cycle)


@pytest.mark.e2e
def test_dagster_home_is_used_when_set(small_build, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    warehouse = tmp_path / "wh" / "rmrp.duckdb"
    assert _run(small_build / "raw", warehouse) == 0   # read where the session's run read it
    assert not (warehouse.parent / ".dagster").exists()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert {r.job_name for r in instance.get_runs()} == {"ingest_job", "cycle_job"}


def _add_one_to_a_total(workbook: Path) -> None:
    """Row 2 of the Southern Cone sample: Total_monthly 235 -> 236 (still above its new beneficiaries, 33)."""
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[0]
    assert sheet.cell(1, 18).value == "Total_monthly" and sheet.cell(2, 18).value == 235
    sheet.cell(2, 18).value = 236
    book.save(workbook)


@pytest.mark.e2e
def test_a_changed_raw_file_makes_its_cycle_stale_and_the_sensor_requests_that_cycle(built):
    raw, warehouse, instance = built
    defs = build_definitions(str(raw), str(warehouse))
    after_run = cycle_refresh_sensor(dg.build_sensor_context(instance=instance))   # rmrp run built every cycle
    assert not after_run.run_requests and "every reporting cycle is built" in after_run.skip_reason.skip_message

    _add_one_to_a_total(raw / SOUTHERN_CONE)
    assert defs.resolve_job_def("ingest_job").execute_in_process(instance=instance).success
    for key in CYCLE_KEYS:   # stale until rebuilt, in the check of every cycle table
        assert _check_result(instance, key) == (False, "2022-H2"), key
    # while a cycle_job run is in progress (rmrp run building every cycle after its ingest), it waits
    building = instance.add_run(dg.DagsterRun(job_name="cycle_job", status=dg.DagsterRunStatus.STARTED))
    waiting = cycle_refresh_sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(waiting, dg.SkipReason) and "in progress" in waiting.skip_message
    instance.delete_run(building.run_id)
    result = cycle_refresh_sensor(dg.build_sensor_context(instance=instance))
    assert [r.partition_key for r in result.run_requests] == ["2022-H2"]
    again = cycle_refresh_sensor(dg.build_sensor_context(instance=instance, cursor=result.cursor))
    assert isinstance(again, dg.SkipReason)   # one request per ingest

    assert defs.resolve_job_def("cycle_job").execute_in_process(instance=instance, partition_key="2022-H2").success
    assert _check_result(instance) == (True, "none")
    assert not cycle_refresh_sensor(dg.build_sensor_context(instance=instance)).run_requests
    with duckdb.connect(str(warehouse), read_only=True) as con:   # the rebuilt cycle has the changed figure
        assert con.execute("SELECT sum(monthly_total) FROM marts.people_reached_monthly WHERE level = 'admin1' "
                           "AND admin1 = 'Buenos Aires' AND subsector = 'Protection (General)' "
                           "AND month = DATE '2022-08-01'").fetchone()[0] >= 236


@pytest.mark.e2e
def test_the_ingest_deletes_the_partition_of_a_cycle_whose_5w_rows_are_gone(built):
    raw, warehouse, instance = built
    (raw / MEXICO_PANAMA).unlink()
    assert build_definitions(str(raw), str(warehouse)).resolve_job_def("ingest_job").execute_in_process(
        instance=instance).success
    assert instance.get_dynamic_partitions("reporting_cycle") == ["2022-H2"]
    assert not cycle_refresh_sensor(dg.build_sensor_context(instance=instance)).run_requests


@pytest.mark.e2e
def test_a_partition_that_is_no_reporting_cycle_is_refused_and_deleted(built):
    raw, warehouse, instance = built
    instance.add_dynamic_partitions("reporting_cycle", ["2021-H3"])   # as typed in the UI's "add partition"
    result = build_definitions(str(raw), str(warehouse)).resolve_job_def("cycle_job").execute_in_process(
        instance=instance, partition_key="2021-H3", raise_on_error=False)
    assert not result.success
    failures = [e.step_failure_data.error.message for e in result.all_events if e.is_step_failure]
    # the first step says why in one line (the steps after it find the partition gone)
    assert "reporting cycle must look like 2021-H1 or 2021-H2, not '2021-H3'" in failures[0]
    assert "2021-H3" not in instance.get_dynamic_partitions("reporting_cycle")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.cycle_people_reached WHERE cycle = '2021-H3'").fetchone()[0] == 0


@pytest.mark.e2e
def test_one_table_or_one_check_can_be_run_alone_as_from_the_ui(built):
    """The tables built whole share one step, and so do the cycle tables: a selection of one
    table builds that table only; a mart's documentation check run alone builds nothing."""
    raw, warehouse, instance = built
    defs = build_definitions(str(raw), str(warehouse))
    key_figures = dg.AssetKey(["marts", "sector_key_figures"])
    activities = dg.AssetKey(["marts", "fct_activities"])
    before = {key: len(instance.fetch_materializations(key, limit=100).records) for key in (key_figures, activities)}

    one = defs.resolve_job_def("ingest_job").get_subset(asset_selection={key_figures})
    assert one.execute_in_process(instance=instance, resources=defs.resources).success
    assert len(instance.fetch_materializations(key_figures, limit=100).records) == before[key_figures] + 1
    assert len(instance.fetch_materializations(activities, limit=100).records) == before[activities]

    check = dg.AssetCheckKey(CYCLE_PEOPLE_REACHED, "every_column_documented")
    reached_before = len(instance.fetch_materializations(CYCLE_PEOPLE_REACHED, limit=100).records)
    alone = defs.resolve_job_def("cycle_job").get_subset(asset_selection=set(), asset_check_selection={check})
    result = alone.execute_in_process(instance=instance, resources=defs.resources, partition_key="2022-H2")
    assert result.success
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.asset_check_key, evaluation.passed) == (check, True)
    assert len(instance.fetch_materializations(CYCLE_PEOPLE_REACHED, limit=100).records) == reached_before


@pytest.mark.e2e
def test_one_cycle_table_can_be_run_alone_for_one_cycle_or_a_range(built):
    """Selected alone as in the UI (the table and its checks): that table is rebuilt for the run's
    cycles, from the same inputs the same rows, and its checks say so; the other cycle tables are not."""
    raw, warehouse, instance = built
    defs = build_definitions(str(raw), str(warehouse))
    monthly = dg.AssetKey(["marts", "people_reached_monthly"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute("SELECT * FROM marts.cycle_people_reached ORDER BY ALL").fetchall()
    counts = {key: len(instance.fetch_materializations(key, limit=100).records) for key in (CYCLE_PEOPLE_REACHED, monthly)}

    alone = defs.resolve_job_def("cycle_job").get_subset(asset_selection={CYCLE_PEOPLE_REACHED})
    one = alone.execute_in_process(instance=instance, resources=defs.resources, partition_key="2022-H2")
    ranged = alone.execute_in_process(instance=instance, resources=defs.resources, tags={
        "dagster/asset_partition_range_start": "2022-H2", "dagster/asset_partition_range_end": "2023-H1"})
    for result in (one, ranged):
        assert result.success
        assert {e.asset_key for e in result.get_asset_materialization_events()} == {CYCLE_PEOPLE_REACHED}
        assert sorted((c.asset_check_key.name, c.passed) for c in result.get_asset_check_evaluations()) == [
            (BUILT_FROM_CURRENT_INPUTS, True), ("every_column_documented", True)]
    assert len(instance.fetch_materializations(CYCLE_PEOPLE_REACHED, limit=100).records) == counts[CYCLE_PEOPLE_REACHED] + 3
    assert len(instance.fetch_materializations(monthly, limit=100).records) == counts[monthly]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT * FROM marts.cycle_people_reached ORDER BY ALL").fetchall() == before


def _cycle_runs(instance: dg.DagsterInstance) -> list[tuple[str, str]]:
    """(first, last) cycle of every cycle_job run, oldest first."""
    records = sorted(instance.get_run_records(filters=dg.RunsFilter(job_name="cycle_job")), key=lambda r: r.create_timestamp)
    return [(r.dagster_run.tags.get("dagster/asset_partition_range_start"),
             r.dagster_run.tags.get("dagster/asset_partition_range_end")) for r in records]


def _clean_run(raw: Path, tmp_path: Path, name: str) -> Path:
    clean = tmp_path / name / "rmrp.duckdb"
    assert _run(raw, clean) == 0
    return clean


def _identical(first: Path, second: Path) -> str:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "scripts" / "compare_warehouses.py"
    done = subprocess.run([sys.executable, str(script), str(first), str(second)], capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.e2e
def test_rmrp_run_rebuilds_only_the_cycles_whose_inputs_code_or_options_changed(built, tmp_path, capsys):
    """Each cycle's record in the warehouse (meta.cycle_builds) says what its rows were built from:
    a run with nothing changed keeps every cycle; a changed 2022 file rebuilds 2022-H2 alone;
    --all-cycles rebuilds every cycle (new code or another option: tests/sql/test_cycle_builds.py);
    each warehouse is the one a clean run of the same folder builds."""
    raw, warehouse, instance = built
    assert _cycle_runs(instance) == [("2022-H2", "2023-H1")]   # the session's clean run built both
    clean_before = tmp_path / "clean_before.duckdb"
    shutil.copyfile(warehouse, clean_before)
    capsys.readouterr()

    assert _run(raw, warehouse) == 0   # nothing changed
    assert _cycle_runs(instance) == [("2022-H2", "2023-H1")]
    assert "[2/2] reporting cycles 2022-H2, 2023-H1: kept as built" in capsys.readouterr().err
    assert _identical(clean_before, warehouse) == "identical"

    _add_one_to_a_total(raw / SOUTHERN_CONE)   # a figure of August 2022
    assert _run(raw, warehouse) == 0
    assert _cycle_runs(instance)[-1] == ("2022-H2", "2022-H2")
    said = capsys.readouterr().err
    assert "reporting cycles 2023-H1: kept as built" in said and "reporting cycles 2022-H2: people reached" in said
    assert _identical(_clean_run(raw, tmp_path, "clean_changed"), warehouse) == "identical"
    assert _check_result(instance) == (True, "none")

    assert main(["run", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--quiet", "--all-cycles"]) == 0
    assert len(_cycle_runs(instance)) == 3 and _cycle_runs(instance)[-1] == ("2022-H2", "2023-H1")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM meta.cycle_builds").fetchone()[0] == 2


def _set_cells(workbook: Path, row: int, values: dict[int, object]) -> None:
    """Set the cells ``{column: value}`` of ``row`` in the first sheet of ``workbook``."""
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[0]
    for column, value in values.items():
        sheet.cell(row, column).value = value
    book.save(workbook)


def _all_cycles_rebuilt(warehouse: Path, raw: Path, tmp_path: Path, name: str) -> Path:
    """A copy of ``warehouse`` (its freezes with it, a new instance) after `rmrp run --all-cycles`."""
    copy = tmp_path / name / "rmrp.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(warehouse, copy)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["run", "--raw-dir", str(raw), "--warehouse", str(copy), "--quiet", "--all-cycles"]) == 0
    return copy


@pytest.mark.e2e
def test_an_unfrozen_end_year_cycle_rebuilds_the_mid_year_cycle_that_read_its_kept_months(built, tmp_path):
    """A frozen end-year cycle keeps the whole year's months, which an open mid-year cycle of the
    same year reads (docs/freeze.md); once it is unfrozen, the mid-year cycle must be built again
    from the current months, as a run rebuilding every cycle builds it."""
    raw, warehouse, _instance = built
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["freeze", "2022-H2", "--reason", "end-year report published", "--warehouse", str(warehouse)]) == 0
    _set_cells(raw / SOUTHERN_CONE, 3, {7: "2022-03"})   # one row moved to March 2022: a 2022-H1 cycle
    assert _run(raw, warehouse) == 0   # 2022-H1 reads the months 2022-H2 keeps (no March row)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["unfreeze", "2022-H2", "--reason", "corrections accepted", "--warehouse", str(warehouse)]) == 0
    assert _run(raw, warehouse) == 0
    assert _identical(_all_cycles_rebuilt(warehouse, raw, tmp_path, "all_cycles"), warehouse) == "identical"


@pytest.mark.e2e
def test_a_late_file_of_rejected_rows_in_a_frozen_cycle_is_a_reason_of_its_revisions(built, tmp_path):
    """A frozen cycle's revisions say why, from every 5W file behind its months, the rejected rows'
    files too (docs/freeze.md): a new file whose rows are all rejected changes the reasons, so the
    cycle is built again, as a run rebuilding every cycle builds it."""
    raw, warehouse, _instance = built
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["freeze", "2022-H2", "--reason", "end-year report published", "--warehouse", str(warehouse)]) == 0
    _add_one_to_a_total(raw / SOUTHERN_CONE)
    assert _run(raw, warehouse) == 0   # the revisions of 2022-H2: a correction
    late = raw / "monitoring_5w" / "late_reports_argentina_aug.xlsx"
    shutil.copy2(raw / SOUTHERN_CONE, late)
    book = openpyxl.load_workbook(late)
    sheet = book.worksheets[0]
    sheet.delete_rows(4, sheet.max_row)
    sheet.cell(2, 19).value = sheet.cell(3, 19).value = "#N/A"   # an Excel error: both rows rejected
    book.save(late)
    assert _run(raw, warehouse) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FILTER (WHERE is_rejected), count(*) FILTER (WHERE NOT is_rejected) "
                           "FROM staging.stg_5w__activities WHERE source_file LIKE '%late_reports%'").fetchone() == (2, 0)
    assert _identical(_all_cycles_rebuilt(warehouse, raw, tmp_path, "all_cycles"), warehouse) == "identical"

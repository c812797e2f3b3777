"""Dagster definitions: jobs, the biannual schedule and the raw-folder sensor."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from rmrp_pipeline.definitions import build_definitions
from rmrp_pipeline.defs.jobs import closed_cycle, raw_folder_sensor


@pytest.mark.parametrize(("today", "cycle"), [
    (dt.date(2025, 7, 15), "2025-H1"),   # mid-year report: January-June 2025
    (dt.date(2026, 1, 15), "2025-H2"),   # end-year report: the whole of 2025
    (dt.date(2026, 12, 31), "2026-H1"),
])
def test_the_schedule_builds_the_cycle_that_just_closed(today, cycle):
    assert closed_cycle(today) == cycle


def test_definitions_have_the_jobs_schedule_sensor_and_layers(tmp_path):
    defs = build_definitions("data/raw", str(tmp_path / "w.duckdb"))
    assert defs.resolve_job_def("ingest_job") and defs.resolve_job_def("cycle_job") and defs.resolve_job_def("qa_job")
    assert defs.resolve_schedule_def("biannual_cycle_schedule").cron_schedule == "0 6 15 1,7 *"
    assert defs.resolve_sensor_def("raw_folder_sensor")
    groups = {key.path[0]: spec.group_name for key, spec in
              ((s.key, s) for s in defs.resolve_all_asset_specs())}
    assert groups == {"raw": "raw", "staging": "staging", "marts": "marts", "meta": "meta", "reports": "reports"}


def test_jobs_run_in_one_process_and_the_ui_describes_schedules_and_sensors(tmp_path):
    """Every step opens the one DuckDB file: no process per step. The UI shows each schedule's and
    sensor's description on its page."""
    defs = build_definitions("data/raw", str(tmp_path / "w.duckdb"))
    assert {job.executor_def.name for job in defs.resolve_all_job_defs()} == {"in_process"}
    repository = defs.get_repository_def()
    described = {d.name: d.description for d in (*repository.schedule_defs, *repository.sensor_defs)}
    assert set(described) == {"biannual_cycle_schedule", "raw_folder_sensor", "cycle_refresh_sensor",
                              "publish_successful_runs", "discard_failed_runs", "discard_cancelled_runs"}
    assert all(text and len(text) > 80 for text in described.values()), described


def test_the_sensor_runs_once_per_new_state_of_the_raw_folder(raw_copy, monkeypatch):
    monkeypatch.setenv("RMRP_RAW_DIR", str(raw_copy))
    first = raw_folder_sensor(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral()))
    assert len(first.run_requests) == 1
    again = raw_folder_sensor(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=first.cursor))
    assert isinstance(again, dg.SkipReason)
    (raw_copy / "new.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    changed = raw_folder_sensor(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=first.cursor))
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key

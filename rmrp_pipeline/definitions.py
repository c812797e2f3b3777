"""The Dagster code location ``rmrp_pipeline`` (``dagster dev -w workspace.yaml``).

Assets and asset checks are loaded from the modules of ``rmrp_pipeline.defs`` (the warehouse
tables' assets and checks are built there from ``marts.registry``); a new table is declared in the
registry, never listed here."""

from __future__ import annotations

import dagster as dg

import rmrp_pipeline.defs
from rmrp_pipeline.defs import freeze, jobs, publishing
from rmrp_pipeline.defs.console import console_logger
from rmrp_pipeline.defs.instance import tune_instance_storage
from rmrp_pipeline.defs.resources import build_resources


def build_definitions(raw_dir: str | None = None, warehouse: str | None = None,
                      only_rmrp_activities: bool | None = None, publish_each_run: bool = False) -> dg.Definitions:
    """Definitions with resources for ``raw_dir`` and ``warehouse`` (defaults: environment
    ``RMRP_RAW_DIR`` / ``RMRP_WAREHOUSE``, else ``data/raw`` and ``data/warehouse/rmrp.duckdb``) and
    the people-reached options (``resources.PeopleReachedOptions``). ``publish_each_run``: each
    run builds its own copy and publishes it when it succeeds (``defs/publishing.py``), as the
    code location does; off, the runs write ``warehouse`` itself (``rmrp run`` gives its build file)."""
    return dg.Definitions(
        assets=dg.load_assets_from_package_module(rmrp_pipeline.defs),
        asset_checks=dg.load_asset_checks_from_package_module(rmrp_pipeline.defs),
        jobs=[jobs.ingest_job, jobs.cycle_job, jobs.qa_job, *freeze.jobs],
        schedules=[jobs.biannual_cycle_schedule],
        sensors=[jobs.raw_folder_sensor, jobs.cycle_refresh_sensor, *publishing.sensors],
        resources=build_resources(raw_dir, warehouse, only_rmrp_activities, publish_each_run),
        # every step opens the one DuckDB file: one process runs them in turn (no process per step)
        executor=dg.in_process_executor,
        loggers={"console": console_logger},   # one line per event; stack traces in the event log
    )


# the code location's processes (its server, and each run the UI, the schedule or a sensor launches)
# record runs as rmrp run does
tune_instance_storage()
defs = build_definitions(publish_each_run=True)

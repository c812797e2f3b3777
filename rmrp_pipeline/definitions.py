"""The Dagster code location ``rmrp_pipeline`` (``dagster dev -w workspace.yaml``)."""

from __future__ import annotations

import dagster as dg

from rmrp_pipeline.defs import assets, checks, jobs, planning_assets, report_assets
from rmrp_pipeline.defs.resources import build_resources

ALL_ASSETS = [
    assets.ingest_raw_files,
    assets.fct_activities,
    assets.sector_key_figures,
    assets.reconciliation,
    assets.load_log,
    assets.people_reached_monthly,
    assets.cycle_people_reached,
    assets.reporting_completeness,
    assets.cycle_outputs,
    assets.cycle_trafficking_pillars,
    report_assets.qa_workbook_5w,
    *planning_assets.PLANNING_ASSETS,
]
ALL_CHECKS = [
    checks.rows_read_equal_loaded_plus_rejected,
    checks.published_ratios_consistent,
    *checks.documented_checks,
    *planning_assets.PLANNING_CHECKS,
]


def build_definitions(raw_dir: str | None = None, warehouse: str | None = None,
                      only_rmrp_activities: bool | None = None) -> dg.Definitions:
    """Definitions with resources for ``raw_dir`` and ``warehouse`` (defaults: environment
    ``RMRP_RAW_DIR`` / ``RMRP_WAREHOUSE``, else ``data/raw`` and ``data/warehouse/rmrp.duckdb``) and
    the people-reached options (``resources.PeopleReachedOptions``)."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[jobs.ingest_job, jobs.cycle_job, jobs.qa_job],
        schedules=[jobs.biannual_cycle_schedule],
        sensors=[jobs.raw_folder_sensor],
        resources=build_resources(raw_dir, warehouse, only_rmrp_activities),
    )


defs = build_definitions()

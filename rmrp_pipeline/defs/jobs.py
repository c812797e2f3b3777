"""Jobs, the biannual schedule and the raw-folder sensor."""


import datetime as dt
import hashlib
import json
from pathlib import Path

import dagster as dg

from rmrp_pipeline.defs.assets import key_of
from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.report_assets import QA_WORKBOOK_5W
from rmrp_pipeline.marts import registry
from rmrp_pipeline.read.files import list_input_files, sha256_file
from rmrp_pipeline.settings import default_paths

QA_ASSETS = dg.AssetSelection.assets(QA_WORKBOOK_5W)
#: The tables the registry declares filled one reporting cycle at a time.
CYCLE_ASSETS = dg.AssetSelection.assets(*(key_of(t.name) for t in registry.by_cycle() if t.is_asset))

#: Every unpartitioned asset: ingest, marts, meta.
ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.all() - CYCLE_ASSETS - QA_ASSETS,
    description="Read the raw folder, validate, load the warehouse, write the load log and reconciliation.",
)
#: The cycle-dependent indicator tables, one run per reporting cycle.
cycle_job = dg.define_asset_job(
    "cycle_job",
    selection=CYCLE_ASSETS,
    description="People reached for one reporting cycle (YYYY-H1 mid-year, YYYY-H2 end-year).",
)
#: The per-organisation QA workbook of a cycle (a report for people: large cycles take a while).
qa_job = dg.define_asset_job(
    "qa_job",
    selection=QA_ASSETS,
    description="Write the 5W QA workbook of one reporting cycle, one sheet per appealing organisation.",
)


def closed_cycle(today: dt.date) -> str:
    """The reporting cycle that closed most recently before ``today``: on 15 July 2025 it is
    ``2025-H1`` (January-June); on 15 January 2026 it is ``2025-H2`` (the whole of 2025)."""
    return f"{today.year}-H1" if today.month >= 7 else f"{today.year - 1}-H2"


@dg.schedule(cron_schedule="0 6 15 1,7 *", job=cycle_job, execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.STOPPED)
def biannual_cycle_schedule(context: dg.ScheduleEvaluationContext):
    """On 15 January and 15 July (after partners' last monthly reports), build the cycle that
    just closed: the end-year report of last year, or the mid-year report of this year."""
    cycle = closed_cycle(context.scheduled_execution_time.date())
    if not context.instance.has_dynamic_partition(reporting_cycles.name, cycle):
        context.instance.add_dynamic_partitions(reporting_cycles.name, [cycle])
    return dg.RunRequest(partition_key=cycle, run_key=cycle)


@dg.sensor(job=ingest_job, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED)
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    """Run the ingest when a file of the raw folder is added or changed (by content hash)."""
    raw_dir, _warehouse = default_paths()
    folder = Path(raw_dir)
    if not folder.is_dir():
        return dg.SkipReason(f"raw folder {folder} not found")
    state = {p.relative_to(folder).as_posix(): sha256_file(p) for p in list_input_files(folder)}
    previous = json.loads(context.cursor) if context.cursor else {}
    if state == previous:
        return dg.SkipReason("no new or changed file")
    run_key = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key)], cursor=json.dumps(state))

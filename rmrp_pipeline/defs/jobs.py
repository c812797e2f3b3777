"""Jobs, the biannual schedule, the raw-folder sensor and the sensor that rebuilds the reporting
cycles an ingest changed."""


import datetime as dt
import hashlib
import json
from pathlib import Path

import dagster as dg

from rmrp_pipeline.defs.assets import CYCLE_INPUTS, key_of
from rmrp_pipeline.defs.checks import cycles_built_from_current_inputs, stale_cycles
from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.report_assets import QA_WORKBOOK_5W
from rmrp_pipeline.marts import registry
from rmrp_pipeline.read.files import list_input_files, sha256_file
from rmrp_pipeline.settings import default_paths

QA_ASSETS = dg.AssetSelection.assets(QA_WORKBOOK_5W)
#: The tables the registry declares filled one reporting cycle at a time.
CYCLE_ASSETS = dg.AssetSelection.assets(*(key_of(t.name) for t in registry.by_cycle() if t.is_asset))

#: Every unpartitioned asset: ingest, marts, meta; and the check that says which cycles the ingest made stale.
ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=(dg.AssetSelection.all() - CYCLE_ASSETS - QA_ASSETS)
    | dg.AssetSelection.checks(cycles_built_from_current_inputs),
    description="Read the raw folder, validate, load the warehouse, write the load log and reconciliation; "
                "set the reporting-cycle partitions to the cycles of the 5W data and check which are stale.",
)
#: The cycle-dependent indicator tables: one run builds one cycle or a range of them.
cycle_job = dg.define_asset_job(
    "cycle_job",
    selection=CYCLE_ASSETS,
    description="People reached and the other cycle tables of reporting cycles (YYYY-H1 mid-year, YYYY-H2 "
                "end-year): one run builds one cycle, or every cycle of a range one after the other.",
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
             default_status=dg.DefaultScheduleStatus.STOPPED,
             description="On 15 January and 15 July at 06:00 UTC, builds the reporting cycle that just closed "
                         "(on 15 July: this year's H1, January-June; on 15 January: last year's H2). Off until "
                         "switched on.")
def biannual_cycle_schedule(context: dg.ScheduleEvaluationContext):
    """On 15 January and 15 July (after partners' last monthly reports), build the cycle that
    just closed: the end-year report of last year, or the mid-year report of this year."""
    cycle = closed_cycle(context.scheduled_execution_time.date())
    if not context.instance.has_dynamic_partition(reporting_cycles.name, cycle):
        context.instance.add_dynamic_partitions(reporting_cycles.name, [cycle])
    return dg.RunRequest(partition_key=cycle, run_key=cycle)


@dg.sensor(job=ingest_job, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Every 5 minutes, runs ingest_job when a file of the raw folder (RMRP_RAW_DIR) was added "
                       "or changed (by content hash); cycle_refresh_sensor then rebuilds the cycles it changed. "
                       "Off until switched on.")
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


STAGED_5W = key_of(registry.STAGED_5W)
_IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED]


@dg.sensor(job=cycle_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="After each finished ingest (from the UI, ingest_job, raw_folder_sensor or `rmrp run`), "
                       "launches cycle_job for every reporting cycle whose inputs (its 5W rows, its year's "
                       "planning figures) differ from those its tables were built from, or that was never "
                       "built: one run per cycle. Waits while a cycle_job run is in progress.")
def cycle_refresh_sensor(context: dg.SensorEvaluationContext):
    """Cursor: the storage id of the last ingest looked at. Waits while that ingest's run or a
    cycle_job run goes on (``rmrp run`` builds every cycle after its ingest: what is left stale
    after it is requested). Run keys: the cycle and the ingest's storage id."""
    records = context.instance.fetch_materializations(STAGED_5W, limit=1).records
    if not records or context.cursor == str(records[0].storage_id):
        return dg.SkipReason("no ingest since the last evaluation")
    record = records[0]
    run = context.instance.get_run_by_id(record.run_id)
    if run is not None and not run.is_finished:
        return dg.SkipReason(f"the ingest's run {record.run_id} has not finished")
    building = context.instance.get_run_records(
        dg.RunsFilter(job_name=cycle_job.name, statuses=_IN_PROGRESS), limit=1)
    if building:   # e.g. `rmrp run` building every cycle: look again when it is done
        return dg.SkipReason(f"cycle_job run {building[0].dagster_run.run_id} is in progress")
    current = record.asset_materialization.metadata.get(CYCLE_INPUTS)
    stale = stale_cycles(context.instance, current.value if current is not None else {})
    if not stale:
        return dg.SensorResult(skip_reason="every reporting cycle is built from the inputs the warehouse holds",
                               cursor=str(record.storage_id))
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=cycle, run_key=f"{cycle}:{record.storage_id}",
                                    tags={"rmrp/stale_tables": ", ".join(tables)})
                      for cycle, tables in stale.items()],
        cursor=str(record.storage_id),
    )

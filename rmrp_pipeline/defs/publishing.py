"""Publishing the runs of the UI, the schedule and the raw-folder sensor: each run writes its own
build file (``resources.Warehouse`` with ``publish_each_run``); when the run has succeeded (so its
blocking checks passed) ``publish_successful_runs`` replaces the published warehouse with it; a
failed or cancelled run's build is removed. The work is in ``warehouse.publish``.
``rmrp run`` publishes by itself (one publication for the ingest and every cycle) and writes
no file these sensors look for."""

import dagster as dg

from rmrp_pipeline.defs.resources import RawFolder, Warehouse
from rmrp_pipeline.defs.run_publications import publication_of
from rmrp_pipeline.warehouse import publish


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, default_status=dg.DefaultSensorStatus.RUNNING,
                      minimum_interval_seconds=5, description=(
                          "Publish the warehouse built by each successful run: its build file replaces the "
                          "published file at once (analysts' open connections keep the previous one)."))
def publish_successful_runs(context: dg.RunStatusSensorContext, warehouse_db: Warehouse, raw_folder: RawFolder):
    """Publish the successful run's build (nothing when there is none: the run wrote none, or a run
    that started after it published it, ``run_publications.publish_waiting_runs``)."""
    run = context.dagster_run
    if not warehouse_db.publish_each_run:
        return dg.SkipReason("the warehouse resource writes its file directly")
    try:
        number = publish.publish_run(warehouse_db.database, publication_of(context.instance, run, raw_folder.path))
    except publish.PublishError as exc:
        context.log.error(f"run {run.run_id} not published: {exc}")
        return dg.SkipReason(f"not published: {exc}")
    if number is None:
        return dg.SkipReason(f"run {run.run_id} has no build to publish: it wrote none, or a run that started after it "
                             "published it")
    context.log.info(f"run {run.run_id} published as publication {number} of {warehouse_db.database}")
    return None


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.FAILURE, default_status=dg.DefaultSensorStatus.RUNNING,
                      minimum_interval_seconds=5, name="discard_failed_runs",
                      description=("Remove the build file of a failed run (a failed blocking check included): the published "
                                   "warehouse stays as it was."))
def discard_failed_runs(context: dg.RunStatusSensorContext, warehouse_db: Warehouse):
    """Remove the failed run's build."""
    if publish.discard_run(warehouse_db.database, context.dagster_run.run_id):
        context.log.info(f"removed the build of failed run {context.dagster_run.run_id}")


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.CANCELED, default_status=dg.DefaultSensorStatus.RUNNING,
                      minimum_interval_seconds=5, name="discard_cancelled_runs",
                      description=("Remove the build file of a cancelled run: the published warehouse stays as it was, and "
                                   "analysts keep reading it."))
def discard_cancelled_runs(context: dg.RunStatusSensorContext, warehouse_db: Warehouse):
    """Remove the cancelled run's build."""
    publish.discard_run(warehouse_db.database, context.dagster_run.run_id)


#: The sensors of the code location.
sensors = [publish_successful_runs, discard_failed_runs, discard_cancelled_runs]

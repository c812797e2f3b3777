"""What the publication of a Dagster run's build records, and the publication of the builds of
the runs that succeeded and are not published yet (``publish_waiting_runs``): used by the
run-status sensors of ``defs/publishing.py`` and by the warehouse resource of the next run
(``resources.Warehouse``). The work is in ``warehouse.publish``."""

from collections.abc import Callable

import dagster as dg

from rmrp_pipeline.warehouse import publish


def check_counts(instance: dg.DagsterInstance, run_id: str) -> tuple[int, int]:
    """(passed, failed) asset check evaluations of the run ``run_id``."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    results = [r.event_log_entry.dagster_event.event_specific_data.passed for r in records
               if r.event_log_entry.dagster_event]
    return sum(results), len(results) - sum(results)


def publication_of(instance: dg.DagsterInstance, run: dg.DagsterRun, raw_folder: str | None) -> publish.Publication:
    """What the publication of the successful run ``run`` records."""
    passed, failed = check_counts(instance, run.run_id)
    cycle = run.tags.get("dagster/partition")
    return publish.Publication(run_id=run.run_id, raw_folder=raw_folder, cycles=(cycle,) if cycle else (),
                               checks_passed=passed, checks_failed=failed, dagster_runs=(run.run_id,))


def publish_waiting_runs(instance: dg.DagsterInstance, database: str, raw_folder: str | None,
                         log: Callable[[str], None]) -> list[int]:
    """Publish the builds of the runs that have succeeded and that ``publish_successful_runs`` has
    not published yet, oldest first, as it would (``log``: a line per run not published). A run
    calls it before it copies the published warehouse: the run queue starts it as soon as the run
    before it has succeeded, seconds before that sensor publishes it, and a run built on the
    publication before would not be published (and the cycle rows the other built would be lost).
    Returns the publication ids."""
    numbers = []
    for run_id in publish.waiting_builds(database):
        run = instance.get_run_by_id(run_id)
        if run is None or run.status != dg.DagsterRunStatus.SUCCESS:
            continue   # going on (its own), failed or cancelled (the discard sensors), or of another instance
        try:
            number = publish.publish_run(database, publication_of(instance, run, raw_folder))
        except publish.PublishError as exc:
            log(f"run {run_id} not published: {exc}")
            continue
        if number is not None:
            numbers.append(number)
    return numbers

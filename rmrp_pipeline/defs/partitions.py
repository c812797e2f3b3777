"""Reporting cycles: ``YYYY-H1`` (January-June, mid-year report) and ``YYYY-H2``
(January-December, end-year report, cumulative), one dynamic partition each.

The partitions are the cycles a run builds (``marts.builds.cycles_to_build``: those of the 5W data
and the frozen ones): the ingest asset sets them (:func:`sync_cycle_partitions`) after every load,
adding the cycles it found and deleting those whose 5W rows are gone (their figures are deleted from
the warehouse too, unless frozen). A key typed in the UI that is not a cycle (``2021-H3``) is
refused by the first cycle asset that runs it, which deletes it (:func:`refuse_malformed_cycle`)."""

from __future__ import annotations

import dagster as dg

from rmrp_pipeline.cycles import cycle_window

reporting_cycles = dg.DynamicPartitionsDefinition(name="reporting_cycle")


def sync_cycle_partitions(instance: dg.DagsterInstance, cycles: list[str]) -> tuple[list[str], list[str]]:
    """Make the partitions of ``reporting_cycles`` the cycles of ``cycles`` (each checked by
    ``cycles.cycle_window``). Returns (keys added, keys deleted).

    Raises:
        ValueError: a cycle is not ``YYYY-H1`` or ``YYYY-H2``.
    """
    for cycle in cycles:
        cycle_window(cycle)
    existing = instance.get_dynamic_partitions(reporting_cycles.name)
    added = [c for c in cycles if c not in existing]
    deleted = [k for k in existing if k not in cycles]
    if added:
        instance.add_dynamic_partitions(reporting_cycles.name, added)
    for key in deleted:
        instance.delete_dynamic_partition(reporting_cycles.name, key)
    return added, deleted


def refuse_malformed_cycle(instance: dg.DagsterInstance, key: str) -> None:
    """Nothing when ``key`` is a reporting cycle; else delete the partition ``key`` and raise.

    Raises:
        dagster.Failure: ``key`` is not ``YYYY-H1`` or ``YYYY-H2`` (one line for the UI).
    """
    try:
        cycle_window(key)
    except ValueError as exc:
        if instance.has_dynamic_partition(reporting_cycles.name, key):
            instance.delete_dynamic_partition(reporting_cycles.name, key)
        raise dg.Failure(description=f"{exc}: the partition {key!r} is deleted (the reporting cycles are "
                                     "added by the ingest from the 5W data)", allow_retries=False) from None

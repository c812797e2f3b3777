"""The freeze and unfreeze jobs, launched from the UI's Launchpad with the cycle and the reason
(``rmrp freeze`` / ``rmrp unfreeze`` on the command line). Thin wrappers of ``marts.freeze``."""

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

from rmrp_pipeline.marts.freeze import FreezeError, freeze_cycle, unfreeze_cycle


class FreezeConfig(dg.Config):
    """What the Launchpad asks for."""

    cycle: str = Field(description="Reporting cycle, e.g. 2021-H1 (January-June) or 2021-H2 (January-December).")
    reason: str = Field(description="Why, e.g. mid-year report published.")
    by: str = Field(default="", description="Who (default: the login name of the account running Dagster).")


def _event(action) -> dg.OpDefinition:
    name = action.__name__.removesuffix("_cycle")

    @dg.op(name=f"{name}_cycle_op", description=action.__doc__.splitlines()[0])
    def _op(context: dg.OpExecutionContext, config: FreezeConfig, warehouse_db: DuckDBResource) -> None:
        try:
            with warehouse_db.get_connection() as con:
                done = action(con, config.cycle, config.reason, config.by or None)
        except FreezeError as exc:
            raise dg.Failure(description=str(exc)) from None
        context.log.info(f"{done.cycle}: {name} on {done.changed_at:%Y-%m-%d %H:%M} UTC by {done.changed_by} ({done.reason})")

    return _op


_freeze_op, _unfreeze_op = _event(freeze_cycle), _event(unfreeze_cycle)


@dg.job(description="Freeze a reporting cycle: runs keep its published figures and list what the raw data would "
                    "change in meta.cycle_revisions (docs/freeze.md).")
def freeze_cycle_job():
    _freeze_op()


@dg.job(description="Unfreeze a reporting cycle: the next run rebuilds it from the current data (docs/freeze.md).")
def unfreeze_cycle_job():
    _unfreeze_op()


jobs = [freeze_cycle_job, unfreeze_cycle_job]

"""Resources: where the raw files are and the DuckDB warehouse.

Defaults come from the environment (``RMRP_RAW_DIR``, ``RMRP_WAREHOUSE``, ``RMRP_REPORTS_DIR``),
else ``data/raw``, ``data/warehouse/rmrp.duckdb`` and ``data/reports`` relative to the working
directory.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster._utils.backoff import backoff
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from rmrp_pipeline.defs.run_publications import publish_waiting_runs
from rmrp_pipeline.settings import (
    DEFAULT_REPORTS_DIR,
    default_paths,
    only_rmrp_activities_from_environment,
)
from rmrp_pipeline.warehouse import publish


class RawFolder(dg.ConfigurableResource):
    """The folder of raw partner files (searched recursively)."""

    path: str

    def resolve(self) -> Path:
        """The folder as an absolute path.

        Raises:
            FileNotFoundError: the folder does not exist.
        """
        folder = Path(self.path).expanduser().resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"raw data folder not found: {folder}")
        return folder


class ReportsFolder(dg.ConfigurableResource):
    """The folder where files for people (QA workbooks, exports) are written."""

    path: str

    def resolve(self) -> Path:
        """The folder as an absolute path, created if missing."""
        folder = Path(self.path).expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        return folder




#: The DuckDB settings of every connection :class:`Warehouse` opens (DuckDB shares one open database
#: between the connections of a process only when their settings are the same).
CONNECTION_CONFIG = {"custom_user_agent": "dagster"}


@contextmanager
def held_open(database: str):
    """Keep ``database`` open in this process while the block runs (yields a connection to it):
    the runs' steps then share the open database instead of each loading the file and
    checkpointing it when it closes (docs/operations.md, "Dagster's cost"). Closed, and so
    checkpointed, when the block ends."""
    con = duckdb.connect(database, config=dict(CONNECTION_CONFIG))
    try:
        yield con
    finally:
        con.close()


class Warehouse(DuckDBResource):
    """The DuckDB warehouse. ``database`` is the file the assets write when
    ``publish_each_run`` is off (``rmrp run`` points it at its build file); with it on (the code
    location the UI, the schedule and the sensors run), each run writes its own build file beside
    the published ``database`` (``publish.run_build``) and the ``publish_successful_runs`` sensor
    publishes it when the run succeeded (``defs/publishing.py``, docs/operations.md)."""

    publish_each_run: bool = False
    #: The raw folder a publication records (``meta.publications``).
    raw_folder: str | None = None
    _run_id: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._run_id = context.run_id
        if self.publish_each_run and context.run_id and context.instance is not None \
                and not publish.build_path(publish.published_path(self.database), context.run_id).exists():
            # before this run copies the published warehouse: the runs that succeeded before it
            publish_waiting_runs(context.instance, self.database, self.raw_folder, context.log.warning)

    def target(self) -> str:
        """The file this run's connections open."""
        if self.publish_each_run and self._run_id:
            return str(publish.run_build(self.database, self._run_id))
        return self.database

    @contextmanager
    def get_connection(self):
        """A read-write connection to :meth:`target`, retried while another step of the run holds
        DuckDB's write lock (steps run in parallel processes; DuckDBResource retries the same way)."""
        con = backoff(fn=duckdb.connect, retry_on=(RuntimeError, duckdb.IOException), max_retries=10,
                      kwargs={"database": self.target(), "read_only": False,
                              "config": {**CONNECTION_CONFIG, **self.connection_config}})
        try:
            yield con
        finally:
            con.close()


class PeopleReachedOptions(dg.ConfigurableResource):
    """Options of the people-reached consolidation (``people_reached.build_people_reached``).

    ``only_rmrp_activities``: count only 5W rows with RMRP Activity = Yes, as R4V's per-organisation
    script does so that its figures match the public Activity Explorer (docs/domain.md §3.4 item 1);
    R4V's country scripts count every row (the default). Set by ``rmrp run --only-rmrp-activities``
    or the environment variable ``RMRP_ONLY_RMRP_ACTIVITIES=yes``.
    """

    only_rmrp_activities: bool = False


def build_resources(raw_dir: str | None = None, warehouse: str | None = None,
                    only_rmrp_activities: bool | None = None, publish_each_run: bool = False) -> dict:
    """The resources of every asset: ``raw_folder``, ``warehouse_db`` (see :class:`Warehouse`
    for ``publish_each_run``), ``reports_folder`` and ``people_reached_options``
    (``only_rmrp_activities`` None: from the environment)."""
    default_raw, default_warehouse = default_paths()
    warehouse_path = Path(warehouse or default_warehouse).expanduser()
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "reports_folder": ReportsFolder(path=os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)),
        "raw_folder": RawFolder(path=str(raw_dir or default_raw)),
        "warehouse_db": Warehouse(database=str(warehouse_path), publish_each_run=publish_each_run,
                                  raw_folder=str(raw_dir or default_raw)),
        "people_reached_options": PeopleReachedOptions(
            only_rmrp_activities=only_rmrp_activities_from_environment() if only_rmrp_activities is None else only_rmrp_activities),
    }

"""Resources: where the raw files are and the DuckDB warehouse.

Defaults come from the environment (``RMRP_RAW_DIR``, ``RMRP_WAREHOUSE``, ``RMRP_REPORTS_DIR``),
else ``data/raw``, ``data/warehouse/rmrp.duckdb`` and ``data/reports`` relative to the working
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.settings import (
    DEFAULT_REPORTS_DIR,
    default_paths,
    only_rmrp_activities_from_environment,
)


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




class PeopleReachedOptions(dg.ConfigurableResource):
    """Options of the people-reached consolidation (``people_reached.build_people_reached``).

    ``only_rmrp_activities``: count only 5W rows with RMRP Activity = Yes, as R4V's per-organisation
    script does so that its figures match the public Activity Explorer (docs/domain.md §3.4 item 1);
    R4V's country scripts count every row (the default). Set by ``rmrp run --only-rmrp-activities``
    or the environment variable ``RMRP_ONLY_RMRP_ACTIVITIES=yes``.
    """

    only_rmrp_activities: bool = False






def build_resources(raw_dir: str | None = None, warehouse: str | None = None,
                    only_rmrp_activities: bool | None = None) -> dict:
    """The resources of every asset: ``raw_folder``, ``warehouse_db``, ``reports_folder`` and
    ``people_reached_options`` (``only_rmrp_activities`` None: from the environment)."""
    default_raw, default_warehouse = default_paths()
    warehouse_path = Path(warehouse or default_warehouse).expanduser()
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "reports_folder": ReportsFolder(path=os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)),
        "raw_folder": RawFolder(path=str(raw_dir or default_raw)),
        "warehouse_db": DuckDBResource(database=str(warehouse_path)),
        "people_reached_options": PeopleReachedOptions(
            only_rmrp_activities=only_rmrp_activities_from_environment() if only_rmrp_activities is None else only_rmrp_activities),
    }

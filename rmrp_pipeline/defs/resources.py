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

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE = "data/warehouse/rmrp.duckdb"


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


DEFAULT_REPORTS_DIR = "data/reports"


def default_paths() -> tuple[str, str]:
    """(raw folder, warehouse file) from the environment or the defaults."""
    return (
        os.environ.get("RMRP_RAW_DIR", DEFAULT_RAW_DIR),
        os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
    )


def build_resources(raw_dir: str | None = None, warehouse: str | None = None) -> dict:
    """The resources of every asset: ``raw_folder`` and ``warehouse_db``."""
    default_raw, default_warehouse = default_paths()
    warehouse_path = Path(warehouse or default_warehouse).expanduser()
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "reports_folder": ReportsFolder(path=os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)),
        "raw_folder": RawFolder(path=str(raw_dir or default_raw)),
        "warehouse_db": DuckDBResource(database=str(warehouse_path)),
    }

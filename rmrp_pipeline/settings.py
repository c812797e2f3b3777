"""Settings read from the environment, in one place: ``RMRP_RAW_DIR``, ``RMRP_WAREHOUSE``,
``RMRP_REPORTS_DIR`` and ``RMRP_ONLY_RMRP_ACTIVITIES``, with their defaults (relative to the
working directory)."""

from __future__ import annotations

import os

DEFAULT_RAW_DIR = "data/raw"



DEFAULT_WAREHOUSE = "data/warehouse/rmrp.duckdb"



DEFAULT_REPORTS_DIR = "data/reports"



def only_rmrp_activities_from_environment() -> bool:
    """``RMRP_ONLY_RMRP_ACTIVITIES`` as a yes/no (``1``, ``true``, ``yes`` are yes; unset is no).

    Raises:
        ValueError: another value (a typo must not silently change the figures).
    """
    value = os.environ.get("RMRP_ONLY_RMRP_ACTIVITIES", "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(f"RMRP_ONLY_RMRP_ACTIVITIES={value!r}: use yes or no")



def default_paths() -> tuple[str, str]:
    """(raw folder, warehouse file) from the environment or the defaults."""
    return (
        os.environ.get("RMRP_RAW_DIR", DEFAULT_RAW_DIR),
        os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
    )


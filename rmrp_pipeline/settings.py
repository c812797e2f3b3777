"""Settings read from the environment, in one place: ``RMRP_RAW_DIR``, ``RMRP_WAREHOUSE``,
``RMRP_REPORTS_DIR`` and ``RMRP_ONLY_RMRP_ACTIVITIES``, with their defaults (relative to the
working directory), and the limits on what one raw file may hold (``RMRP_MAX_*``, ``ReadLimits``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

DEFAULT_RAW_DIR = "data/raw"



DEFAULT_WAREHOUSE = "data/warehouse/rmrp.duckdb"



DEFAULT_REPORTS_DIR = "data/reports"



def warehouse_file(target: str | os.PathLike) -> str:
    """The file path of the warehouse connection string ``target`` (``RMRP_WAREHOUSE``,
    ``--warehouse``): ``duckdb:<path>`` is ``<path>``, ``~`` expanded; relative stays relative."""
    text = os.fspath(target)
    if text.strip().startswith("duckdb:"):
        text = text.strip()[len("duckdb:"):]
    return os.path.expanduser(text)


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



@dataclass(frozen=True)
class ReadLimits:
    """What one raw file may hold before it is refused, unread (a zip bomb, a sheet that spans a
    million rows by 16,384 columns, a CSV as wide as a book). Each is set by the environment
    variable in its field's metadata; the defaults leave a wide margin over the largest real files
    (data/raw and the shared R4V data, measured): a 4.2 MB workbook, a 31.6 MB sheet part (31.6 MB
    in all its parts), 629,916 cells (22,497 rows x 28 columns) and 200 columns in one sheet, a
    72 KB CSV.

    Attributes:
        file_mb: size on disk of a raw file (``RMRP_MAX_FILE_MB``).
        part_mb: one part of a workbook (a sheet, its shared strings), uncompressed, as the zip
            declares it (``RMRP_MAX_PART_MB``).
        workbook_mb: all parts of one workbook together, uncompressed (``RMRP_MAX_WORKBOOK_MB``).
        cells: cells one sheet or CSV spans, rows x columns (``RMRP_MAX_CELLS``); a sheet that
            declares more (its ``<dimension>``) is refused too. Reading costs about 100 bytes per cell;
            a sheet of more than ``read.windows.WINDOW_CELLS`` cells is parsed in windows of about
            that many, and then costs about 55 bytes per cell (a million rows by 28 columns: 1.4 GB).
        columns: columns of one sheet or CSV (``RMRP_MAX_COLUMNS``; 16,384 is Excel's own).
    """

    file_mb: int = 256
    part_mb: int = 256
    workbook_mb: int = 1024
    cells: int = 5_000_000
    columns: int = 16_384

    #: Environment variable of each limit.
    VARIABLES = {"file_mb": "RMRP_MAX_FILE_MB", "part_mb": "RMRP_MAX_PART_MB",
                 "workbook_mb": "RMRP_MAX_WORKBOOK_MB", "cells": "RMRP_MAX_CELLS", "columns": "RMRP_MAX_COLUMNS"}

    @classmethod
    def from_environment(cls) -> "ReadLimits":
        """The limits, each from its ``RMRP_MAX_*`` variable when set (digits, ``_`` or ``,`` as
        thousands separators allowed), else its default.

        Raises:
            ValueError: a value that is not a whole number above 0.
        """
        values = {}
        for item in fields(cls):
            variable = cls.VARIABLES[item.name]
            text = os.environ.get(variable, "").strip().replace("_", "").replace(",", "")
            if not text:
                continue
            if not text.isdigit() or int(text) == 0:
                raise ValueError(f"{variable}={os.environ[variable]!r}: use a whole number above 0")
            values[item.name] = int(text)
        return cls(**values)

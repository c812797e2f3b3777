"""The report assets' one-line failure when a report file cannot be written names the reports
folder (``RMRP_REPORTS_DIR``) only for an error of writing the report, not of opening the warehouse."""

from __future__ import annotations

from contextlib import contextmanager

import dagster as dg
import pytest
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.report_assets import qa_workbook_5w
from rmrp_pipeline.defs.resources import ReportsFolder


class _FullDisk(DuckDBResource):
    """A warehouse whose build cannot be copied (the disk is full)."""

    @contextmanager
    def get_connection(self):
        raise OSError(28, "No space left on device", "/data/.rmrp.duckdb.build-run")
        yield


def test_a_warehouse_that_cannot_be_opened_is_not_a_reports_folder_problem(tmp_path):
    context = dg.build_asset_context(partition_key="2022-H2")
    with pytest.raises(OSError, match="No space left on device"):
        qa_workbook_5w(context, warehouse_db=_FullDisk(database=":memory:"),
                       reports_folder=ReportsFolder(path=str(tmp_path)))

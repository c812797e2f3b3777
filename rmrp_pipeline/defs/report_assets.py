"""Report assets: files for people (QA workbooks), written under the reports folder."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import key_of
from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.resources import ReportsFolder
from rmrp_pipeline.reports.qa_5w import write_qa_workbook


def qa_workbook_path(folder: Path, cycle: str) -> Path:
    """Where the QA workbook of ``cycle`` is written."""
    return folder / f"rmrp_5w_qa_{cycle}.xlsx"


@dg.asset(
    key=dg.AssetKey(["reports", "qa_workbook_5w"]),
    deps=[key_of("meta.quality_findings"), key_of("meta.rejected_rows"), key_of("staging.stg_5w__activities")],
    partitions_def=reporting_cycles,
    group_name="reports",
    kinds={"excel"},
    pool="duckdb_warehouse",
)
def qa_workbook_5w(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource, reports_folder: ReportsFolder):
    """Per-organisation QA workbook of the cycle's 5W rows (``qa.write_qa_workbook``): one
    sheet per appealing organisation with its rejects and findings, for the platform to send."""
    target = qa_workbook_path(reports_folder.resolve(), context.partition_key)
    with warehouse_db.get_connection() as con:
        path, organisations = write_qa_workbook(con, context.partition_key, target)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "organisations": organisations})

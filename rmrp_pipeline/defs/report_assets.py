"""Report assets: files for people (QA workbooks), written under the reports folder. The work is
in ``rmrp_pipeline.reports``."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import key_of
from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.resources import ReportsFolder
from rmrp_pipeline.reports.qa_5w import organisation_folder, write_organisation_workbooks, write_qa_workbook
from rmrp_pipeline.reports.qa_submissions import submission_qa_inputs, write_submission_qa_workbooks
from rmrp_pipeline.text.printable import os_reason

QA_WORKBOOK_5W = dg.AssetKey(["reports", "qa_workbook_5w"])
#: Sub-folder of the reports folder with one QA workbook per submitting organisation.
QA_SUBMISSIONS_FOLDER = "qa_submissions"


def qa_workbook_path(folder: Path, cycle: str) -> Path:
    """Where the QA workbook of ``cycle`` is written."""
    return folder / f"rmrp_5w_qa_{cycle}.xlsx"


@contextmanager
def _writing(reports_folder: ReportsFolder) -> Iterator[None]:
    """A file that cannot be written (no permission, a full disk) fails the step with one line
    naming it, instead of a stack trace."""
    try:
        yield
    except OSError as exc:
        raise dg.Failure(description=f"cannot write {exc.filename or reports_folder.path}: {os_reason(exc)}; "
                                     "set RMRP_REPORTS_DIR (the reports_folder resource) to a folder that can be written",
                         allow_retries=False) from None


@dg.asset(
    key=QA_WORKBOOK_5W,
    deps=[key_of("meta.quality_findings"), key_of("meta.rejected_rows"), key_of("staging.stg_5w__activities")],
    partitions_def=reporting_cycles,
    group_name="reports",
    kinds={"excel"},
    pool="duckdb_warehouse",
)
def qa_workbook_5w(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource, reports_folder: ReportsFolder):
    """Per-organisation QA workbook of the cycle's 5W rows (``reports.qa_5w.write_qa_workbook``): one
    sheet per appealing organisation with its rejects and findings, and beside it one workbook per
    organisation in its language (``qa_5w.write_organisation_workbooks``), for the platform to send."""
    # _writing inside: a warehouse that cannot be opened is not a reports folder that cannot be written
    with warehouse_db.get_connection() as con, _writing(reports_folder):
        target = qa_workbook_path(reports_folder.resolve(), context.partition_key)
        path, organisations = write_qa_workbook(con, context.partition_key, target)
        folder = organisation_folder(path, context.partition_key)
        written = write_organisation_workbooks(con, context.partition_key, folder)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)), "organisations": organisations,
                                          "organisation_workbooks": dg.MetadataValue.path(str(folder)),
                                          "workbooks": len(written)})


@dg.asset(
    key=dg.AssetKey(["reports", "qa_workbooks_submissions"]),
    deps=[key_of("staging.stg_planning__submissions"), key_of("meta.rejected_rows"), key_of("meta.quality_findings")],
    group_name="reports",
    kinds={"excel"},
    pool="duckdb_warehouse",
)
def qa_workbooks_submissions(warehouse_db: DuckDBResource, reports_folder: ReportsFolder) -> dg.MaterializeResult:
    """One QA workbook per organisation that submitted activities: its rejects and findings, in the
    language of its submission (``qa_submissions.write_submission_qa_workbooks``), written to
    ``qa_submissions/`` in the reports folder, for the platform to send to each organisation."""
    with warehouse_db.get_connection() as con:
        rows, issues, pin_years = submission_qa_inputs(con)
    with _writing(reports_folder):
        folder = reports_folder.resolve() / QA_SUBMISSIONS_FOLDER
        written = write_submission_qa_workbooks(rows, issues, folder, pin_years)
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(folder)),
        "workbooks": len(written),
        "list": dg.MetadataValue.md(written.drop(columns=["organisation_key"]).to_markdown(index=False) if len(written) else "none"),
    })

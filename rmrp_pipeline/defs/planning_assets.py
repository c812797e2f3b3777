"""Dagster assets of the planning figures (issue #4): the canonical fact table and the
per-organisation QA workbooks of the activity submissions. Thin: the work is in SQL files and
plain functions (``qa_workbooks.write_submission_qa_workbooks``)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import key_of, sql_table_asset
from rmrp_pipeline.defs.checks import _documented_check
from rmrp_pipeline.defs.resources import ReportsFolder
from rmrp_pipeline.reports.qa_submissions import write_submission_qa_workbooks

fct_planning_figures = sql_table_asset(
    "marts.fct_planning_figures",
    ["staging.stg_planning__pin_target", "staging.stg_planning__submissions", "staging.stg_planning__published_figures"],
    "marts",
    "Canonical planning figures from PiN/target tables, activity submissions and published key figures, "
    "one row per figure as given (sql/marts.fct_planning_figures.sql).",
)

#: Sub-folder of the reports folder with one QA workbook per submitting organisation.
QA_SUBMISSIONS_FOLDER = "qa_submissions"


@dg.asset(
    key=dg.AssetKey(["reports", "qa_workbooks_submissions"]),
    deps=[key_of("staging.stg_planning__submissions"), key_of("meta.rejected_rows"), key_of("meta.quality_findings")],
    group_name="reports",
    kinds={"excel"},
    pool="duckdb_warehouse",
)
def qa_workbooks_submissions(warehouse_db: DuckDBResource, reports_folder: ReportsFolder) -> dg.MaterializeResult:
    """One QA workbook per organisation that submitted activities: its rejects and findings, in the
    language of its submission (``qa_workbooks.write_submission_qa_workbooks``), written to
    ``qa_submissions/`` in the reports folder, for the platform to send to each organisation."""
    folder = reports_folder.resolve() / QA_SUBMISSIONS_FOLDER
    with warehouse_db.get_connection() as con:
        rows = con.execute(
            "SELECT source_file, source_sheet, source_row, organisation, organisation_id, organisation_key, language, "
            "is_rejected, plan_year, country, admin1, sector, indicator_code, indicator_type "
            "FROM staging.stg_planning__submissions"
        ).df()
        issues = con.execute(
            "SELECT *, 'reject' AS severity FROM meta.rejected_rows WHERE produced_by = 'stg_planning__submissions' "
            "UNION ALL BY NAME "
            "SELECT *, 'finding' AS severity FROM meta.quality_findings WHERE produced_by = 'stg_planning__submissions'"
        ).df()
        pin_years = {int(y) for (y,) in con.execute(
            "SELECT DISTINCT plan_year FROM staging.stg_planning__pin_target "
            "WHERE measure = 'people_in_need' AND level = 'country' AND NOT is_rejected"
        ).fetchall()}
    written = write_submission_qa_workbooks(rows, issues, folder, pin_years)
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(folder)),
        "workbooks": len(written),
        "list": dg.MetadataValue.md(written.drop(columns=["organisation_key"]).to_markdown(index=False) if len(written) else "none"),
    })


fct_planning_figures_documented = _documented_check("marts.fct_planning_figures")

PLANNING_ASSETS = [fct_planning_figures, qa_workbooks_submissions]
PLANNING_CHECKS = [fct_planning_figures_documented]

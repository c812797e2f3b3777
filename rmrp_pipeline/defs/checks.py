"""Asset checks: nothing lost silently, published figures consistent, marts documented."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import key_of
from rmrp_pipeline.warehouse import db as warehouse


@dg.asset_check(asset=key_of("meta.load_log"), blocking=True, description=(
    "For every recognised file and sheet: rows read = rows loaded + rows rejected, and the rows read "
    "match the rows with values counted independently in the file. "
    "Unknown or unreadable files are listed (they are reported, never skipped in silence)."))
def rows_read_equal_loaded_plus_rejected(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
    """Fails (ERROR) when a recognised sheet lost or duplicated rows."""
    with warehouse_db.get_connection() as con:
        broken = con.execute(
            "SELECT source_file, sheet, rows_read, rows_loaded, rows_rejected FROM meta.load_log "
            "WHERE status = 'recognised' AND (rows_read <> rows_loaded + rows_rejected "
            "OR rows_in_file < rows_read OR rows_in_file > rows_read + blank_rows)"
        ).df()
        unknown = con.execute(
            "SELECT source_file, sheet, status, message FROM meta.load_log WHERE status <> 'recognised'"
        ).df()
    return dg.AssetCheckResult(
        passed=broken.empty,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "sheets_with_lost_rows": len(broken),
            "lost_rows": dg.MetadataValue.md(broken.to_markdown(index=False) if len(broken) else "none"),
            "unknown_or_unreadable": dg.MetadataValue.md(unknown.to_markdown(index=False) if len(unknown) else "none"),
        },
    )


@dg.asset_check(asset=key_of("meta.reconciliation"), description=(
    "Warns on every inconsistent row of meta.reconciliation: a published ratio that its published parts "
    "cannot give (interval arithmetic on the rounding), a country figure below the sum of its admin1 "
    "figures, an intersector figure above the sum of its sectors, and the like. The check name is kept "
    "for saved run histories."))
def published_ratios_consistent(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
    """WARN for every ``inconsistent`` row of meta.reconciliation."""
    with warehouse_db.get_connection() as con:
        bad = con.execute(
            "SELECT plan_year, platform, sector, check_name, published_text, explanation "
            "FROM meta.reconciliation WHERE status = 'inconsistent'"
        ).df()
    return dg.AssetCheckResult(
        passed=bad.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "inconsistent": len(bad),
            "details": dg.MetadataValue.md(bad.to_markdown(index=False) if len(bad) else "none"),
        },
    )


def _documented_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=key_of(table), name="every_column_documented", description=(
        f"Every column of {table} has a comment (read by analysts in meta.data_dictionary)."))
    def check(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse_db.get_connection() as con:
            missing = [name for name, _t, comment in warehouse.table_columns(con, table) if not comment]
        return dg.AssetCheckResult(passed=not missing, metadata={"undocumented": ", ".join(missing) or "none"})

    return check


MART_TABLES = ["marts.fct_activities", "marts.sector_key_figures", "marts.people_reached_monthly",
               "marts.cycle_people_reached", "marts.cycle_outputs", "marts.cycle_trafficking_pillars"]
documented_checks = [_documented_check(t) for t in MART_TABLES]

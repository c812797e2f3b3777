"""Asset checks: nothing lost silently, published figures consistent, marts documented. The
queries are in ``marts.audits``; the marts checked are the registry's (``marts.registry``)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import key_of
from rmrp_pipeline.marts import audits, registry


def _table_md(frame) -> dg.MetadataValue:
    return dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "none")


@dg.asset_check(asset=key_of("meta.load_log"), blocking=True, description=(
    "For every recognised file and sheet: rows read = rows loaded + rows rejected, and the rows read "
    "match the rows with values counted independently in the file. "
    "Unknown or unreadable files are listed (they are reported, never skipped in silence)."))
def rows_read_equal_loaded_plus_rejected(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
    """Fails (ERROR) when a recognised sheet lost or duplicated rows."""
    with warehouse_db.get_connection() as con:
        broken = audits.sheets_with_lost_rows(con)
        unknown = audits.sheets_not_recognised(con)
    return dg.AssetCheckResult(
        passed=broken.empty,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"sheets_with_lost_rows": len(broken), "lost_rows": _table_md(broken),
                  "unknown_or_unreadable": _table_md(unknown)},
    )


@dg.asset_check(asset=key_of("meta.reconciliation"), description=(
    "Warns on every inconsistent row of meta.reconciliation: a published ratio that its published parts "
    "cannot give (interval arithmetic on the rounding), a country figure below the sum of its admin1 "
    "figures, an intersector figure above the sum of its sectors, and the like. The check name is kept "
    "for saved run histories."))
def published_ratios_consistent(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
    """WARN for every ``inconsistent`` row of meta.reconciliation."""
    with warehouse_db.get_connection() as con:
        bad = audits.inconsistent_reconciliation(con)
    return dg.AssetCheckResult(
        passed=bad.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"inconsistent": len(bad), "details": _table_md(bad)},
    )


def _documented_check(table: str) -> dg.AssetChecksDefinition:
    described = [table, *registry.built_with(table)]

    @dg.asset_check(asset=key_of(table), name="every_column_documented", description=(
        f"{table}, the seeds and views it is built with, and every column of them have a comment "
        f"(read by analysts in meta.data_dictionary): {', '.join(described)}."))
    def check(warehouse_db: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse_db.get_connection() as con:
            missing = audits.undocumented(con, described)
        return dg.AssetCheckResult(passed=not missing, metadata={"undocumented": ", ".join(missing) or "none"})

    return check


#: One documentation check per mart.
documented_checks = [_documented_check(t.name) for t in registry.assets() if t.layer == "marts"]

"""Asset checks: nothing lost silently, published figures consistent, cycle
tables built from the inputs the warehouse holds now. The queries are in ``marts.audits`` and
``marts.cycle_inputs``; the marts checked are the registry's (``marts.registry``)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.assets import INPUTS_FINGERPRINT, key_of, run_fingerprints
from rmrp_pipeline.marts import audits, registry
from rmrp_pipeline.marts.builds import cycles_to_build


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


#: The asset keys of the tables filled one reporting cycle at a time.
CYCLE_KEYS = [key_of(t.name) for t in registry.by_cycle() if t.is_asset]
BUILT_FROM_CURRENT_INPUTS = "built_from_current_inputs"


def recorded_fingerprints(instance: dg.DagsterInstance, key: dg.AssetKey, cycles: list[str]) -> dict[str, str | None]:
    """``{cycle: fingerprint}`` of the inputs the latest materialization of ``key`` for each of
    ``cycles`` was built from (None: never built, or built without one)."""
    found: dict[str, str | None] = {}
    for cycle in cycles:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[cycle]), limit=1).records
        value = records[0].asset_materialization.metadata.get(INPUTS_FINGERPRINT) if records else None
        found[cycle] = value.value if value is not None else None
    return found


def stale_cycles(instance: dg.DagsterInstance, current: dict[str, str]) -> dict[str, list[str]]:
    """``{cycle: [cycle tables whose rows of it were built from other inputs, or never built]}``
    for the cycles of ``current`` (``{cycle: fingerprint of its inputs now}``) that have any."""
    stale: dict[str, list[str]] = {}
    for key in CYCLE_KEYS:
        for cycle, recorded in recorded_fingerprints(instance, key, list(current)).items():
            if recorded != current[cycle]:
                stale.setdefault(cycle, []).append(".".join(key.path))
    return dict(sorted(stale.items()))


@dg.multi_asset_check(
    name="cycles_built_from_current_inputs",
    specs=[dg.AssetCheckSpec(BUILT_FROM_CURRENT_INPUTS, asset=key, additional_deps=[key_of(registry.STAGED_5W)],
                             description=(
                                 "Warns while a reporting cycle's rows of this table were built from other inputs "
                                 "than the warehouse holds now (the cycle's 5W rows, its year's planning figures: "
                                 "marts.cycle_inputs), or never built: the cycle is stale until it is rebuilt "
                                 "(cycle_refresh_sensor does it after an ingest; or cycle_job for that partition)."))
           for key in CYCLE_KEYS],
    can_subset=True,   # a cycle table selected alone (the UI selects its checks with it)
)
def cycles_built_from_current_inputs(context: dg.AssetCheckExecutionContext, warehouse_db: DuckDBResource):
    """One WARN result per cycle table selected, listing its stale cycles. Runs after the ingest
    (ingest_job) and after every cycle build (cycle_job)."""
    with warehouse_db.get_connection() as con:
        current = run_fingerprints(context.run.run_id, warehouse_db.database, con, cycles_to_build(con))
    stale_tables = stale_cycles(context.instance, current)
    for key in CYCLE_KEYS:
        if dg.AssetCheckKey(key, BUILT_FROM_CURRENT_INPUTS) not in context.selected_asset_check_keys:
            continue
        stale = [cycle for cycle, tables in stale_tables.items() if ".".join(key.path) in tables]
        yield dg.AssetCheckResult(
            asset_key=key, check_name=BUILT_FROM_CURRENT_INPUTS, passed=not stale, severity=dg.AssetCheckSeverity.WARN,
            metadata={"stale_cycles": ", ".join(stale) or "none", "cycles": ", ".join(current) or "none"})

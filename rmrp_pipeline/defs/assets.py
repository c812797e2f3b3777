"""Dagster assets of the warehouse tables, built from the registry (``marts.registry``): one asset
per declared table, keyed ``[schema, table]``, grouped by schema, described by its DDL comment.
Three steps build them all: the ingest's tables, the tables built whole, the tables filled cycle
by cycle (each a ``multi_asset``, any subset of which can be materialized; each mart's
documentation check evaluated as it is built). Thin wrappers: the work is in SQL files and plain
functions (``marts.builds`` and the builders the registry names). No data passes between assets
through Dagster: each reads the warehouse.
"""

import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.partitions import refuse_malformed_cycle, reporting_cycles, sync_cycle_partitions
from rmrp_pipeline.defs.resources import PeopleReachedOptions, RawFolder
from rmrp_pipeline.ingest import ingest_raw_folder, trim_freed_memory
from rmrp_pipeline.ingest_cache import cache_dir_for
from rmrp_pipeline.marts import audits, builds, cycle_builds, cycle_inputs, registry
from rmrp_pipeline.warehouse import db as warehouse

POOL = "duckdb_warehouse"
#: Metadata of the 5W staging table's materialization: ``{cycle: fingerprint}`` of every cycle's inputs.
CYCLE_INPUTS = "cycle_inputs"
#: Metadata of a cycle asset's materialization of one cycle: the fingerprint of the inputs it was built from.
INPUTS_FINGERPRINT = "inputs_fingerprint"


def key_of(table: str) -> dg.AssetKey:
    """Asset key of a warehouse table: ``marts.fct_activities`` -> ``["marts", "fct_activities"]``."""
    return dg.AssetKey(table.split("."))


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, where: str = "") -> dict:
    """Materialization metadata: row count, column schema with descriptions, a preview."""
    columns = warehouse.table_columns(con, table)
    return {
        "dagster/row_count": warehouse.row_count(con, table, where),
        "dagster/table_name": table,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, dtype, description=comment) for name, dtype, comment in columns]
        ),
        "preview": dg.MetadataValue.md(warehouse.preview(con, table, 10, where).to_markdown(index=False)),
    }


def _spec_args(table: registry.Table) -> dict:
    """What every asset of a declared table has: key, deps, group, kinds and description (its DDL comment)."""
    return {"key": key_of(table.name), "deps": [key_of(d) for d in registry.deps(table.name)],
            "group_name": table.schema, "kinds": set(table.kinds),
            "description": warehouse.table_comment(table.name)}


#: The plain function that builds a declared table (``marts.builds.builder``).
builder = builds.builder

#: ``{(run id, warehouse file, cycle): fingerprint of the cycle's inputs}`` worked out in the runs of
#: this process, the latest run's only. The input tables (``cycle_inputs.INPUT_TABLES``) are written
#: by the ingest asset alone, which records the fingerprints after writing, and every asset or check
#: of a run that asks for them runs after it (they depend on it); a run builds a file of its own
#: (``warehouse.publish``). So within one run a cycle's fingerprint is worked out once, not once per
#: cycle table and check (a scan of the cycle's 5W rows each).
_RUN_FINGERPRINTS: dict[tuple[str, str, str], str] = {}
_RUN_FINGERPRINTS_LOCK = threading.Lock()   # runs on threads of one process (tests) share the dict


def run_fingerprints(run_id: str, database: str, con: duckdb.DuckDBPyConnection, cycles: list[str],
                     fresh: bool = False) -> dict[str, str]:
    """``cycle_inputs.input_fingerprints`` of ``cycles``, each worked out once per run (``fresh``:
    work them all out and keep them, as the ingest does after writing the input tables)."""
    with _RUN_FINGERPRINTS_LOCK:
        if any(key[0] != run_id for key in _RUN_FINGERPRINTS):
            _RUN_FINGERPRINTS.clear()
        missing = cycles if fresh else [c for c in cycles if (run_id, database, c) not in _RUN_FINGERPRINTS]
        for cycle, fingerprint in cycle_inputs.input_fingerprints(con, missing).items():
            _RUN_FINGERPRINTS[(run_id, database, cycle)] = fingerprint
        return {cycle: _RUN_FINGERPRINTS[(run_id, database, cycle)] for cycle in cycles}


def _ingest_asset() -> dg.AssetsDefinition:
    tables = [registry.table(name) for name in registry.ingested()]

    @dg.multi_asset(name="ingest_raw_files", specs=[dg.AssetSpec(**_spec_args(t)) for t in tables], pool=POOL)
    def ingest_raw_files(context: dg.AssetExecutionContext, raw_folder: RawFolder, warehouse_db: DuckDBResource):
        """Read every file of the raw folder once, recognise it by its columns, stage and validate
        it (``ingest.ingest_raw_folder``), replace the raw, staging and meta tables it feeds, and
        load the seeds they are built with (``staging.ref_sectors``)."""
        result = ingest_raw_folder(raw_folder.resolve(), progress=context.log.info,
                                   cache_dir=cache_dir_for(warehouse_db.database))
        with warehouse_db.get_connection() as con:
            with warehouse.write_memory(con):
                for table in tables:
                    written, kept = warehouse.sync_table(con, table.name, result.for_warehouse(table.name))
                    if kept:
                        context.log.info(f"{table.name}: {written:,} rows written, {kept:,} rows of unchanged files kept")
                    for seed in registry.built_with(table.name, "seed"):
                        builds.load_seed(con, seed)
            del result   # the staged rows are in the warehouse now: their memory goes back before the marts
            trim_freed_memory()
            # a reporting cycle whose 5W rows are gone loses its figures too (the others are rebuilt by cycle_job)
            cycles = builds.cycles_in_warehouse(con)
            dropped = builds.drop_cycles_without_data(con, cycles)
            if dropped:
                context.log.info(f"deleted {dropped:,} rows of reporting cycles no longer in the 5W data")
            to_build = builds.cycles_to_build(con)   # the partitions: the 5W data's cycles and the frozen ones
            cycle_builds.forget(con, keep=to_build)
            added, deleted = sync_cycle_partitions(context.instance, to_build)
            if added or deleted:
                context.log.info(f"reporting cycles added: {', '.join(added) or 'none'}; deleted: {', '.join(deleted) or 'none'}")
            current = run_fingerprints(context.run.run_id, warehouse_db.database, con, to_build, fresh=True)
            fingerprints = {registry.STAGED_5W: {CYCLE_INPUTS: dg.MetadataValue.json(current)}}
            for table in tables:
                yield dg.MaterializeResult(asset_key=key_of(table.name), metadata={
                    **table_metadata(con, table.name), **fingerprints.get(table.name, {})})

    return ingest_raw_files


#: The check every mart carries, evaluated in the step that builds it (no step of its own).
DOCUMENTED = "every_column_documented"


def _described(table: registry.Table) -> list[str]:
    """What a mart's documentation check reads: the table and the seeds and views it is built with."""
    return [table.name, *registry.built_with(table.name)]


def _documented_spec(table: registry.Table) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(DOCUMENTED, asset=key_of(table.name), description=(
        f"{table.name}, the seeds and views it is built with, and every column of them have a comment "
        f"(read by analysts in meta.data_dictionary): {', '.join(_described(table))}."))


def _documented_result(con: duckdb.DuckDBPyConnection, table: registry.Table) -> dg.AssetCheckResult:
    missing = audits.undocumented(con, _described(table))
    return dg.AssetCheckResult(asset_key=key_of(table.name), check_name=DOCUMENTED, passed=not missing,
                               metadata={"undocumented": ", ".join(missing) or "none"})


def _tables_step(name: str, tables: list[registry.Table], **asset_args) -> Callable:
    """``multi_asset`` decorator of the assets of ``tables`` built in one step (a step per table
    costs Dagster's per-step records, more than a small table's build): any subset of them can be
    materialized (``can_subset``), in build order (``builds.in_build_order``); each mart's
    documentation check is evaluated right after it is built."""
    return dg.multi_asset(name=name, specs=[dg.AssetSpec(**_spec_args(t)) for t in tables],
                          check_specs=[_documented_spec(t) for t in tables if t.layer == "marts"],
                          can_subset=True, pool=POOL, **asset_args)


def _selected(context: dg.AssetExecutionContext, tables: list[registry.Table]) -> list[tuple[registry.Table, bool, bool]]:
    """(table, whether it is built, whether its documentation check is evaluated) of the tables of
    this step whose asset or check is selected (a check can be run alone from the UI), in build order."""
    keys, checks = context.selected_asset_keys, context.selected_asset_check_keys
    chosen = [(t, key_of(t.name) in keys, dg.AssetCheckKey(key_of(t.name), DOCUMENTED) in checks)
              for t in builds.in_build_order(tables)]
    return [c for c in chosen if c[1] or c[2]]


@contextmanager
def _building(table: registry.Table) -> Iterator[None]:
    """Name the table in the error that stops its build (the step builds several)."""
    try:
        yield
    except dg.Failure:
        raise
    except Exception as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise dg.Failure(description=f"building {table.name}: {first}") from exc


def _whole_tables_asset(tables: list[registry.Table]) -> dg.AssetsDefinition:
    @_tables_step("warehouse_tables", tables)
    def warehouse_tables(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource):
        """Build each selected table whole from the tables it reads (``marts.builds.builder``)."""
        with warehouse_db.get_connection() as con:
            for table, build, check in _selected(context, tables):
                if build:
                    with _building(table):
                        where = builder(table)(con)
                    yield dg.MaterializeResult(asset_key=key_of(table.name), metadata=table_metadata(con, table.name, where))
                if check:
                    yield _documented_result(con, table)

    return warehouse_tables


def _build_cycles(context: dg.AssetExecutionContext, con: duckdb.DuckDBPyConnection, database: str,
                  table: registry.Table, build: Callable) -> dg.MaterializeResult:
    """Build ``table`` for each cycle of the run, one after the other (a year's rows once:
    ``builds.build_cycles``), each cycle recorded with its metadata and input fingerprint."""
    with _building(table):
        wheres = builds.build_cycles(con, table, context.partition_keys, build)
    key = key_of(table.name)
    for cycle, where in wheres.items():
        fingerprint = run_fingerprints(context.run.run_id, database, con, [cycle])[cycle]
        context.add_asset_metadata({**table_metadata(con, table.name, where), INPUTS_FINGERPRINT: fingerprint},
                                   asset_key=key, partition_key=cycle)
    return dg.MaterializeResult(asset_key=key)


def _cycle_tables_asset(tables: list[registry.Table]) -> dg.AssetsDefinition:
    """The tables filled one reporting cycle at a time, partitioned by cycle: each builder
    ``build(connection, cycle) -> WHERE clause of the rows written``, plus ``only_rmrp_activities=``
    from the ``people_reached_options`` resource when it takes it. One run builds any range of
    cycles (``BackfillPolicy.single_run``), each recorded with its own metadata and the fingerprint
    of its inputs (``marts.cycle_inputs``)."""

    def cycle_tables(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource,
                     people_reached_options: PeopleReachedOptions):
        """Build the selected cycle tables for each cycle of the run (``marts.builds.build_cycles``)."""
        for cycle in context.partition_keys:
            refuse_malformed_cycle(context.instance, cycle)
        option = people_reached_options.only_rmrp_activities
        with warehouse_db.get_connection() as con:
            chosen = _selected(context, tables)
            for table, build, check in chosen:
                if build:
                    yield _build_cycles(context, con, warehouse_db.database, table, builds.cycle_build(table, option))
                if check:
                    yield _documented_result(con, table)
            cycles = list(context.partition_keys)
            if sum(build for _t, build, _c in chosen) == len(tables):   # what every cycle table was built from
                cycle_builds.record(con, cycles, option, run_fingerprints(context.run.run_id, warehouse_db.database, con, cycles))
            else:   # some tables built anew, others not: the cycle's record no longer tells
                cycle_builds.forget(con, cycles)

    with warnings.catch_warnings():   # backfill_policy is a beta parameter: not news for operators
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _tables_step("cycle_tables", tables, partitions_def=reporting_cycles,
                            backfill_policy=dg.BackfillPolicy.single_run())(cycle_tables)


ingest_raw_files = _ingest_asset()
_BUILT = [t for t in registry.assets() if t.build != registry.INGEST]
#: Every other declared table: those built whole in one step, those filled cycle by cycle in another.
table_assets = [_whole_tables_asset([t for t in _BUILT if not t.cycle_rows]),
                _cycle_tables_asset([t for t in _BUILT if t.cycle_rows])]

"""Dagster assets of the warehouse tables, built from the registry (``marts.registry``): one asset
per declared table, keyed ``[schema, table]``, grouped by schema, described by its DDL comment.
Thin wrappers: the work is in SQL files and plain functions (``marts.builds`` and the builders the
registry names). No data passes between assets through Dagster: each reads the warehouse.
"""

import importlib
import inspect
from collections.abc import Callable

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.resources import PeopleReachedOptions, RawFolder
from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.marts import builds, registry
from rmrp_pipeline.warehouse import db as warehouse

POOL = "duckdb_warehouse"


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


def builder(table: registry.Table) -> Callable:
    """The plain function the registry names for ``table`` (``module:function`` of
    ``rmrp_pipeline.marts``); for a table built from its SQL file alone, ``builds.rebuild_table``
    or, filled cycle by cycle, ``builds.rewrite_cycle``, bound to the table."""
    if table.build == registry.SQL:
        build = builds.rewrite_cycle if table.cycle_rows else builds.rebuild_table
        return lambda con, *args, **kwargs: build(con, table.name, *args, **kwargs)
    module, _, function = table.build.partition(":")
    return getattr(importlib.import_module(f"rmrp_pipeline.marts.{module}"), function)


def _ingest_asset() -> dg.AssetsDefinition:
    tables = [registry.table(name) for name in registry.ingested()]

    @dg.multi_asset(name="ingest_raw_files", specs=[dg.AssetSpec(**_spec_args(t)) for t in tables], pool=POOL)
    def ingest_raw_files(context: dg.AssetExecutionContext, raw_folder: RawFolder, warehouse_db: DuckDBResource):
        """Read every file of the raw folder once, recognise it by its columns, stage and validate
        it (``ingest.ingest_raw_folder``), replace the raw, staging and meta tables it feeds, and
        load the seeds they are built with (``staging.ref_sectors``)."""
        result = ingest_raw_folder(raw_folder.resolve(), progress=context.log.info)
        with warehouse_db.get_connection() as con:
            for table in tables:
                warehouse.replace_table(con, table.name, result.for_warehouse(table.name))
                for seed in registry.built_with(table.name, "seed"):
                    builds.load_seed(con, seed)
            # a reporting cycle whose 5W rows are gone loses its figures too (the others are rebuilt by cycle_job)
            dropped = builds.drop_cycles_without_data(con, builds.cycles_in_warehouse(con))
            if dropped:
                context.log.info(f"deleted {dropped:,} rows of reporting cycles no longer in the 5W data")
            for table in tables:
                yield dg.MaterializeResult(asset_key=key_of(table.name), metadata=table_metadata(con, table.name))

    return ingest_raw_files


def _table_asset(table: registry.Table) -> dg.AssetsDefinition:
    build = builder(table)

    @dg.asset(**_spec_args(table), pool=POOL)
    def _asset(warehouse_db: DuckDBResource) -> dg.MaterializeResult:
        with warehouse_db.get_connection() as con:
            where = build(con)
            return dg.MaterializeResult(metadata=table_metadata(con, table.name, where))

    return _asset


def _cycle_asset(table: registry.Table) -> dg.AssetsDefinition:
    """An asset partitioned by reporting cycle: ``build(connection, cycle) -> WHERE clause of the
    rows written``, plus ``only_rmrp_activities=`` from the ``people_reached_options`` resource
    when the builder takes it."""
    build = builder(table)
    takes_options = "only_rmrp_activities" in inspect.signature(build).parameters

    @dg.asset(**_spec_args(table), pool=POOL, partitions_def=reporting_cycles)
    def _asset(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource,
               people_reached_options: PeopleReachedOptions) -> dg.MaterializeResult:
        kwargs = {"only_rmrp_activities": people_reached_options.only_rmrp_activities} if takes_options else {}
        with warehouse_db.get_connection() as con:
            where = build(con, context.partition_key, **kwargs)
            return dg.MaterializeResult(metadata=table_metadata(con, table.name, where))

    return _asset


ingest_raw_files = _ingest_asset()
#: Every other declared table, one asset each.
table_assets = [(_cycle_asset if t.cycle_rows else _table_asset)(t)
                for t in registry.assets() if t.build != registry.INGEST]

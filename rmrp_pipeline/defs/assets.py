"""Dagster assets: thin wrappers that call the plain functions and write the warehouse.

Asset keys are ``[schema, table]`` of the DuckDB table they write, grouped by layer. No data
passes between assets through Dagster: each reads what it needs from the warehouse.
"""


import dagster as dg
import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.cycles import cycles_in
from rmrp_pipeline.defs.partitions import reporting_cycles
from rmrp_pipeline.defs.resources import PeopleReachedOptions, RawFolder
from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.marts.cycle_outputs import (
    build_cycle_outputs,
    build_cycle_trafficking_pillars,
)
from rmrp_pipeline.marts.builds import drop_cycles_without_data
from rmrp_pipeline.marts.people_reached import (
    build_cycle_people_reached,
    build_people_reached,
    build_reporting_completeness,
)
from rmrp_pipeline.marts.reconciliation import (
    reconcile_planning_figures,
    reconcile_published_figures,
)
from rmrp_pipeline.warehouse import db as warehouse

KINDS_EXCEL = {"excel", "pandas", "duckdb"}

#: Tables the ingest step writes, with their layer (Dagster group) and description.
INGEST_TABLES = {
    "raw.source_files": "Every file and sheet of the raw folder and the template it was recognised as.",
    "staging.ref_countries": "R4V platforms and countries (reference list).",
    "staging.ref_admin1": "Admin1 lists per cycle (reference list).",
    "staging.ref_organisations": "Appealing organisations and implementing partners (reference list).",
    "staging.ref_indicators": "Indicator registries per cycle (reference list).",
    "staging.stg_5w__activities": "Every 5W row read, canonical columns, typed, validated, with lineage.",
    "staging.stg_planning__published_figures": "Published planning figures, one row per figure cell.",
    "staging.stg_planning__sources": "Where each published-figures workbook comes from.",
    "staging.stg_planning__pin_target": "Every row of the PiN and target tables (admin1 and Country level, sectors and Intersector), typed, with lineage.",
    "staging.stg_planning__submissions": "Every row of the appealing organisations' activity submissions, typed, validated, with lineage.",
    "staging.ref_planning_proportions": "PiN and target age/gender proportions per country, admin1 and subsector (reference list).",
    "meta.rejected_rows": "Rows that could not be loaded with certainty, per failing cell and rule.",
    "meta.quality_findings": "Loaded rows that break an R4V quality rule, per cell and rule.",
}


def key_of(table: str) -> dg.AssetKey:
    """Asset key of a warehouse table: ``marts.fct_activities`` -> ``["marts", "fct_activities"]``."""
    return dg.AssetKey(table.split("."))


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, where: str = "") -> dict:
    """Materialization metadata: row count, column schema with descriptions, a preview."""
    columns = warehouse.table_columns(con, table)
    count = con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]
    return {
        "dagster/row_count": int(count),
        "dagster/table_name": table,
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, dtype, description=comment) for name, dtype, comment in columns]
        ),
        "preview": dg.MetadataValue.md(warehouse.preview(con, table, 10, where).to_markdown(index=False)),
    }


@dg.multi_asset(
    name="ingest_raw_files",
    specs=[
        dg.AssetSpec(key_of(t), description=d, group_name=t.split(".")[0], kinds=KINDS_EXCEL)
        for t, d in INGEST_TABLES.items()
    ],
    pool="duckdb_warehouse",
)
def ingest_raw_files(context: dg.AssetExecutionContext, raw_folder: RawFolder, warehouse_db: DuckDBResource):
    """Read every file of the raw folder once, recognise it by its columns, stage and validate it
    (``ingest.ingest_raw_folder``), and replace the raw, staging and meta tables it feeds."""
    result = ingest_raw_folder(raw_folder.resolve(), progress=context.log.info)
    with warehouse_db.get_connection() as con:
        for table in INGEST_TABLES:
            warehouse.replace_table(con, table, result.for_warehouse(table))
        # a reporting cycle whose 5W rows are gone loses its figures too (the others are rebuilt by cycle_job)
        cycles = cycles_in(con.execute("SELECT month, is_rejected FROM staging.stg_5w__activities").df())
        dropped = drop_cycles_without_data(con, cycles)
        if dropped:
            context.log.info(f"deleted {dropped:,} rows of reporting cycles no longer in the 5W data")
        for table in INGEST_TABLES:
            yield dg.MaterializeResult(asset_key=key_of(table), metadata=table_metadata(con, table))


def sql_table_asset(table: str, deps: list[str], group: str, description: str, before: tuple[str, ...] = ()) -> dg.AssetsDefinition:
    """An asset that rebuilds ``table`` from its DDL and ``sql/<table>.sql`` (after running the
    SQL files ``before``, e.g. a view it reads)."""

    @dg.asset(
        key=key_of(table),
        deps=[key_of(d) for d in deps],
        group_name=group,
        kinds={"duckdb", "sql"},
        pool="duckdb_warehouse",
        description=description,
    )
    def _asset(warehouse_db: DuckDBResource) -> dg.MaterializeResult:
        with warehouse_db.get_connection() as con:
            for name in before:
                warehouse.run_sql(con, name)
            warehouse.create_table(con, table)
            warehouse.run_sql(con, table)
            return dg.MaterializeResult(metadata=table_metadata(con, table))

    return _asset


fct_activities = sql_table_asset(
    "marts.fct_activities", ["staging.stg_5w__activities"], "marts",
    "One row per loaded 5W row (sql/marts.fct_activities.sql).",
)
sector_key_figures = sql_table_asset(
    "marts.sector_key_figures", ["staging.stg_planning__published_figures", "marts.fct_planning_figures"], "marts",
    "Sector key figures by plan year and platform: published, computed from the PiN/target tables, and from "
    "submissions (sql/marts.sector_key_figures.sql).",
    before=("staging.int_planning__published_ratios",),
)
load_log = sql_table_asset(
    "meta.load_log", list(INGEST_TABLES), "meta",
    "Per file and sheet: rows read, loaded, rejected and findings (sql/meta.load_log.sql).",
    before=("staging.loaded_rows",),
)


@dg.asset(
    key=key_of("meta.reconciliation"),
    deps=[key_of("staging.stg_planning__published_figures"), key_of("marts.fct_planning_figures")],
    group_name="meta",
    kinds={"duckdb", "pandas"},
    pool="duckdb_warehouse",
)
def reconciliation(warehouse_db: DuckDBResource) -> dg.MaterializeResult:
    """Published ratios against their parts, regional figures against the platforms
    (``reconciliation.reconcile_published_figures``), and how the planning figures add up
    (``reconciliation.reconcile_planning_figures``: country vs admin1, intersector vs sectors,
    regional vs countries, submissions vs published)."""
    with warehouse_db.get_connection() as con:
        figures = con.execute("SELECT * FROM staging.stg_planning__published_figures").df()
        facts = con.execute(  # the checks use the tables' age/gender totals only
            "SELECT * FROM marts.fct_planning_figures WHERE source_kind <> 'pin_target_table' OR age_gender = 'all'"
        ).df()
        checks = pd.concat([reconcile_published_figures(figures), reconcile_planning_figures(facts, figures)], ignore_index=True)
        warehouse.replace_table(con, "meta.reconciliation", checks)
        return dg.MaterializeResult(metadata=table_metadata(con, "meta.reconciliation"))


def cycle_table_asset(table: str, deps: list[str], build, description: str, options: bool = False) -> dg.AssetsDefinition:
    """An asset partitioned by reporting cycle that rebuilds the cycle's rows of ``table`` with
    ``build(connection, cycle) -> WHERE clause of the rows written`` (a plain function, testable
    without Dagster; with ``options``, also ``only_rmrp_activities=`` from the
    ``people_reached_options`` resource); the builders delete the cycle's rows first, so a re-run
    never duplicates."""

    @dg.asset(
        key=key_of(table),
        deps=[key_of(d) for d in deps],
        partitions_def=reporting_cycles,
        group_name="marts",
        kinds={"duckdb", "sql"},
        pool="duckdb_warehouse",
        description=description,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse_db: DuckDBResource,
               people_reached_options: PeopleReachedOptions) -> dg.MaterializeResult:
        kwargs = {"only_rmrp_activities": people_reached_options.only_rmrp_activities} if options else {}
        with warehouse_db.get_connection() as con:
            where = build(con, context.partition_key, **kwargs)
            return dg.MaterializeResult(metadata=table_metadata(con, table, where))

    return _asset


people_reached_monthly = cycle_table_asset(
    "marts.people_reached_monthly", ["marts.fct_activities"], build_people_reached,
    "People reached per admin1, country, platform and region, month and subsector for one reporting cycle "
    "(people_reached.build_people_reached, sql/marts.people_reached_monthly.sql; Intersector model per platform "
    "and year from reference_data/intersector_models.csv; only RMRP Activity = Yes rows when the people_reached_options "
    "resource says so). Both cycles of a year rebuild the whole year, so they write the same rows.",
    options=True,
)
cycle_people_reached = cycle_table_asset(
    "marts.cycle_people_reached", ["marts.people_reached_monthly", "marts.fct_planning_figures"], build_cycle_people_reached,
    "People reached in one reporting cycle per level, place and subsector: the consolidated figure at the cycle's "
    "last month with data, whether the cycle is complete, and the plan year's target and PiN where R4V published "
    "them (sql/marts.cycle_people_reached.sql).",
)
reporting_completeness = cycle_table_asset(
    "marts.reporting_completeness", ["marts.fct_activities"], build_reporting_completeness,
    "Whether each appealing organisation reported, per month, country and subsector of one reporting cycle, and "
    "its share of expected monthly reports received (sql/marts.reporting_completeness.sql).",
)
cycle_outputs = cycle_table_asset(
    "marts.cycle_outputs", ["marts.fct_activities"], build_cycle_outputs,
    "Outputs of one reporting cycle per country, subsector and indicator, for the indicators that do not count as "
    "people reached: persons trained or reached and quantity of output summed over the cycle's months, with the "
    "Trafficking & Smuggling pillar (outputs.build_cycle_outputs; reloads staging.ref_trafficking_pillars).",
)
cycle_trafficking_pillars = cycle_table_asset(
    "marts.cycle_trafficking_pillars", ["marts.cycle_outputs", "marts.cycle_people_reached"], build_cycle_trafficking_pillars,
    "The Trafficking & Smuggling subsector by pillar (prevention, protection, prosecution, partnership) per country "
    "for one reporting cycle: outputs per pillar, and people reached under protection "
    "(sql/marts.cycle_trafficking_pillars.sql).",
)

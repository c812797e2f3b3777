"""The warehouse's SQL layers: the registry of tables, the seeds, the intermediate models of
people reached (each readable on its own), the stored macros, sector key figures from the fact
table. On the warehouse built once from data/raw (``wh``, ``built_warehouse``)."""

from __future__ import annotations

import csv
import importlib
import inspect
import re
from importlib import resources
from pathlib import Path

import duckdb
import pytest

import rmrp_pipeline.defs
from rmrp_pipeline.marts import audits, registry
from rmrp_pipeline.warehouse import db as warehouse

SQL = resources.files("rmrp_pipeline.warehouse.sql")


@pytest.fixture()
def plain(built_warehouse):
    """A fresh read-only connection to the built warehouse with no setup at all, as an analyst's
    ``duckdb -readonly rmrp.duckdb`` shell."""
    con = duckdb.connect(str(built_warehouse[0]), read_only=True)
    yield con
    con.close()


def test_the_macros_run_in_a_plain_read_only_connection(plain):
    assert plain.execute("SELECT name_key('  Córdoba   CAPITAL ')").fetchone()[0] == "cordoba capital"
    assert plain.execute("SELECT one_or_mixed(x) FROM (VALUES ('sum'), ('sum')) t(x)").fetchone()[0] == "sum"
    assert plain.execute("SELECT one_or_mixed(x) FROM (VALUES ('sum'), ('maxsector')) t(x)").fetchone()[0] == "mixed"
    assert plain.execute("SELECT one_or_mixed(x) FROM (VALUES (NULL::VARCHAR)) t(x)").fetchone()[0] is None
    assert plain.execute(
        "SELECT merged_lists(x) FROM (VALUES ('WASH; Health'), ('Health'), (NULL)) t(x)").fetchone()[0] == "Health; WASH"


def test_a_saved_query_with_the_macros_runs_in_a_plain_read_only_connection(plain):
    rows = plain.execute(
        "SELECT one_or_mixed(intersector_model), merged_lists(intersector_subsectors_without_proportions) "
        "FROM marts.people_reached_monthly WHERE level = 'admin1' AND name_key(admin1) = name_key(admin1)"
    ).fetchall()
    assert rows and rows[0][0] in ("mixed", "sum", "subsector")


def test_every_intermediate_view_runs_alone_in_a_plain_read_only_connection(plain):
    for name in (t.name for t in registry.TABLES if t.layer == "intermediate"):
        assert plain.execute(f"SELECT count(*) FROM {name}").fetchone()[0] >= 0, name
    # unscoped, the first step reads every row that counts as reached
    assert plain.execute("SELECT count(*) FROM staging.int_people_reached__activities").fetchone() == plain.execute(
        "SELECT count(*) FROM marts.fct_activities WHERE counts_as_reached").fetchone()


def test_the_intermediate_models_add_up_to_the_mart(plain):
    """Regional Intersector at the last month of a year = Σ of the year's Intersector new
    beneficiaries of every admin1 (the levels are sums, the consolidated figure a cumulation)."""
    years = [y for (y,) in plain.execute("SELECT DISTINCT year(month) FROM marts.people_reached_monthly ORDER BY 1").fetchall()]
    assert years == [2021, 2022, 2023]
    for year in years:
        mart = plain.execute(
            "SELECT consolidated_total, consolidated_cva FROM marts.people_reached_monthly WHERE level = 'regional' "
            "AND subsector = 'Intersector' AND year(month) = ? ORDER BY month DESC LIMIT 1", [year]).fetchone()
        steps = plain.execute(
            "SELECT sum(new_total), sum(new_cva) FROM staging.int_people_reached__admin1_month "
            "WHERE subsector = 'Intersector' AND year(month) = ?", [year]).fetchone()
        assert steps == mart, year


def test_the_seeds_are_the_reference_csvs(wh):
    data = resources.files("rmrp_pipeline.reference_data")
    for table in (t for t in registry.TABLES if t.layer == "seed"):
        file = table.build.removeprefix("csv:")
        rows = list(csv.DictReader(data.joinpath(file).read_text(encoding="utf-8").splitlines()))
        assert wh.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0] == len(rows), table.name
    assert wh.execute("SELECT sector FROM staging.ref_sectors WHERE name = 'Multipurpose CBI'").fetchone() == (
        "Multipurpose Cash Assistance (MPC)",)
    assert wh.execute("SELECT model, proportions, proportions_year FROM staging.ref_intersector_models "
                      "WHERE platform = 'Southern Cone' AND year_from = 2022").fetchone() == ("southernconemodel_2022", "pin", 2022)


def test_the_sql_reads_the_seeds_not_the_csvs():
    sql = {name: SQL.joinpath(f"{name}.sql").read_text(encoding="utf-8")
           for name in ("staging.int_intersector__platform_year_model", "marts.cycle_outputs")}
    assert "staging.ref_intersector_models" in sql["staging.int_intersector__platform_year_model"]
    assert "staging.ref_trafficking_pillars" in sql["marts.cycle_outputs"]
    assert not re.search(r"CREATE\s+(OR\s+REPLACE\s+)?TEMP", SQL.joinpath("macros.sql").read_text(encoding="utf-8"))


def test_sector_key_figures_read_the_fact_table_not_the_staging_tables():
    text = re.sub(r"--[^\n]*", "", SQL.joinpath("marts.sector_key_figures.sql").read_text(encoding="utf-8"))
    assert re.findall(r"(?:FROM|JOIN)\s+([a-z_]+\.[a-z_0-9]+)", text) and not re.search(r"staging\.stg_", text)
    assert set(re.findall(r"(?:FROM|JOIN)\s+([a-z_]+\.[a-z_0-9]+)", text)) == {
        "marts.fct_planning_figures", "staging.int_planning__published_ratios"}


def test_every_declared_table_and_view_has_its_sql_and_is_documented(wh):
    for table in registry.TABLES:
        is_view = table.layer == "intermediate" and table.cycle_rows is None
        assert is_view or SQL.joinpath("ddl", f"{table.name}.sql").is_file(), f"{table.name}: no DDL"
        if table.build == registry.SQL and not (not is_view and warehouse.is_view(table.name)):
            assert SQL.joinpath(f"{table.name}.sql").is_file(), f"{table.name}: no sql/{table.name}.sql"
        elif table.build == registry.SQL:   # a mart declared as a view: its DDL is its query
            assert not SQL.joinpath(f"{table.name}.sql").exists(), f"{table.name}: a view with a second query"
        elif ":" in table.build and not table.build.startswith("csv:"):
            module, _, function = table.build.partition(":")
            assert callable(getattr(importlib.import_module(f"rmrp_pipeline.marts.{module}"), function)), table.build
        assert warehouse.table_comment(table.name), f"{table.name}: no COMMENT ON TABLE/VIEW"
    assert audits.undocumented(wh, [t.name for t in registry.TABLES]) == []


def test_every_table_of_the_warehouse_is_declared(wh):
    found = {f"{s}.{t}" for s, t in wh.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'staging', 'marts', 'meta') "
        "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE schema_name IN ('raw', 'staging', 'marts', 'meta')"
    ).fetchall()}
    assert found - {t.name for t in registry.TABLES} == {"meta.data_dictionary"}
    assert {t.name for t in registry.TABLES} <= found


def test_no_sql_in_the_dagster_layer():
    """The assets and checks are thin: their SQL is in sql/*.sql or in plain functions."""
    folder = Path(inspect.getfile(rmrp_pipeline.defs)).parent
    for path in folder.glob("*.py"):
        assert not re.search(r"\b(SELECT|INSERT|DELETE)\s", path.read_text(encoding="utf-8")), path.name


def test_a_table_created_in_a_rolled_back_transaction_gets_its_schemas_again():
    # create_table prepares the schemas once per connection; a rollback takes them back
    con = duckdb.connect()
    with pytest.raises(RuntimeError):
        with warehouse._one_transaction(con):
            warehouse.create_table(con, "meta.load_log")
            raise RuntimeError("a step failed")
    assert con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'meta'").fetchone() == (0,)
    warehouse.create_table(con, "meta.load_log")
    assert warehouse.column_types(con, "meta.load_log") == warehouse.declared_columns("meta.load_log")
    con.close()


def test_declared_columns_are_the_ddl_columns():
    # worked out on the process's scratch database, not on the warehouse
    text = warehouse.sql_text("ddl/meta.load_log")
    # (name, type) of each line of the CREATE TABLE, in its order (source_sheet a generated one)
    written = tuple(re.findall(r"^    (\w+) (\w+)", text.split(");")[0], flags=re.M))
    assert ("source_sheet", "VARCHAR") in written
    assert warehouse.declared_columns("meta.load_log") == written
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA meta")
        con.execute(text)
        assert warehouse.column_types(con, "meta.load_log") == warehouse.declared_columns("meta.load_log")


def test_a_mart_now_a_view_replaces_the_table_of_a_warehouse_built_before():
    # a warehouse built when marts.fct_activities was a table: the next build makes it the view
    from rmrp_pipeline.marts import builds
    con = duckdb.connect()
    warehouse.create_table(con, "staging.stg_5w__activities")
    con.execute("CREATE TABLE marts.fct_activities AS SELECT * EXCLUDE (is_rejected) FROM staging.stg_5w__activities")
    builds.rebuild_table(con, "marts.fct_activities")
    assert con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = 'marts' "
                       "AND table_name = 'fct_activities'").fetchall() == [("VIEW",)]
    con.close()

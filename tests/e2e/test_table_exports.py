"""``rmrp export <table>``: every mart and meta table as CSV, Excel and Parquet, on the bundled data."""

from __future__ import annotations

import csv
import json

import duckdb
import openpyxl
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.reports.exports import exportable_tables


def _export(built_warehouse, *args) -> int:
    return main(["export", *args, "--warehouse", str(built_warehouse[0])])


def _csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_every_mart_and_meta_table_is_exportable(wh):
    """Every table and view of the marts and meta schemas of a built warehouse, those a run records
    (publications, cycle builds) too: the README says any marts.* or meta.* table."""
    tables = exportable_tables()
    in_warehouse = {f"{s}.{t}" for s, t in wh.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema IN ('marts', 'meta')").fetchall()}
    assert {"meta.publications", "meta.cycle_builds", "marts.fct_activities", "meta.data_dictionary"} <= in_warehouse
    assert in_warehouse <= set(tables)
    assert all(t.split(".")[0] in ("marts", "meta") for t in tables)


def test_a_publication_exports_its_lists_as_json_text(built_warehouse, wh, tmp_path):
    """meta.publications holds lists, structs and a map: in CSV and Excel each cell is JSON text
    that reads back to the warehouse's values."""
    target = tmp_path / "publications.csv"
    assert _export(built_warehouse, "meta.publications", "--output", str(target)) == 0
    header, *rows = _csv(target)
    last = dict(zip(header, rows[-1]))
    files, counts = wh.execute("SELECT input_files, table_rows FROM meta.publications "
                               "ORDER BY publication_id DESC LIMIT 1").fetchone()
    assert json.loads(last["input_files"]) == files
    assert json.loads(last["table_rows"]) == dict(counts)
    assert json.loads(last["table_rows"])["marts.fct_activities"] == wh.execute(
        "SELECT count(*) FROM marts.fct_activities").fetchone()[0]
    book = tmp_path / "publications.xlsx"
    assert _export(built_warehouse, "meta.publications", "--output", str(book)) == 0
    sheet = openpyxl.load_workbook(book).worksheets[0]
    cells = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[sheet.max_row]]))
    assert json.loads(cells["cycles"]) == json.loads(last["cycles"]) and json.loads(cells["cycles"])


@pytest.mark.parametrize("table", ["marts.cycle_people_reached", "marts.fct_activities", "meta.load_log",
                                   "marts.sector_key_figures", "marts.reporting_completeness"])
def test_parquet_keeps_the_warehouse_types_and_rows(built_warehouse, wh, tmp_path, table):
    target = tmp_path / f"{table}.parquet"
    assert _export(built_warehouse, table, "--output", str(target)) == 0
    declared = [(c, t) for c, t in wh.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name || '.' || table_name = ? "
        "ORDER BY column_index", [table]).fetchall() if c not in ("activity_name", "activity_description")]
    with duckdb.connect() as con:
        written = [(c, t) for c, t, *_ in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{target}')").fetchall()]
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
    assert written == declared
    assert rows == wh.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_free_text_is_never_exported(built_warehouse, tmp_path):
    for suffix in ("csv", "xlsx", "parquet"):
        target = tmp_path / f"activities.{suffix}"
        assert _export(built_warehouse, "marts.fct_activities", "--output", str(target)) == 0
    header = _csv(tmp_path / "activities.csv")[0]
    assert "activity_name" not in header and "activity_description" not in header and "appealing_org" in header
    book = openpyxl.load_workbook(tmp_path / "activities.xlsx", read_only=True)
    assert "activity_description" not in next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
    readme = [r for r in book["README"].iter_rows(values_only=True)]
    assert any(r[0] == "left out" and "activity_name" in r[1] for r in readme)


def test_cycle_filters_the_rows_of_a_table_built_by_cycle(built_warehouse, wh, tmp_path):
    target = tmp_path / "cycle.csv"
    assert _export(built_warehouse, "marts.cycle_people_reached", "--cycle", "2021-H1", "--output", str(target)) == 0
    rows = _csv(target)
    expected = wh.execute("SELECT count(*) FROM marts.cycle_people_reached WHERE cycle = '2021-H1'").fetchone()[0]
    assert len(rows) - 1 == expected and {r[0] for r in rows[1:]} == {"2021-H1"}
    # a table filled a year at a time: the cycle's year
    monthly = tmp_path / "monthly.csv"
    assert _export(built_warehouse, "marts.people_reached_monthly", "--cycle", "2022-H2", "--output", str(monthly)) == 0
    rows = _csv(monthly)
    month = rows[0].index("month")
    assert rows[1:] and {r[month][:4] for r in rows[1:]} == {"2022"}


def test_hxl_row_under_the_header(built_warehouse, tmp_path):
    target = tmp_path / "cycle.csv"
    assert _export(built_warehouse, "marts.cycle_people_reached", "--cycle", "2021-H1", "--hxl",
                   "--output", str(target)) == 0
    header, tags = _csv(target)[:2]
    tag = dict(zip(header, tags))
    assert tag["admin1"] == "#adm1+name" and tag["country_iso3"] == "#country+code"
    assert tag["subsector"] == "#subsector+name" and tag["consolidated_total"] == "#reached+total"
    assert len({t for t in tags if t}) == len([t for t in tags if t])   # no two columns share a tag
    assert tag["people_targeted"] == "#targeted" and tag["people_in_need"] == "#inneed"
    assert all(t == "" or t.startswith("#") for t in tags)
    activities = tmp_path / "activities.csv"
    assert _export(built_warehouse, "marts.fct_activities", "--hxl", "--output", str(activities)) == 0
    header, tags = _csv(activities)[:2]
    tag = dict(zip(header, tags))   # the 5W tags of read/layouts/hxl.csv
    assert tag["girls"] == "#reached+f+children" and tag["month"] == "#date+month" and tag["value_usd"] == "#value+cva+usd"
    assert tag["subsector"] == "#subsector+name" and tag["sector"] == "#sector+name"
    assert len({t for t in tags if t}) == len([t for t in tags if t])   # no two columns share a tag
    monthly = tmp_path / "monthly.xlsx"
    assert _export(built_warehouse, "marts.people_reached_monthly", "--cycle", "2021-H1", "--hxl",
                   "--output", str(monthly)) == 0
    sheet = openpyxl.load_workbook(monthly).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "#region+name" and sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$1:$2"


def test_excel_export_is_made_for_people(built_warehouse, tmp_path):
    target = tmp_path / "cycle.xlsx"
    assert _export(built_warehouse, "marts.cycle_people_reached", "--cycle", "2022-H2", "--output", str(target)) == 0
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0   # one page wide
    assert sheet.print_title_rows == "$1:$1"
    number_format = {}
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(header, row):
            if cell.value is not None:
                number_format.setdefault(name, cell.number_format)
    assert number_format["share_of_target"] == "0.0%" and number_format["plan_year"] == "0"
    assert number_format["consolidated_total"] in ("#,##0", "#,##0.00")
    assert number_format["cycle_end_month"] == "yyyy-mm"
    readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True) if r and r[0]}
    assert readme["source table"] == "marts.cycle_people_reached" and readme["reporting cycle"] == "2022-H2"
    assert "Southern Cone: southernconemodel_2022" in readme["intersector model"]
    assert "UTC" in readme["generated"] and str(built_warehouse[0]) in readme["warehouse file"]
    assert readme["consolidated_total"]          # every column described


def test_the_people_reached_workbook_prints_one_page_wide(built_warehouse, tmp_path):
    target = tmp_path / "reached.xlsx"
    assert _export(built_warehouse, "people-reached", "--cycle", "2021-H1", "--output", str(target)) == 0
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    assert sheet.cell(row=1, column=8).value == "Consolidated Total"
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True) if r and r[0]}
    assert readme["reporting cycle"] == "2021-H1" and "Peru: sum" in readme["intersector model"]


def test_wrong_arguments_are_one_line_errors(built_warehouse, tmp_path, capsys):
    out = str(tmp_path / "x.csv")
    assert _export(built_warehouse, "marts.nope", "--output", out) == 2
    assert _export(built_warehouse, "sector_key_figures", "--output", out) == 2
    assert "did you mean marts.sector_key_figures" in capsys.readouterr().err
    assert _export(built_warehouse, "marts.sector_key_figures", "--output", str(tmp_path / "x.txt")) == 2
    assert _export(built_warehouse, "marts.sector_key_figures", "--cycle", "2021-H1", "--output", out) == 2
    assert _export(built_warehouse, "marts.cycle_people_reached", "--cycle", "2021-Q1", "--output", out) == 2
    assert _export(built_warehouse, "marts.cycle_people_reached", "--cycle", "2019-H1", "--output", out) == 1
    assert main(["export", "meta.load_log", "--output", out, "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 5 and all(e.startswith("rmrp export: ") for e in errors)
    assert "Traceback" not in "".join(errors)

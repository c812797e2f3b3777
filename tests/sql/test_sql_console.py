"""``rmrp sql`` and the warehouse errors every report shares, on a small warehouse."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys

import duckdb
import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.reports.sql_console import QueryResult, as_csv, as_table, format_value
from rmrp_pipeline.warehouse import db as warehouse


@pytest.fixture()
def small(tmp_path):
    """A warehouse with a load log of two rows, one with text that a spreadsheet would run."""
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        warehouse.create_table(con, "meta.load_log")
        warehouse.insert_frame(con, "meta.load_log", pd.DataFrame([
            {"source_file": "a.xlsx", "sheet": "Sheet1", "status": "recognised", "rows_read": 1234567,
             "rows_loaded": 1234560, "rows_rejected": 7, "message": "=HYPERLINK(\"http://x\")",
             "read_at": dt.datetime(2026, 1, 2, 3, 4)},
            {"source_file": "b.csv", "sheet": "-", "status": "unknown_sheet", "rows_read": 0, "rows_loaded": 0,
             "rows_rejected": 0, "message": None, "read_at": dt.datetime(2026, 1, 2, 3, 5)},
        ]))
    return path


def _sql(path, *args) -> int:
    return main(["sql", *args, "--warehouse", str(path)])


def test_results_as_an_aligned_table_with_thousands_separators(small, capsys):
    assert _sql(small, "SELECT source_file, rows_read, rows_read / 3 AS third, message IS NULL AS empty "
                       "FROM meta.load_log ORDER BY 1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["source_file", "rows_read", "third", "empty"]
    assert "1,234,567" in lines[2] and "411,522.33" in lines[2]
    assert lines[2].index("1,234,567") + len("1,234,567") == lines[3].index("0") + 1   # numbers right-aligned
    assert lines[-1] == "(2 rows)"


def test_csv_and_json_for_scripts(small, capsys):
    assert _sql(small, "SELECT source_file, rows_read, read_at FROM meta.load_log ORDER BY 1", "--csv") == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows == [["source_file", "rows_read", "read_at"], ["a.xlsx", "1234567", "2026-01-02T03:04:00"],
                    ["b.csv", "0", "2026-01-02T03:05:00"]]
    assert _sql(small, "SELECT source_file, rows_rejected, message FROM meta.load_log ORDER BY 1", "--json") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"source_file": "a.xlsx", "rows_rejected": 7, "message": "=HYPERLINK(\"http://x\")"},
        {"source_file": "b.csv", "rows_rejected": 0, "message": None}]


def test_a_saved_question_with_a_variable(small, tmp_path, capsys):
    question = tmp_path / "q.sql"
    question.write_text("-- rows read of one file\nSELECT rows_read FROM meta.load_log "
                        "WHERE source_file = coalesce(getvariable('file'), 'a.xlsx');\n", encoding="utf-8")
    assert _sql(small, str(question), "--csv") == 0
    assert capsys.readouterr().out.splitlines() == ["rows_read", "1234567"]
    assert _sql(small, str(question), "--csv", "--set", "file=b.csv") == 0
    assert capsys.readouterr().out.splitlines() == ["rows_read", "0"]


@pytest.mark.parametrize("statement", [
    "DELETE FROM meta.load_log", "DROP TABLE meta.load_log", "CREATE TABLE meta.x (a INTEGER)",
    "UPDATE meta.load_log SET rows_read = 0", "COPY meta.load_log TO 'out.csv'", "ATTACH 'other.duckdb'",
    "SELECT 1; INSERT INTO meta.load_log (source_file) VALUES ('x')", "CHECKPOINT",
])
def test_a_write_is_refused(small, capsys, statement):
    assert _sql(small, statement) == 1
    error = capsys.readouterr().err
    assert error.startswith("rmrp sql: the warehouse is read-only here") and error.count("\n") == 1
    with duckdb.connect(str(small), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM meta.load_log").fetchone()[0] == 2


@pytest.mark.parametrize("statement", [
    "EXPLAIN ANALYZE COPY (SELECT 42 AS x) TO '{out}'", "EXPLAIN (ANALYZE) COPY (SELECT 42 AS x) TO '{out}'",
    "/* a note */ explain  analyse COPY (SELECT 42 AS x) TO '{out}'", "SELECT 1; EXPLAIN ANALYZE COPY meta.load_log TO '{out}'",
])
def test_a_write_inside_explain_analyze_is_refused(small, capsys, tmp_path, statement):
    """EXPLAIN ANALYZE runs the statement it explains: a COPY ... TO under it writes its file."""
    out = tmp_path / "out.csv"
    assert _sql(small, statement.format(out=out)) == 1
    error = capsys.readouterr().err
    assert error.startswith("rmrp sql: the warehouse is read-only here: COPY") and error.count("\n") == 1
    assert not out.exists()


def test_explain_of_a_query_still_runs(small, capsys):
    for statement in ("EXPLAIN SELECT * FROM meta.load_log", "EXPLAIN ANALYZE SELECT count(*) FROM meta.load_log",
                      "EXPLAIN (ANALYZE) WITH a AS (SELECT 1) FROM a", "EXPLAIN ANALYZE FROM meta.load_log"):
        assert _sql(small, statement) == 0, statement
        capsys.readouterr()


def test_query_errors_are_one_line(small, capsys):
    assert _sql(small, "SELECT * FROM marts.nope") == 1
    assert _sql(small, "SELEC 1") == 1
    assert main(["sql", "SELECT 1", "--warehouse", str(small.parent / "none.duckdb")]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(e.startswith("rmrp sql: ") for e in errors)
    assert "nope" in errors[0] and "run `rmrp run` first" in errors[2]


def test_a_locked_warehouse_is_one_clear_line(small, capsys):
    """Another process writing the warehouse (``rmrp run``) holds DuckDB's lock."""
    writer = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(small)!r})\n"
                               "print('ready', flush=True)\nsys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        assert _sql(small, "SELECT 1") == 1
        assert main(["export", "meta.load_log", "--output", str(small.parent / "x.csv"), "--warehouse", str(small)]) == 1
        errors = capsys.readouterr().err.splitlines()
        assert len(errors) == 2 and all("is locked" in e and "try again" in e for e in errors)
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)


def test_exports_escape_text_a_spreadsheet_would_run(small, tmp_path):
    for suffix in ("csv", "xlsx"):
        assert main(["export", "meta.load_log", "--output", str(tmp_path / f"log.{suffix}"),
                     "--warehouse", str(small)]) == 0
    with open(tmp_path / "log.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["message"] == "'=HYPERLINK(\"http://x\")" and rows[0]["rows_read"] == "1234567"
    sheet = openpyxl.load_workbook(tmp_path / "log.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    message = sheet.cell(row=2, column=header.index("message") + 1)
    # a text cell shown as it is, with Excel's quote prefix: never run, and stays text when edited
    assert message.value == "=HYPERLINK(\"http://x\")" and message.data_type == "s" and message.quotePrefix
    assert sheet.cell(row=2, column=header.index("rows_read") + 1).number_format == "#,##0"


def test_values_for_people():
    assert format_value(1234567) == "1,234,567" and format_value(1234567.0) == "1,234,567"
    assert format_value(1234.567) == "1,234.57" and format_value(0.25) == "0.25"
    assert format_value(None) == "NULL" and format_value(True) == "true"
    assert format_value(dt.date(2021, 1, 1)) == "2021-01-01"
    assert as_table(QueryResult(["a"], ["INTEGER"], [])) == "a\n-\n(0 rows)"


def test_long_texts_are_cut_in_the_table_and_whole_in_csv(capsys):
    description = "Reporting cycle: YYYY-H1 (January-June) or YYYY-H2 (January-December), the plan's two reports."
    result = QueryResult(["column_name", "column_description", "rows"], ["VARCHAR", "VARCHAR", "BIGINT"],
                         [("cycle", description, 1234567), ("note", "two\nlines", 5)])
    lines = as_table(result).splitlines()
    assert lines[2] == "cycle        " + description[:59] + "…  1,234,567"
    assert lines[3].startswith("note         two lines ")
    assert lines[-1] == "(2 rows; texts over 60 characters cut: --csv or --json give them whole)"
    assert as_table(QueryResult(["a"], ["VARCHAR"], [("short",)])).splitlines()[-1] == "(1 row)"
    assert description in as_csv(result) and "two\nlines" in as_csv(result)


def test_the_table_shows_control_characters_as_escapes():
    """A text from a partner's file with a terminal escape, a vertical tab or a line separator:
    shown as escapes, so it neither drives the terminal nor breaks its row (--csv and --json give it whole)."""
    result = QueryResult(["source_file", "rows"], ["VARCHAR", "BIGINT"],
                         [("a\x1b[2Jb\x0bc\u2028d\u202ee.xlsx", 1), ("two\nlines\ttab.xlsx", 2)])
    lines = as_table(result).splitlines()
    assert len(lines) == 5
    assert lines[2].split()[0] == "a\\x1b[2Jb\\x0bc\\u2028d\\u202ee.xlsx"
    assert lines[3].startswith("two lines\\ttab.xlsx")
    assert not any(ch in text for text in lines for ch in "\x1b\x0b\u2028\u202e\t")


def test_several_statements_show_the_last_result_and_say_so(small, capsys):
    assert _sql(small, "SELECT 1 AS a; SELECT 2 AS b", "--csv") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["b", "2"]
    assert captured.err.strip() == ("rmrp sql: 2 statements given: the result shown is the last one's "
                                    "(give them one at a time to see each)")
    assert _sql(small, "SELECT 3 AS c;", "--csv") == 0   # one statement and its semicolon: nothing to say
    assert capsys.readouterr().err == ""


def test_a_query_of_a_remote_file_installs_nothing_and_says_why_in_one_line(small, capsys, tmp_path, monkeypatch):
    """DuckDB would download the httpfs extension into the home folder (a write outside the
    warehouse) for a query of an https file; rmrp sql installs nothing."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert _sql(small, "SELECT * FROM 'https://example.invalid/x.csv'") == 1
    assert capsys.readouterr().err.strip() == (
        "rmrp sql: the query needs DuckDB's httpfs extension, which rmrp sql does not install (it reads the "
        "warehouse; read other files in a DuckDB session of your own)")
    assert list(home.iterdir()) == []


def test_use_a_schema_is_read_and_other_settings_are_refused(small, capsys):
    assert _sql(small, "USE meta; SELECT count(*) AS n FROM load_log", "--csv") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["n", "2"] and captured.err == ""   # a USE has no result to hide
    assert _sql(small, "SET autoinstall_known_extensions = true; SELECT 1") == 1
    assert "SET statements are not run" in capsys.readouterr().err

"""Acceptance: an invented ID number, e-mail and phone typed into a 5W free-text cell of a copy of the
real 2022 export appear nowhere after `rmrp run --qa`, `rmrp qa` and `rmrp export people-reached`:
not in any text column of any table or view of the warehouse, not in the QA workbooks (5W and
submissions), not in the exports, not in what the commands print; the row carries the finding.
And no cued identity number of the real 2021 export is left unmasked in the warehouse."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import openpyxl

from rmrp_pipeline.cli import main

FILE_2022 = "monitoring_5w/activities_5w_2022_southern_cone_aug.xlsx"
INJECTED = ("Entrega de kit a la Sra. María Inventada Ejemplo, cédula V-12.345.678, correo "
            "maria.inventada@correo-falso.org, celular +54 9 11 2345-6789")
#: What must not be found anywhere: each piece of personal data, and the whole cell.
SECRETS = ("Inventada", "12.345.678", "12345678", "correo-falso", "2345-6789", "23456789")
ROW = 4   # Excel row of the cell


def _inject(raw: Path) -> None:
    (raw / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx").unlink()   # not needed here: a faster run
    book = openpyxl.load_workbook(raw / FILE_2022)
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("Activity_Description") + 1
    sheet.cell(row=ROW, column=column, value=INJECTED)
    book.save(raw / FILE_2022)


def _text_cells(con: duckdb.DuckDBPyConnection):
    """(table, column, text) of every non-empty text cell of every table and view of the warehouse, each
    distinct text of a column once: one query per table or view (its text columns unpivoted, NULLs left
    out), so that a view is worked out once rather than once per column."""
    columns = con.execute(
        "SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns "
        "WHERE table_schema IN ('raw', 'staging', 'marts', 'meta') AND data_type = 'VARCHAR'").fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in columns:
        tables.setdefault(table, []).append(column)
    for table, names in tables.items():
        selected = ", ".join(f'"{c}"' for c in names)
        yield from ((table, column, text) for column, text in con.execute(
            f"SELECT DISTINCT name, text FROM (UNPIVOT (SELECT {selected} FROM {table}) ON COLUMNS(*) INTO NAME name VALUE text)"
        ).fetchall())


def _file_texts(folder: Path):
    """(file, text) of every cell of every workbook and CSV file under ``folder``."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                for values in sheet.iter_rows(values_only=True):
                    yield from ((path.name, str(v)) for v in values if v is not None)
            book.close()
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8") as handle:
                for values in csv.reader(handle):
                    yield from ((path.name, v) for v in values)


def _leaks(texts) -> list:
    return [item for item in texts if any(secret in item[-1] for secret in SECRETS)]


def test_injected_personal_data_appears_nowhere_and_the_row_carries_the_finding(raw_copy, tmp_path, capfd, monkeypatch):
    _inject(raw_copy)
    reports = tmp_path / "reports"
    monkeypatch.setenv("RMRP_REPORTS_DIR", str(reports))
    warehouse = str(tmp_path / "rmrp.duckdb")
    assert main(["run", "--raw-dir", str(raw_copy), "--warehouse", warehouse, "--qa"]) == 0
    assert main(["qa", "--cycle", "2022-H2", "--warehouse", warehouse, "--output", str(reports / "qa.xlsx")]) == 0
    for suffix in ("csv", "xlsx"):
        assert main(["export", "people-reached", "--cycle", "2022-H2", "--warehouse", warehouse,
                     "--output", str(reports / f"people_reached.{suffix}")]) == 0
    printed = capfd.readouterr()

    with duckdb.connect(warehouse, read_only=True) as con:
        assert _leaks(_text_cells(con)) == []
        staged = con.execute("SELECT activity_description FROM staging.stg_5w__activities "
                             "WHERE source_file = ? AND source_row = ?", [FILE_2022, ROW]).fetchall()
        found = con.execute("SELECT \"column\", value, message FROM meta.quality_findings "
                            "WHERE rule = 'personal_data_in_free_text' AND source_file = ?", [FILE_2022]).fetchall()
        in_mart = con.execute("SELECT count(*) FROM marts.fct_activities WHERE source_file = ? AND source_row = ?",
                              [FILE_2022, ROW]).fetchone()[0]
    assert staged == [("Entrega de kit a la Sra. [name], cédula [ID number], correo [e-mail], celular [phone]",)]
    assert found == [("Activity_Description", "e-mail, ID number, phone, name",
                      f"Row {ROW}: column Activity_Description holds personal data (e-mail, ID number, phone, name). "
                      "It was masked before loading and is kept only in your file: delete it from the cell. "
                      "Describe the activity, never a person.")]
    assert in_mart == 1   # a finding: the row is loaded and counted

    written = sorted(p.name for p in reports.rglob("*") if p.is_file())
    assert {"qa.xlsx", "rmrp_5w_qa_2022-H2.xlsx", "people_reached.csv", "people_reached.xlsx"} <= set(written)
    assert any(p.parent.name == "qa_submissions" for p in reports.rglob("*.xlsx"))
    assert _leaks(_file_texts(reports)) == []
    assert [m for m in (printed.out, printed.err) if any(secret in m for secret in SECRETS)] == []

    qa = openpyxl.load_workbook(reports / "qa.xlsx", read_only=True)
    lines = [row for sheet in qa.worksheets[1:] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in lines if r and r[0] == "file")
    mine = [dict(zip(header, r)) for r in lines if r and r[0] == FILE_2022 and r[header.index("rule")] == "personal_data_in_free_text"]
    assert [(m["row"], m["column"], m["value"]) for m in mine] == [(ROW, "Activity_Description", "(free text: see the cell in your file)")]
    assert "(correo electrónico, número de documento de identidad, teléfono, nombre de una persona)" in mine[0]["message_es"]


#: An identity number after its cue (C.C., T.I., cédula, DNI ...), as the 2021 export's activity texts carry them.
_CUED_ID = re.compile(r"(?i)\b(?:c\.?\s?c|t\.?\s?i|c[eé]dula|d\.?n\.?i)\.?\s*(?:n[°ºo]\.?)?\s*[:#-]?\s*\d[\d.\s-]{5,}\d")


def test_no_cued_identity_number_of_the_real_exports_is_left_in_the_warehouse(wh):
    leaks = [(table, column) for table, column, text in _text_cells(wh) if _CUED_ID.search(text)]
    assert leaks == []
    masked = wh.execute("SELECT count(*) FROM staging.stg_5w__activities WHERE activity_description LIKE '%[ID number]%'").fetchone()[0]
    assert masked >= 2   # the 2021 export's two texts with an identity number


def test_qa_messages_never_quote_free_text(wh):
    from rmrp_pipeline.reports.qa_5w import qa_frames

    for cycle in ("2021-H1", "2022-H2"):
        sheets = qa_frames(wh, cycle)
        issues = [f for name, f in sheets.items() if name != "Summary"]
        for frame in issues:
            free = frame[frame["column"].isin(["Activity.name", "Activity.description", "Activity_Name", "Activity_Description"])]
            quoted = free[free["message_en"].str.contains("'", regex=False) | free["message_es"].str.contains("'", regex=False)]
            assert quoted.empty, quoted[["row", "column", "rule", "message_en"]].head().to_dict("records")

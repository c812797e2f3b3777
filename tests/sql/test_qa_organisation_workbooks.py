"""One QA workbook per appealing organisation (reports.qa_5w.write_organisation_workbooks) on a small
hand-built warehouse: the partner's language from its file's template, file and sheet names that
stay apart when two names share their first 31 characters, and no free text copied."""

from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl
import pandas as pd

from rmrp_pipeline.reports.qa_5w import qa_frames, workbook_stem, write_organisation_workbooks, write_qa_workbook
from rmrp_pipeline.warehouse import db as warehouse

SECRET = "Familia Pérez, calle 5 #12, teléfono 300 555 0101"   # free text that must never be copied
COLOMBIA = "Organización Internacional para las Migraciones - Colombia"
ECUADOR = "Organización Internacional para las Migraciones - Ecuador"
ENGLISH = "Norwegian Refugee Council"


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in ("staging.stg_5w__activities", "meta.quality_findings", "meta.rejected_rows"):
        warehouse.create_table(con, table)
    month = dt.date(2022, 3, 1)
    staged = [
        # (file, row, organisation, template)
        ("monitoring_5w/gifmm_marzo.xlsx", 2, COLOMBIA, "5w_es"),
        ("monitoring_5w/gifmm_marzo.xlsx", 3, COLOMBIA, "5w_es"),
        ("monitoring_5w/ecuador_marzo.xlsx", 2, ECUADOR, "5w_es"),
        ("monitoring_5w/regional_march.xlsx", 2, ENGLISH, "5w_2022"),
    ]
    warehouse.insert_frame(con, "staging.stg_5w__activities", pd.DataFrame([
        {"source_file": f, "source_sheet": "Hoja1", "source_row": r, "appealing_org": o, "template_id": t,
         "month": month, "country_raw": "Colombia", "admin1": "Bogotá", "subsector": "Shelter", "indicator": "RE-SHL1",
         "total_monthly": 10.0, "new_beneficiaries": 12.0} for f, r, o, t in staged]))
    findings = [
        ("monitoring_5w/gifmm_marzo.xlsx", 2, "Nuevos beneficiarios del mes", "new_above_total", "12"),
        ("monitoring_5w/gifmm_marzo.xlsx", 3, "Descripción de la actividad", "mojibake_repaired", SECRET),
        ("monitoring_5w/ecuador_marzo.xlsx", 2, "Nuevos beneficiarios del mes", "new_above_total", "12"),
        ("monitoring_5w/regional_march.xlsx", 2, "New_Beneficiaries", "new_above_total", "12"),
    ]
    warehouse.insert_frame(con, "meta.quality_findings", pd.DataFrame([
        {"source_file": f, "sheet": "Hoja1", "row_number": r, "column": c, "rule": rule, "value": v,
         "message": f"Row {r}: {v}", "produced_by": "stg_5w__activities"} for f, r, c, rule, v in findings]))
    return con


def _cells(path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_one_workbook_per_organisation_in_its_language(tmp_path):
    con = _warehouse()
    written = write_organisation_workbooks(con, "2022-H1", tmp_path / "qa_5w_2022-H1")
    assert dict(zip(written["appealing_organisation"], written["language"])) == {
        COLOMBIA: "es", ECUADOR: "es", ENGLISH: "en"}
    assert dict(zip(written["appealing_organisation"], written["findings"])) == {COLOMBIA: 2, ECUADOR: 1, ENGLISH: 1}
    files = sorted(p.name for p in (tmp_path / "qa_5w_2022-H1").glob("*.xlsx"))
    assert files == sorted(written["workbook"]) and len(set(files)) == 3
    colombia = openpyxl.load_workbook(tmp_path / "qa_5w_2022-H1" / written.set_index("appealing_organisation").loc[COLOMBIA, "workbook"])
    assert colombia.sheetnames == ["Resumen", "Problemas"]
    header = [c.value for c in next(colombia["Problemas"].iter_rows(max_row=1))]
    assert header[:8] == ["archivo", "hoja", "fila", "columna", "regla", "gravedad", "valor", "qué corregir"]
    first = [c.value for c in list(colombia["Problemas"].iter_rows(min_row=2, max_row=2))[0]]
    assert first[7].startswith("Fila 2: ") and first[5] == "observación (fila cargada)"
    english = openpyxl.load_workbook(tmp_path / "qa_5w_2022-H1" / "norwegian-refugee-council.xlsx")
    assert english.sheetnames == ["Summary", "Issues"]


def test_free_text_is_never_copied(tmp_path):
    con = _warehouse()
    written = write_organisation_workbooks(con, "2022-H1", tmp_path / "org")
    for path in (tmp_path / "org" / w for w in written["workbook"]):
        assert not any("Pérez" in cell or "300 555" in cell for cell in _cells(path)), path


def test_names_that_share_31_characters_stay_apart(tmp_path):
    con = _warehouse()
    assert COLOMBIA[:31] == ECUADOR[:31]
    summary = qa_frames(con, "2022-H1")["Summary"].set_index("appealing_organisation")
    assert summary.loc[COLOMBIA, "sheet"] != summary.loc[ECUADOR, "sheet"]
    path, _n = write_qa_workbook(con, "2022-H1", tmp_path / "qa.xlsx")
    assert set(summary["sheet"]) | {"Summary"} == set(openpyxl.load_workbook(path, read_only=True).sheetnames)
    taken: set[str] = set()
    long_a, long_b = "A" * 70 + " one", "A" * 70 + " two"
    stems = [workbook_stem(long_a, taken), workbook_stem(long_b, taken), workbook_stem("NRC", taken), workbook_stem("nrc", taken)]
    assert len(set(stems)) == 4 and all(len(s) <= 60 for s in stems)
    assert stems[2] == "nrc" and stems[3].startswith("nrc-")


def test_the_old_workbooks_of_the_folder_are_replaced(tmp_path):
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "an-organisation-that-left.xlsx").write_bytes(b"old")
    write_organisation_workbooks(_warehouse(), "2022-H1", folder)
    assert not (folder / "an-organisation-that-left.xlsx").exists()

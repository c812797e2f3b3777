"""Resubmitted 5W reports and byte-identical copies (docs/input-rules.md §9).

Built from the bundled 2023 Mexico/Panama January report (50 rows: 37 Mexico rows count as people
reached, 308 new beneficiaries in January 2023; Mexico's figure is the Country level sum,
docs/domain.md §1.1). A corrected version is made with openpyxl by changing one number.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from rmrp_pipeline.cli import run_pipeline
from rmrp_pipeline.ingest import ingest_raw_folder
from tests.conftest import RAW_DIR

#: What is tested is what the ingest makes of the 5W reports; the bundled reference lists, ingested
#: by every run here, are read once per test process (tests/conftest.py), a changed one afresh.
pytestmark = pytest.mark.reference_lists_read_once

MEXICO_FILE = RAW_DIR / "monitoring_5w" / "activities_5w_2023_mexico_panama_jan.xlsx"
#: The 2023-2024 indicator registry (which indicators count as people reached in 2023).
REGISTRY_2023 = RAW_DIR / "planning" / "rmrp2023-2024_submission_template_en.xlsx"
#: Mexico, January 2023, in the bundled file: new beneficiaries of the rows that count as reached.
MEXICO_REACHED = 308
#: Excel row 2 of the file: Mexico, Coahuila, UNHCR, Protection (General), a reached indicator,
#: New_beneficiaries 2 (column R), Total_monthly 2 (column Q), In destination 2 (column S),
#: Women 1, Men 1 (columns Z, AA).
ROW, NEW_COLUMN, TOTAL_COLUMN, DESTINATION_COLUMN, WOMEN_COLUMN = 2, "R", "Q", "S", "Z"


def _raw_folder(root: Path) -> Path:
    """A raw folder with the reference lists and the 2023 registry, without any 5W file."""
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "reference", raw / "reference")
    (raw / "planning").mkdir()
    shutil.copy(REGISTRY_2023, raw / "planning" / REGISTRY_2023.name)
    (raw / "monitoring_5w").mkdir()
    return raw


def _corrected(target: Path, added: int) -> Path:
    """The bundled Mexico/Panama report with ``added`` more women reached in its Excel row 2 (new
    beneficiaries, total, in destination and women each raised by ``added``)."""
    book = openpyxl.load_workbook(MEXICO_FILE)
    sheet = book.worksheets[0]
    assert sheet[f"{NEW_COLUMN}{ROW}"].value == 2 and sheet[f"A{ROW}"].value == "Mexico"
    for column in (NEW_COLUMN, TOTAL_COLUMN, DESTINATION_COLUMN, WOMEN_COLUMN):
        sheet[f"{column}{ROW}"].value += added
    book.save(target)
    return target


def _mexico(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT consolidated_total FROM marts.people_reached_monthly WHERE country = 'Mexico' AND level = 'country' "
            "AND subsector = 'Intersector' AND month = DATE '2023-01-01'").fetchone()[0]


def _table(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sorted(con.execute(sql).fetchall(), key=repr)


def test_a_v2_beside_the_original_gives_the_figures_of_the_v2_alone(tmp_path):
    raw = _raw_folder(tmp_path / "both")
    shutil.copy(MEXICO_FILE, raw / "monitoring_5w" / MEXICO_FILE.name)
    _corrected(raw / "monitoring_5w" / "activities_5w_2023_mexico_panama_jan_v2.xlsx", 1000)
    alone = _raw_folder(tmp_path / "alone")
    _corrected(alone / "monitoring_5w" / "activities_5w_2023_mexico_panama_jan_v2.xlsx", 1000)
    assert run_pipeline(str(raw), str(tmp_path / "both.duckdb"), quiet=True)[0]
    assert run_pipeline(str(alone), str(tmp_path / "alone.duckdb"), quiet=True)[0]

    assert _mexico(tmp_path / "both.duckdb") == MEXICO_REACHED + 1000
    assert _mexico(tmp_path / "alone.duckdb") == MEXICO_REACHED + 1000
    rows = "SELECT source_file, source_row, country, new_beneficiaries, total_monthly, women FROM marts.fct_activities"
    assert _table(tmp_path / "both.duckdb", rows) == _table(tmp_path / "alone.duckdb", rows)
    people = "SELECT * FROM marts.people_reached_monthly"
    assert _table(tmp_path / "both.duckdb", people) == _table(tmp_path / "alone.duckdb", people)
    log = {row[0]: row[1:] for row in _table(
        tmp_path / "both.duckdb",
        "SELECT source_file, status, rows_read, rows_loaded, rows_rejected, rows_superseded, superseded_by, message "
        "FROM meta.load_log WHERE source_file LIKE 'monitoring_5w/%'")}
    first, second = (f"monitoring_5w/{name}" for name in (MEXICO_FILE.name, "activities_5w_2023_mexico_panama_jan_v2.xlsx"))
    status, read, loaded, rejected, superseded, by, message = log[first]
    assert (status, read, loaded, superseded, by) == ("superseded", 50, 0, 50, second)
    assert rejected == 0 and second in message
    assert log[second][:5] == ("recognised", 50, 50, 0, None)
    assert first in log[second][-1]
    with duckdb.connect(str(tmp_path / "both.duckdb"), read_only=True) as con:
        from rmrp_pipeline.marts.audits import sheets_with_lost_rows
        from rmrp_pipeline.reports.summary import run_summary
        assert sheets_with_lost_rows(con).empty
        summary = run_summary(con, [])
    assert "Superseded by a newer version of the same report (same organisation" in summary
    assert f"{first} [Sheet1]: 50 row(s) superseded by {second}" in " ".join(summary.split())  # lines wrap


def _sector_split(target_dir: Path, name: str, keep: callable) -> Path:
    """The bundled report with only the data rows for which ``keep(row values)`` is true."""
    book = openpyxl.load_workbook(MEXICO_FILE)
    sheet = book.worksheets[0]
    for number in range(sheet.max_row, 1, -1):
        if not keep([cell.value for cell in sheet[number]]):
            sheet.delete_rows(number)
    path = target_dir / name
    book.save(path)
    return path


def test_superseding_is_per_organisation_country_and_month(tmp_path):
    """A partner that reports by sector in several versions of one report: the v2 holds only
    UNHCR Mexico's rows (corrected); IOM's Mexico rows and every Panama row come from the first
    version, which has their only (organisation, country, month) keys."""
    raw = _raw_folder(tmp_path)
    folder = raw / "monitoring_5w"
    shutil.copy(MEXICO_FILE, folder / "report.xlsx")
    unhcr_mexico = lambda v: v[0] == "Mexico" and "UNHCR" in v[3]  # noqa: E731
    v2 = _sector_split(folder, "report_v2.xlsx", unhcr_mexico)
    book = openpyxl.load_workbook(v2)
    assert book.worksheets[0][f"{NEW_COLUMN}{ROW}"].value == 2
    book.worksheets[0][f"{NEW_COLUMN}{ROW}"].value = 12
    book.worksheets[0][f"{TOTAL_COLUMN}{ROW}"].value = 12
    book.worksheets[0][f"{DESTINATION_COLUMN}{ROW}"].value = 12
    book.worksheets[0][f"{WOMEN_COLUMN}{ROW}"].value = 11
    book.save(v2)
    result = ingest_raw_folder(raw)
    rows = result.tables["staging.stg_5w__activities"]
    by_file = rows.groupby("source_file").size().to_dict()
    original = openpyxl.load_workbook(MEXICO_FILE).worksheets[0]
    values = [[c.value for c in r] for r in original.iter_rows(min_row=2)]
    in_v2 = sum(1 for v in values if unhcr_mexico(v))
    assert by_file == {"monitoring_5w/report.xlsx": 50 - in_v2, "monitoring_5w/report_v2.xlsx": in_v2}
    assert in_v2 == 39   # the UNHCR Mexico rows of the file (IOM has the other 8 Mexico rows)
    kept = rows[rows["source_file"] == "monitoring_5w/report.xlsx"]
    assert not kept.apply(lambda r: r["country"] == "Mexico" and "UNHCR" in r["appealing_org"], axis=1).any()
    assert rows["new_beneficiaries"].sum() == sum(v[17] or 0 for v in values) + 10
    log = {e["source_file"]: e for e in result.tables["raw.source_files"].to_dict("records")}
    assert log["monitoring_5w/report.xlsx"]["status"] == "recognised"
    assert log["monitoring_5w/report.xlsx"]["rows_superseded"] == 39
    assert log["monitoring_5w/report.xlsx"]["superseded_by"] == "monitoring_5w/report_v2.xlsx"


def test_a_report_split_over_files_of_different_names_loses_no_row(tmp_path):
    """Two files of different names (not versions of one report) that share keys both load."""
    raw = _raw_folder(tmp_path)
    folder = raw / "monitoring_5w"
    _sector_split(folder, "unhcr_protection.xlsx", lambda v: v[7] == "Protection (General)")
    _sector_split(folder, "unhcr_other_sectors.xlsx", lambda v: v[7] != "Protection (General)")
    result = ingest_raw_folder(raw)
    assert len(result.tables["staging.stg_5w__activities"]) == 50
    log = result.tables["raw.source_files"]
    assert set(log.loc[log["source_file"].str.startswith("monitoring_5w/"), "status"]) == {"recognised"}


def _only_one_loaded(raw: Path, names: list[str], loaded: str) -> dict:
    """Ingest ``raw`` (two 5W files ``names`` of 50 rows each), check that the 50 staged rows all
    come from ``loaded``, and return the load-log entry of the other file."""
    result = ingest_raw_folder(raw)
    rows = result.tables["staging.stg_5w__activities"]
    assert set(rows["source_file"]) == {f"monitoring_5w/{loaded}"}
    assert len(rows) == 50
    log = {e["source_file"]: e for e in result.tables["raw.source_files"].to_dict("records")}
    (other,) = [n for n in names if n != loaded]
    return log[f"monitoring_5w/{other}"]


@pytest.mark.parametrize(("names", "newest"), [
    (["r.xlsx", "r_v2.xlsx"], "r_v2.xlsx"),
    (["r_v2.xlsx", "r_v10.xlsx"], "r_v10.xlsx"),          # numbers, not text order
    (["r (1).xlsx", "r_v3.xlsx"], "r_v3.xlsx"),            # a browser's (1) is the second version
    (["r_v9.xlsx", "r_final.xlsx"], "r_final.xlsx"),       # final above every numbered version
    (["r_final.xlsx", "r_final_v2.xlsx"], "r_final_v2.xlsx"),
    (["r-v2.xlsx", "r_v2.xlsx"], "r_v2.xlsx"),             # the same rank: the path sorting last
])
def test_the_newest_version_is_decided_by_the_name(tmp_path, names, newest):
    raw = _raw_folder(tmp_path)
    for number, name in enumerate(names):
        _corrected(raw / "monitoring_5w" / name, number)
    other = _only_one_loaded(raw, names, newest)
    assert other["status"] == "superseded"
    assert other["superseded_by"] == f"monitoring_5w/{newest}"


@pytest.mark.parametrize(("names", "original"), [
    (["copy_of_x.xlsx", "x.xlsx"], "x.xlsx"),
    (["x.xlsx", "x (1).xlsx"], "x.xlsx"),
    (["Copia de x.xlsx", "x.xlsx"], "x.xlsx"),
    (["a/x - Copy.xlsx", "b/x.xlsx"], "b/x.xlsx"),
    (["b/report.xlsx", "a/report_jan.xlsx"], "b/report.xlsx"),   # no mark: the shorter name
    (["b/x.xlsx", "a/x.xlsx"], "a/x.xlsx"),                       # same name: sorted path
])
def test_a_byte_identical_copy_keeps_the_original(tmp_path, names, original):
    raw = _raw_folder(tmp_path)
    for name in names:
        (raw / "monitoring_5w" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(MEXICO_FILE, raw / "monitoring_5w" / name)
    other = _only_one_loaded(raw, names, original)
    assert other["status"] == "duplicate_file"
    assert f"monitoring_5w/{original}" in other["message"]

"""Acceptance of cycle freezes (docs/freeze.md) with the real files and the ``rmrp`` command in its
own process: a frozen cycle keeps its published figures while a raw 5W file changes, the change is
listed with its old and new values, and unfreezing applies it; a frozen mid-year cycle keeps its
months while the end-year cycle of the same year is built; a frozen cycle whose 5W file is gone
keeps its figures.

The changed cell: row 7 of the 2021 5W export (Colombia, Antioquia, Protection (General), March
2021, 168 new beneficiaries). 2021 consolidates the Intersector by ``sum`` (reference_data/
intersector_models.csv), and a subsector's people reached are its new beneficiaries summed from
January, so every figure above that row moves by exactly what the cell moves."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from rmrp_pipeline.marts import registry
from tests.conftest import RAW_DIR

FILE_2021 = "monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx"
FILE_2023 = "monitoring_5w/activities_5w_2023_mexico_panama_jan.xlsx"
REGIONAL = "level = 'regional' AND subsector = 'Intersector'"
#: The published regional people reached of 2021-H1 from the bundled data (R4V's 2021 5W, January-May).
REGIONAL_2021_H1 = 3_149_943


@pytest.fixture()
def raw(reference_only) -> Path:
    """A raw folder of what the asserted figures come from: the reference lists, the 2021 5W export
    and the 2023 5W report (the runs over it take about two thirds of the CPU of runs over data/raw)."""
    folder = reference_only
    for name in (FILE_2021, FILE_2023):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAW_DIR / name, folder / name)
    return folder


def _rmrp(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rmrp_pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


def _run(raw: Path, warehouse: Path) -> str:
    done = _rmrp("run", "--quiet", "--raw-dir", raw, "--warehouse", warehouse)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _cell(xml: str, ref: str) -> re.Match:
    """The element of cell ``ref`` in a sheet's XML (the export writes numbers as ``<v>`` and text
    inline), with its value as group "number" or "text"."""
    found = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*)>(?:<v>(?P<number>[^<]*)</v>|<is><t>(?P<text>[^<]*)</t></is>)</c>', xml)
    assert found, f"no cell {ref}"
    return found


def _value(xml: str, ref: str) -> object:
    cell = _cell(xml, ref)
    return html.unescape(cell["text"]) if cell["text"] is not None else float(cell["number"])


def _edit_row_7(raw: Path, column: str, header: str, old: object, new: object, also: dict | None = None) -> None:
    """Set the cell of ``column`` on row 7 of the 2021 5W export from ``old`` to ``new`` (checked
    against its header first), and the ``also`` cells of the row: in the sheet's XML, every other
    cell and part of the file left as it is (openpyxl takes seconds to load and save 22,496 rows)."""
    path = raw / FILE_2021
    with zipfile.ZipFile(path) as book:
        parts = [(info, book.read(info)) for info in book.infolist()]
    sheet = next(i for i, (info, _data) in enumerate(parts) if info.filename == "xl/worksheets/sheet1.xml")
    xml = parts[sheet][1].decode("utf-8")
    assert _value(xml, f"{column}1") == header and _value(xml, f"{column}7") == old
    assert (_value(xml, "O7"), _value(xml, "P7"), _value(xml, "E7")) == ("Colombia", "Antioquia", "Protection (General)")
    for ref, value in {f"{column}7": new, **(also or {})}.items():
        cell = _cell(xml, ref)
        style = re.search(r' s="\d+"', cell["attrs"])
        style = style.group(0) if style else ""
        element = (f'<c r="{ref}"{style} t="inlineStr"><is><t>{html.escape(value)}</t></is></c>' if isinstance(value, str)
                   else f'<c r="{ref}"{style} t="n"><v>{value}</v></c>')
        xml = xml[:cell.start()] + element + xml[cell.end():]
    parts[sheet] = (parts[sheet][0], xml.encode("utf-8"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for info, data in parts:
            book.writestr(info, data)
    edited = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert _value(edited, f"{column}7") == new and all(_value(edited, ref) == v for ref, v in (also or {}).items())


def _drop_all_but_the_freeze(warehouse: Path) -> None:
    """A rebuild from scratch of every other table: only meta.cycle_freezes and the frozen tables stay."""
    keep = {registry.FREEZES, *(t.name for t in registry.frozen_by_cycle())}
    with duckdb.connect(str(warehouse)) as con:
        found = con.execute("SELECT schema_name || '.' || table_name, 'TABLE' FROM duckdb_tables() WHERE NOT internal "
                            "UNION ALL SELECT schema_name || '.' || view_name, 'VIEW' FROM duckdb_views() "
                            "WHERE NOT internal AND schema_name <> 'information_schema'").fetchall()
        for name, kind in found:
            if name not in keep and name.split(".")[0] in ("raw", "staging", "marts", "meta"):
                con.execute(f"DROP {kind} IF EXISTS {name}")


def test_a_frozen_cycle_keeps_its_figure_lists_the_change_and_takes_it_when_unfrozen(built_warehouse, raw, tmp_path):
    warehouse = tmp_path / "rmrp.duckdb"
    shutil.copyfile(built_warehouse[0], warehouse)
    figure = f"SELECT consolidated_total, intersector_model FROM marts.cycle_people_reached WHERE cycle = '2021-H1' AND {REGIONAL}"
    assert _query(warehouse, figure) == [(REGIONAL_2021_H1, "sum")]
    frozen = _rmrp("freeze", "2021-H1", "--reason", "mid-year report published", "--by", "alice", "--warehouse", warehouse)
    assert frozen.returncode == 0 and frozen.stdout.startswith("2021-H1 frozen on ")
    _edit_row_7(raw, "S", "New.beneficiaries.of.the.month", 168, 1168, also={"R7": 1168})
    _drop_all_but_the_freeze(warehouse)

    summary = _run(raw, warehouse)
    assert _query(warehouse, figure) == [(REGIONAL_2021_H1, "sum")]   # kept as published
    line = next(li for li in summary.splitlines() if li.startswith("  2021-H1 frozen on "))
    count = _query(warehouse, "SELECT count(*) FROM meta.cycle_revisions WHERE cycle = '2021-H1'")[0][0]
    assert line.endswith(f"by alice (mid-year report published): {count} figures would change; see")
    revisions = _query(warehouse, "SELECT figure_key, frozen_value, current_value, difference, reasons FROM meta.cycle_revisions "
                                  "WHERE cycle = '2021-H1' AND table_name = 'marts.cycle_people_reached' "
                                  "AND column_name = 'consolidated_total' AND change = 'changed' ORDER BY figure_key")
    expected_new = REGIONAL_2021_H1 + (1168 - 168)
    regional = [r for r in revisions if r[0] == "level=regional, platform=Regional, admin1=Regional level, subsector=Intersector"]
    assert regional == [("level=regional, platform=Regional, admin1=Regional level, subsector=Intersector",
                         str(REGIONAL_2021_H1), str(expected_new), 1000.0, f"corrections: {FILE_2021} changed")]
    # every consolidated figure of the row's place and subsector or above it, and nothing else
    assert {r[0] for r in revisions} == {
        f"level={level}, platform={platform}, {iso}admin1={admin1}, subsector={subsector}"
        for level, platform, iso, admin1 in (("admin1", "Colombia", "country_iso3=COL, ", "Antioquia"),
                                             ("country", "Colombia", "country_iso3=COL, ", "Country level"),
                                             ("platform", "Colombia", "", "Platform level"),
                                             ("regional", "Regional", "", "Regional level"))
        for subsector in ("Intersector", "Protection (General)")}
    assert {r[3] for r in revisions} == {1000.0}
    assert _query(warehouse, "SELECT count(*) FROM meta.cycle_freezes")[0][0] == 1   # the rebuild kept the freeze

    assert _rmrp("unfreeze", "2021-H1", "--reason", "late corrections accepted", "--warehouse", warehouse).returncode == 0
    summary = _run(raw, warehouse)
    assert _query(warehouse, figure) == [(expected_new, "sum")]
    assert _query(warehouse, "SELECT count(*) FROM meta.cycle_revisions WHERE cycle = '2021-H1'") == [(0,)]
    assert "Frozen cycles" not in summary
    assert _query(warehouse, "SELECT action, reason FROM meta.cycle_freezes ORDER BY changed_at") == [
        ("freeze", "mid-year report published"), ("unfreeze", "late corrections accepted")]


def test_a_frozen_mid_year_keeps_its_months_beside_the_end_year_and_a_cycle_without_data_keeps_its_figures(
        built_warehouse, raw, tmp_path):
    warehouse = tmp_path / "rmrp.duckdb"
    shutil.copyfile(built_warehouse[0], warehouse)
    for cycle in ("2021-H1", "2023-H1"):
        assert _rmrp("freeze", cycle, "--reason", "report published", "--by", "bob", "--warehouse", warehouse).returncode == 0
    monthly = "SELECT * EXCLUDE (only_rmrp_activities) FROM marts.people_reached_monthly WHERE month < DATE '2021-07-01' ORDER BY ALL"
    months_before = _query(warehouse, monthly)
    rows_2023 = _query(warehouse, "SELECT * FROM marts.cycle_people_reached WHERE cycle = '2023-H1' ORDER BY ALL")
    assert len(rows_2023) > 0
    _edit_row_7(raw, "D", "Reporting.Month", "2021-03", "2021-07")   # the row reported for July instead
    (raw / FILE_2023).unlink()

    summary = _run(raw, warehouse)
    assert "  2021-H1 frozen on " in summary and "  2023-H1 frozen on " in summary
    # 2021-H1 keeps its figure and its months; the end-year cycle is built from the current data
    h1 = f"SELECT consolidated_total FROM marts.cycle_people_reached WHERE cycle = ? AND {REGIONAL}"
    assert _query(warehouse, h1, ["2021-H1"]) == [(REGIONAL_2021_H1,)]
    assert _query(warehouse, monthly) == months_before
    assert _query(warehouse, f"SELECT consolidated_total, last_month_with_data FROM marts.cycle_people_reached "
                             f"WHERE cycle = '2021-H2' AND {REGIONAL}")[0] == (REGIONAL_2021_H1, dt.date(2021, 7, 1))
    assert _query(warehouse, "SELECT frozen_value, current_value, reasons FROM meta.cycle_revisions WHERE cycle = '2021-H1' "
                             "AND table_name = 'marts.cycle_people_reached' AND column_name = 'consolidated_total' "
                             "AND figure_key = 'level=regional, platform=Regional, admin1=Regional level, subsector=Intersector'") == [
        (str(REGIONAL_2021_H1), str(REGIONAL_2021_H1 - 168), f"corrections: {FILE_2021} changed")]
    # 2023-H1: its only 5W file is gone; its figures stay, every row listed as one the data no longer gives
    assert _query(warehouse, "SELECT * FROM marts.cycle_people_reached WHERE cycle = '2023-H1' ORDER BY ALL") == rows_2023
    removed = _query(warehouse, "SELECT change, reasons, count(*) FROM meta.cycle_revisions WHERE cycle = '2023-H1' "
                                "AND table_name = 'marts.cycle_people_reached' GROUP BY ALL")
    assert removed == [("removed", f"withdrawn: {FILE_2023} no longer in the raw folder", len(rows_2023))]


def test_a_run_counting_people_reached_otherwise_than_the_freeze_says_so_on_every_revision(built_warehouse, tmp_path):
    """Frozen with every row counted, its revisions built as a run with RMRP activities only builds
    them (``revisions.build_revisions``, in the process): the 5W files of 2021 are the same, so the
    option is the reason of every figure that would change, the published regional figure among them."""
    from rmrp_pipeline.marts.freeze import freeze_cycle
    from rmrp_pipeline.marts.revisions import build_revisions

    warehouse = tmp_path / "rmrp.duckdb"
    shutil.copyfile(built_warehouse[0], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        freeze_cycle(con, "2021-H1", "published", by="alice")
        build_revisions(con, "2021-H1", only_rmrp_activities=True)
    reasons = _query(warehouse, "SELECT DISTINCT reasons FROM meta.cycle_revisions WHERE cycle = '2021-H1'")
    assert reasons == [("people reached counted from RMRP activities only in this run, from every row at the freeze",)]
    regional = _query(warehouse, "SELECT frozen_value, CAST(current_value AS BIGINT) FROM meta.cycle_revisions "
                                 "WHERE cycle = '2021-H1' AND table_name = 'marts.cycle_people_reached' AND "
                                 "column_name = 'consolidated_total' AND figure_key = 'level=regional, platform=Regional, "
                                 "admin1=Regional level, subsector=Intersector'")
    assert regional[0][0] == str(REGIONAL_2021_H1) and 0 < regional[0][1] < REGIONAL_2021_H1

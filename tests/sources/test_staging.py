"""The stagers of the sources, without Dagster: the published key figures read from the sheets the
ingest has read, a workbook or sheet that cannot be staged, a new kind plugged into the registry."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline import ingest
from rmrp_pipeline.read.recognise import read_and_recognise
from rmrp_pipeline.sources.planning import key_figures
from rmrp_pipeline.sources.planning.stage import PublishedFiguresStager
from rmrp_pipeline.sources.staging import IgnoredSheets, Stager, Staging, Step
from tests.conftest import RAW_DIR
from tests.messy.helpers import PARTNER_FILE, row, write_rows

KEY_FIGURES = RAW_DIR / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"


def _variant(target: Path, edit) -> Path:
    book = openpyxl.load_workbook(KEY_FIGURES)
    edit(book)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _log(result) -> pd.DataFrame:
    return result.tables["raw.source_files"].set_index(["source_file", "sheet"])


def test_the_published_figures_stager_reads_the_sheets_it_is_given():
    stager, staging = PublishedFiguresStager(), Staging()
    for name in ("key_figures", "other_figures", "source"):
        sheet, recognition = read_and_recognise(KEY_FIGURES, name, "planning/kf.xlsx")
        staging.log({"source_file": sheet.source_file, "sheet": sheet.sheet, "status": "recognised"})
        stager.add(sheet, recognition, staging)
    for step in stager.steps():
        step.run(staging)
    figures = staging.tables["staging.stg_planning__published_figures"]
    assert len(figures) == 101 and set(figures["source_file"]) == {"planning/kf.xlsx"}
    assert len(staging.tables["staging.stg_planning__sources"]) == 8
    assert staging.tables["meta.rejected_rows"].empty
    assert {e["status"] for e in staging.load_log} == {"recognised"}


def test_the_key_figures_workbook_is_read_once(tmp_path, monkeypatch):
    def no_second_read(*_args, **_kwargs):
        raise AssertionError("the key-figures reader opened the file again")

    monkeypatch.setattr(key_figures, "read_table", no_second_read)
    (tmp_path / "planning").mkdir()
    shutil.copy(KEY_FIGURES, tmp_path / "planning" / KEY_FIGURES.name)
    result = ingest.ingest_raw_folder(tmp_path)
    assert set(result.tables["raw.source_files"]["status"]) == {"recognised"}
    assert len(result.tables["staging.stg_planning__published_figures"]) == 101


def test_a_broken_key_figures_workbook_does_not_stop_the_others(reference_only):
    shutil.copy(KEY_FIGURES, reference_only / "good.xlsx")
    _variant(reference_only / "kf" / "extra.xlsx", lambda book: setattr(book["key_figures"]["J1"], "value", "notes"))
    _variant(reference_only / "kf" / "socios.xlsx", lambda book: setattr(book["key_figures"]["I1"], "value", "socios"))
    result = ingest.ingest_raw_folder(reference_only)
    log = _log(result)
    for sheet in ("key_figures", "other_figures", "source"):
        assert log.loc[("kf/extra.xlsx", sheet), "status"] == "unreadable"
        assert log.loc[("kf/extra.xlsx", sheet), "message"] == (
            "KeyFiguresLayoutError: extra.xlsx, sheet 'key_figures': the header must be exactly "
            f"{list(key_figures.KEY_FIGURES_COLUMNS)}; missing [], unexpected ['notes']")
    # 'socios' instead of 'partners': the sheet is no key_figures sheet, so the workbook lacks one
    assert log.loc[("kf/socios.xlsx", "key_figures"), "status"] == "unknown_sheet"
    assert "lacks partners" in log.loc[("kf/socios.xlsx", "key_figures"), "message"]
    for sheet in ("other_figures", "source"):
        assert log.loc[("kf/socios.xlsx", sheet), "status"] == "unreadable"
        assert "needs one key_figures sheet" in log.loc[("kf/socios.xlsx", sheet), "message"]
    for table in ("staging.stg_planning__published_figures", "staging.stg_planning__sources"):
        assert set(result.tables[table]["source_file"]) == {"good.xlsx"}, table
    assert len(result.tables["staging.ref_countries"]) == 17  # the other files are read


def test_a_share_typed_as_a_bare_number_is_a_finding_of_its_file(tmp_path):
    def bare(book):
        book["key_figures"]["G3"].value = 0.7

    _variant(tmp_path / "planning" / "kf.xlsx", bare)
    result = ingest.ingest_raw_folder(tmp_path)
    findings = result.tables["meta.quality_findings"]
    assert findings[["source_file", "row_number", "rule"]].values.tolist() == [
        ["planning/kf.xlsx", 3, "percent_without_sign"]]
    assert findings["message"].iloc[0].startswith("kf.xlsx, sheet 'key_figures', cell G3: 0.7 has no % sign")


def test_a_5w_sheet_that_fails_to_stage_does_not_stop_the_others(reference_only, monkeypatch):
    import rmrp_pipeline.sources.five_w.stage as five_w_stage

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(five_w_stage, "stage_five_w_sheets", broken)
    write_rows(reference_only / PARTNER_FILE, [row()])
    result = ingest.ingest_raw_folder(reference_only)
    log = _log(result)
    assert log.loc[(PARTNER_FILE, "Sheet"), "status"] == "unreadable"
    assert "could not be staged (RuntimeError: boom)" in log.loc[(PARTNER_FILE, "Sheet"), "message"]
    assert len(result.tables["staging.ref_countries"]) == 17


class _Recorder(Stager):
    """Takes the sheets left out on purpose, and stages their names after the 5W."""

    kinds = frozenset({"ignored"})

    def __init__(self) -> None:
        self.sheets: list[str] = []

    def add(self, sheet, recognition, staging) -> None:
        self.sheets.append(sheet.sheet)

    def steps(self) -> list[Step]:
        return [Step("recorded", self.stage, after=("five_w",))]

    def stage(self, staging: Staging) -> None:
        staging.add("staging.recorded", pd.DataFrame({"sheet": self.sheets}))


@pytest.mark.parametrize("stager", [IgnoredSheets, _Recorder])
def test_a_stager_plugs_in_through_the_registry(tmp_path, monkeypatch, stager):
    monkeypatch.setattr(ingest, "STAGERS", tuple(stager if s is IgnoredSheets else s for s in ingest.STAGERS))
    book = openpyxl.Workbook()
    book.active.title = "Pivot"
    book.active.append(["Row Labels", "Column Labels"])
    book.active.append(["Shelter", 12])
    book.save(tmp_path / "pivot.xlsx")
    result = ingest.ingest_raw_folder(tmp_path)
    entry = _log(result).loc[("pivot.xlsx", "Pivot")]
    if stager is IgnoredSheets:
        assert entry["status"] == "ignored" and entry["message"].startswith("ignored on purpose: an Excel pivot table")
    else:
        assert entry["status"] == "recognised"
        assert result.tables["staging.recorded"]["sheet"].tolist() == ["Pivot"]

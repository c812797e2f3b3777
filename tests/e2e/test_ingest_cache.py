"""The ingest cache (rmrp_pipeline/ingest_cache.py): a re-run reads only the 5W files whose content
changed, a changed reference list makes every 5W file read again, a corrupt entry is read again,
and the warehouse of a cached re-run is identical to a clean run without cache.

Real files: the bundled 2023 Mexico/Panama and 2022 Southern Cone 5W reports, the reference lists
and the 2023-2024 registry (in the submission template).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from rmrp_pipeline import ingest
from rmrp_pipeline.cli import run_pipeline
from rmrp_pipeline.ingest_cache import cache_dir_for
from rmrp_pipeline.warehouse import db
from tests.conftest import RAW_DIR, compare_warehouses

#: What is tested is what the ingest makes of the 5W reports; the bundled reference lists, ingested
#: by every run here, are read once per test process (tests/conftest.py), a changed one afresh.
pytestmark = pytest.mark.reference_lists_read_once

FIVE_W = ["activities_5w_2023_mexico_panama_jan.xlsx", "activities_5w_2022_southern_cone_aug.xlsx"]
REGISTRY = "rmrp2023-2024_submission_template_en.xlsx"


@pytest.fixture()
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "reference", folder / "reference")
    (folder / "planning").mkdir()
    shutil.copy(RAW_DIR / "planning" / REGISTRY, folder / "planning" / REGISTRY)
    (folder / "monitoring_5w").mkdir()
    for name in FIVE_W:
        shutil.copy(RAW_DIR / "monitoring_5w" / name, folder / "monitoring_5w" / name)
    return folder


@pytest.fixture()
def reads(monkeypatch) -> list[str]:
    """The names of the files the ingest reads (opens as workbooks), in order."""
    names: list[str] = []
    real = ingest._read_sheets

    def recording(path, name, prepare):
        names.append(name)
        return real(path, name, prepare)

    monkeypatch.setattr(ingest, "_read_sheets", recording)
    return names


def _rows(result: ingest.IngestResult) -> list[tuple]:
    """The staged 5W rows as (file, sheet, row, new beneficiaries, rejected), sorted."""
    table = result.for_warehouse("staging.stg_5w__activities")
    frame = table.to_pandas() if isinstance(table, pa.Table) else table
    columns = ["source_file", "source_sheet", "source_row", "new_beneficiaries", "is_rejected"]
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in frame[columns].astype(object).itertuples(index=False))


def _issues(result: ingest.IngestResult, table: str) -> list[tuple]:
    frame = result.tables[table]
    return sorted(tuple(row) for row in frame[["source_file", "sheet", "row_number", "rule", "value", "message"]]
                  .astype(str).itertuples(index=False))


def _log(result: ingest.IngestResult) -> list[tuple]:
    frame = result.tables["raw.source_files"].drop(columns=["read_at"])
    return sorted(tuple(str(v) for v in row) for row in frame.astype(object).itertuples(index=False))


def _same(a: ingest.IngestResult, b: ingest.IngestResult) -> None:
    assert _rows(a) == _rows(b)
    assert _issues(a, "meta.rejected_rows") == _issues(b, "meta.rejected_rows")
    assert _issues(a, "meta.quality_findings") == _issues(b, "meta.quality_findings")
    assert _log(a) == _log(b)


def _edit(path: Path) -> None:
    """Raise the new beneficiaries (and total) of Excel row 2 by 5: other bytes, other figures."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for name in ("New_beneficiaries", "Total_monthly"):
        cell = sheet.cell(row=2, column=headers.index(name) + 1)
        cell.value = (cell.value or 0) + 5
    book.save(path)


def test_a_rerun_reads_only_the_changed_file(raw, reads, tmp_path):
    cache = tmp_path / "cache"
    first = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert {f"monitoring_5w/{n}" for n in FIVE_W} <= set(reads)
    assert len(list(cache.glob("*.rmrpc"))) == 2   # the two 5W files; reference and planning files are not kept
    reads.clear()
    again = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert not [n for n in reads if n.startswith("monitoring_5w/")]
    assert "planning/" + REGISTRY in reads   # read every run
    _same(first, again)

    _edit(raw / "monitoring_5w" / FIVE_W[0])
    reads.clear()
    changed = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert [n for n in reads if n.startswith("monitoring_5w/")] == [f"monitoring_5w/{FIVE_W[0]}"]
    _same(changed, ingest.ingest_raw_folder(raw))   # as a run without cache
    assert sum(r[3] or 0 for r in _rows(changed)) == sum(r[3] or 0 for r in _rows(first)) + 5


def test_a_changed_reference_list_reads_every_5w_file_again(raw, reads, tmp_path):
    cache = tmp_path / "cache"
    ingest.ingest_raw_folder(raw, cache_dir=cache)
    partners = raw / "reference" / "rmrp_2021_ai_partners.xlsx"
    book = openpyxl.load_workbook(partners)
    book.worksheets[0].cell(row=book.worksheets[0].max_row + 1, column=1).value = "A partner added to the list"
    book.save(partners)
    reads.clear()
    result = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert sorted(n for n in reads if n.startswith("monitoring_5w/")) == sorted(f"monitoring_5w/{n}" for n in FIVE_W)
    _same(result, ingest.ingest_raw_folder(raw))


def test_a_corrupt_or_renamed_entry_is_read_again(raw, reads, tmp_path):
    cache = tmp_path / "cache"
    first = ingest.ingest_raw_folder(raw, cache_dir=cache)
    entries = sorted(cache.glob("*.rmrpc"))
    data = entries[0].read_bytes()
    entries[0].write_bytes(data[: len(data) // 2])   # a run killed while writing it, without the rename
    reads.clear()
    again = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert len([n for n in reads if n.startswith("monitoring_5w/")]) == 1
    _same(first, again)
    (raw / "monitoring_5w" / FIVE_W[1]).rename(raw / "monitoring_5w" / "renamed.xlsx")
    reads.clear()
    ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert [n for n in reads if n.startswith("monitoring_5w/")] == ["monitoring_5w/renamed.xlsx"]


def test_a_cached_rerun_builds_the_warehouse_of_a_clean_run(raw, tmp_path, monkeypatch):
    warehouse = tmp_path / "wh" / "rmrp.duckdb"
    warehouse.parent.mkdir()
    assert run_pipeline(str(raw), str(warehouse), quiet=True)[0]
    assert cache_dir_for(warehouse).is_dir()
    _edit(raw / "monitoring_5w" / FIVE_W[0])
    synced = {}
    real = db.sync_table

    def recording(con, table, frame):
        written_and_kept = real(con, table, frame)
        synced.setdefault(table, written_and_kept)   # the re-run's (the clean run writes after it)
        return written_and_kept

    monkeypatch.setattr(db, "sync_table", recording)
    assert run_pipeline(str(raw), str(warehouse), quiet=True)[0]
    monkeypatch.setenv("RMRP_INGEST_CACHE", "off")
    clean = tmp_path / "clean" / "rmrp.duckdb"
    clean.parent.mkdir()
    assert run_pipeline(str(raw), str(clean), quiet=True)[0]
    assert not (clean.parent / "ingest_cache").exists()
    assert compare_warehouses.compare(clean, warehouse) == ([], [])
    # the edited report's 50 rows written again, the Southern Cone report's 125 kept as they were
    assert synced["staging.stg_5w__activities"] == (50, 125)


def test_files_of_two_templates_read_again_beside_a_cached_one(raw, reads, tmp_path):
    """The 2023 and 2022 reports (two templates, staged together) changed, a third 5W file cached."""
    third = raw / "monitoring_5w" / "another_partner.xlsx"
    shutil.copy(raw / "monitoring_5w" / FIVE_W[0], third)
    _edit(third)
    _edit(third)   # +10: never the bytes of the 2023 report edited once (+5) within the same second
    cache = tmp_path / "cache"
    ingest.ingest_raw_folder(raw, cache_dir=cache)
    for name in FIVE_W:
        _edit(raw / "monitoring_5w" / name)
    reads.clear()
    result = ingest.ingest_raw_folder(raw, cache_dir=cache)
    assert sorted(n for n in reads if n.startswith("monitoring_5w/")) == sorted(f"monitoring_5w/{n}" for n in FIVE_W)
    _same(result, ingest.ingest_raw_folder(raw))

"""The ingest cache keeps no 5W file of a batch in which a sheet failed to stage (ingest_cache.py,
``IngestCache.keep``; sources/five_w/stage.py): such a file is staged again on the next run, and
the sheet at fault is logged unreadable. Real files: two bundled 5W reports and the reference lists."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from rmrp_pipeline import ingest
from rmrp_pipeline.sources.five_w import stage
from tests.conftest import RAW_DIR

FAILING = "activities_5w_2023_mexico_panama_jan.xlsx"
STAGED = "activities_5w_2022_southern_cone_aug.xlsx"


@pytest.mark.parametrize("batch_rows, kept", [(stage.BATCH_ROWS, set()), (1, {STAGED})],
                         ids=["one batch: nothing kept", "a batch per file: the other file kept"])
def test_a_batch_with_a_sheet_that_fails_to_stage_is_not_kept(reference_only, tmp_path, monkeypatch, batch_rows, kept):
    raw = reference_only
    (raw / "monitoring_5w").mkdir()
    for name in (FAILING, STAGED):
        shutil.copy(RAW_DIR / "monitoring_5w" / name, raw / "monitoring_5w" / name)
    real = stage.stage_five_w_sheets

    def failing(sheets, reference):
        if any(sheet.source_file.endswith(FAILING) for sheet, _r in sheets):
            raise RuntimeError("a fault of the pipeline")
        return real(sheets, reference)

    monkeypatch.setattr(stage, "stage_five_w_sheets", failing)
    monkeypatch.setattr(stage, "BATCH_ROWS", batch_rows)
    result = ingest.ingest_raw_folder(raw, cache_dir=tmp_path / "cache")
    log = {(e["source_file"].rsplit("/", 1)[-1], e["status"]) for e in result.tables["raw.source_files"].to_dict("records")
           if e["source_file"].startswith("monitoring_5w/")}
    assert log == {(FAILING, "unreadable"), (STAGED, "recognised")}
    shas = {hashlib.sha256((raw / "monitoring_5w" / name).read_bytes()).hexdigest(): name for name in (FAILING, STAGED)}
    entries = {shas[path.name.split("-")[0]] for path in (tmp_path / "cache").glob("*.rmrpc")
               if path.name.split("-")[0] in shas}
    assert entries == kept

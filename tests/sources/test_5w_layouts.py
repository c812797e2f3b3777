"""Every 5W layout R4V has used loads into the same canonical table (docs/domain.md §3.1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.read.templates import load_hxl_tags, load_templates
from tests.conftest import RAW_DIR, ROOT

#: Where each layout's real file is: bundled in data/raw, or copied into the test fixtures.
FIVE_W_FILES = {path.name: path for path in [*(RAW_DIR / "monitoring_5w").glob("*.xlsx"), *(ROOT / "tests" / "fixtures" / "r4v").glob("*.xlsx")]}
LAYOUTS = {
    "rmrp2021_5w_activities_jan-may.xlsx": ("5w_2021", 22_496),
    "activities_5w_2022_southern_cone_aug.xlsx": ("5w_2022", 125),
    "activities_5w_2023_mexico_panama_jan.xlsx": ("5w_2023", 50),
    "activities_5w_2024_sample.xlsx": ("5w_2024", 50),
    "template_5w_2025_empty.xlsx": ("5w_2025", 0),
}


@pytest.fixture(scope="module")
def every_layout(tmp_path_factory):
    raw = tmp_path_factory.mktemp("layouts") / "raw"
    shutil.copytree(RAW_DIR / "reference", raw / "reference")
    for name in LAYOUTS:
        shutil.copy(FIVE_W_FILES[name], raw / name)
    return ingest_raw_folder(raw)


@pytest.mark.e2e
def test_each_layout_is_recognised_with_its_full_row_count(every_layout):
    files = every_layout.tables["raw.source_files"].set_index("source_file")
    staged = every_layout.tables["staging.stg_5w__activities"]
    for name, (template, rows) in LAYOUTS.items():
        assert files.loc[name, "template_id"] == template, name
        assert files.loc[name, "rows_read"] == rows, name
        assert (staged["source_file"] == name).sum() == rows, name
    assert set(staged.columns) >= {"country_iso3", "month", "new_beneficiaries", "other_above_18", "admin2"}


def _rewrite(source: Path, target: Path, headers: list[str], hxl: list[str] | None = None) -> None:
    rows = list(openpyxl.load_workbook(source, read_only=True).worksheets[0].iter_rows(values_only=True))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    if hxl:
        sheet.append(hxl)
    for values in rows[1:]:
        sheet.append(list(values))
    book.save(target)


@pytest.mark.parametrize("variant", ["5w_es", "5w_pt", "hxl"])
def test_the_same_rows_with_spanish_portuguese_or_hxl_headers_load_identically(tmp_path, variant):
    source = FIVE_W_FILES["activities_5w_2023_mexico_panama_jan.xlsx"]
    english = load_templates()["5w_2023"].columns
    original = list(next(openpyxl.load_workbook(source, read_only=True).worksheets[0].iter_rows(values_only=True)))
    canonical_of = {h: c for c, h in english.items()}
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "reference", raw / "reference")
    shutil.copy(source, raw / "english.xlsx")
    if variant == "hxl":
        tags = load_hxl_tags()
        headers = [f"Columna {i}" for i in range(len(original))]
        _rewrite(source, raw / "variant.xlsx", headers, [tags[("five_w", canonical_of[h])] for h in original])
    else:
        translated = load_templates()[variant].columns
        _rewrite(source, raw / "variant.xlsx", [translated[canonical_of[h]] for h in original])
    result = ingest_raw_folder(raw)
    files = result.tables["raw.source_files"].set_index("source_file")
    assert files.loc["variant.xlsx", "status"] == "recognised"
    staged = result.tables["staging.stg_5w__activities"]
    columns = [c for c in staged.columns if c not in {"source_file", "source_sheet", "source_row", "template_id"}]
    english_rows = staged[staged["source_file"] == "english.xlsx"][columns].reset_index(drop=True)
    variant_rows = staged[staged["source_file"] == "variant.xlsx"][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(english_rows, variant_rows)

"""The 5W staging in batches of whole files (sources/five_w/stage.py: batches, BATCH_ROWS): the
cut, the Arrow forms the batches are kept in, and that the rows and issues of two real reports
staged one file at a time are those of both staged together.

Real files: the bundled 2023 Mexico/Panama and 2022 Southern Cone 5W reports and the reference lists.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa

from rmrp_pipeline import ingest
from rmrp_pipeline.quality.issues import ISSUE_TABLE_COLUMNS, issue_arrow
from rmrp_pipeline.sources.five_w import stage
from rmrp_pipeline.sources.staging import concat_rows
from tests.conftest import RAW_DIR

FIVE_W = ["activities_5w_2023_mexico_panama_jan.xlsx", "activities_5w_2022_southern_cone_aug.xlsx"]


def _sheet(name: str, rows: int) -> tuple[SimpleNamespace, None]:
    return SimpleNamespace(source_file=name, rows_read=rows), None


def test_batches_hold_whole_files_up_to_the_row_limit_in_reading_order():
    sheets = [_sheet("a", 30_000), _sheet("b", 20_000), _sheet("b", 10_000), _sheet("c", 10_000),
              _sheet("d", 60_000), _sheet("e", 1)]
    cut = stage.batches(sheets, 50_000)
    # a alone (a + b = 60,000); b's two sheets together with c (40,000); d over the limit alone; e
    assert [[s.source_file for s, _r in batch] for batch in cut] == [["a"], ["b", "b", "c"], ["d"], ["e"]]


def test_narrow_indices_keeps_the_values_with_int16_indices_when_they_fit():
    small = pa.array(["x", None, "y", "x"]).dictionary_encode()
    large = pa.DictionaryArray.from_arrays(pa.array([0, 39_999], type=pa.int32()),
                                           pa.array([str(i) for i in range(40_000)]))
    table = stage.narrow_indices(pa.table({"small": small.slice(0, 2), "large": large, "n": pa.array([1, 2])}))
    assert table.schema.field("small").type == pa.dictionary(pa.int16(), pa.string())
    assert table.column("small").to_pylist() == ["x", None]
    assert table.schema.field("large").type == pa.dictionary(pa.int32(), pa.string())   # 40,000 values
    assert table.column("large").to_pylist() == ["0", "39999"]


def _issues(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ISSUE_TABLE_COLUMNS)


def test_concat_rows_keeps_an_issue_table_arrow_and_falls_back_to_a_frame():
    held = issue_arrow(_issues([("f.xlsx", "S", 5, "Admin1", "rule_a", "X", "message 5", "stg_5w__activities")]))
    added = _issues([("g.xlsx", "S", 7, "Admin1", "rule_b", None, "message 7", "stg_planning__pin_target")])
    both = concat_rows(held, added)
    assert isinstance(both, pa.Table)
    assert both.column("row_number").to_pylist() == [5, 7]
    assert both.column("value").to_pylist() == ["X", None]
    odd = _issues([("g.xlsx", "S", 8, "Admin1", "rule_b", 3.5, "message 8", "stg_planning__pin_target")])
    mixed = concat_rows(held, odd)   # a number where the Arrow table holds text: both as a frame
    assert isinstance(mixed, pd.DataFrame)
    assert mixed["value"].tolist() == ["X", 3.5]


def _with_five_w(raw: Path, names: list[str]) -> Path:
    """``raw`` (the reference lists: conftest ``reference_only``) with the bundled 5W files ``names``."""
    (raw / "monitoring_5w").mkdir()
    for name in names:
        shutil.copy(RAW_DIR / "monitoring_5w" / name, raw / "monitoring_5w" / name)
    return raw


def _together_and_apart(raw: Path, monkeypatch, tmp_path) -> tuple[ingest.IngestResult, ingest.IngestResult]:
    """The ingest of ``raw`` with the default batches, then with every file a batch of its own."""
    together = ingest.ingest_raw_folder(raw, cache_dir=tmp_path / "cache_together")
    monkeypatch.setattr(stage, "BATCH_ROWS", 1)
    return together, ingest.ingest_raw_folder(raw, cache_dir=tmp_path / "cache_apart")


def _all(result: ingest.IngestResult, table: str) -> list[tuple]:
    rows = result.for_warehouse(table)
    frame = rows.to_pandas() if isinstance(rows, pa.Table) else rows
    frame = frame.astype(object)
    return sorted(tuple("" if pd.isna(v) else str(v) for v in row) for row in frame.itertuples(index=False))


def test_files_staged_one_batch_each_give_the_rows_and_issues_of_one_batch(reference_only, monkeypatch, tmp_path):
    cuts: list[int] = []
    real = stage.batches

    def counted(sheets, rows):
        found = real(sheets, rows)
        cuts.append(len(found))
        return found

    monkeypatch.setattr(stage, "batches", counted)
    together, apart = _together_and_apart(_with_five_w(reference_only, FIVE_W), monkeypatch, tmp_path)
    assert cuts == [1, 2]   # both files in one batch, then one batch each
    for table in ("staging.stg_5w__activities", "meta.rejected_rows", "meta.quality_findings"):
        assert _all(apart, table) == _all(together, table), table
    assert len(_all(together, "staging.stg_5w__activities")) == 175   # both reports
    assert len(_all(together, "meta.quality_findings")) > 0


def test_a_batch_whose_column_is_all_empty_merges_with_the_batches_that_have_it(reference_only, tmp_path, monkeypatch):
    # The bundled 2025 template has no rows: alone in its batch, its month (and every other
    # column) is all empty, while the 2022 report's months are dates.
    raw = _with_five_w(reference_only, ["activities_5w_2022_southern_cone_aug.xlsx", "template_5w_2025_empty.xlsx"])
    together, apart = _together_and_apart(raw, monkeypatch, tmp_path)
    for table in ("staging.stg_5w__activities", "meta.rejected_rows", "meta.quality_findings"):
        assert _all(apart, table) == _all(together, table), table
    rows = apart.for_warehouse("staging.stg_5w__activities")
    months = rows.column("month").to_pylist() if isinstance(rows, pa.Table) else rows["month"].tolist()
    assert len(months) == 125   # the 2022 report's rows (the template has none)
    assert {str(m) for m in months} == {"2022-08-01"}

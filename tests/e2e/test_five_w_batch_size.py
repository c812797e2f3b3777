"""``rmrp run`` gives the same warehouse whatever the size of the 5W staging batches
(sources/five_w/stage.py, BATCH_ROWS): every file a batch of its own against the default.

The raw folder: the 2021 reference lists, the bundled 2022 Southern Cone report and a corrected
version of it (``_v2``, one count changed: the resubmission pair falls in two batches), the 2023
Mexico/Panama report, and the 2025 template without rows (a batch whose columns have no value).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.sources.five_w import stage
from tests.conftest import RAW_DIR, compare_warehouses

SOUTHERN_CONE = "activities_5w_2022_southern_cone_aug.xlsx"
OTHERS = ("activities_5w_2023_mexico_panama_jan.xlsx", "template_5w_2025_empty.xlsx")


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batches") / "raw"
    shutil.copytree(RAW_DIR / "reference", folder / "reference")
    five_w = folder / "monitoring_5w"
    five_w.mkdir()
    for name in (SOUTHERN_CONE, *OTHERS):
        shutil.copy(RAW_DIR / "monitoring_5w" / name, five_w / name)
    book = openpyxl.load_workbook(five_w / SOUTHERN_CONE)
    sheet = book.active
    column = [cell.value for cell in sheet[1]].index("New_beneficiaries") + 1
    sheet.cell(row=3, column=column).value = 777
    book.save(five_w / SOUTHERN_CONE.replace(".xlsx", "_v2.xlsx"))
    return folder


def _run(raw: Path, warehouse: Path) -> None:
    code = main(["run", "--quiet", "--raw-dir", str(raw), "--warehouse", str(warehouse)])
    assert code == 0


def test_every_file_a_batch_of_its_own_gives_the_warehouse_of_the_default_batches(raw, tmp_path, monkeypatch):
    default, apart = tmp_path / "default" / "rmrp.duckdb", tmp_path / "apart" / "rmrp.duckdb"
    _run(raw, default)
    monkeypatch.setattr(stage, "BATCH_ROWS", 1)
    _run(raw, apart)
    assert compare_warehouses.compare(default, apart) == ([], [])
    with duckdb.connect(str(apart), read_only=True) as con:
        files = dict(con.execute("SELECT source_file, count(*) FROM staging.stg_5w__activities GROUP BY 1").fetchall())
        changed = con.execute("SELECT new_beneficiaries FROM staging.stg_5w__activities "
                              "WHERE source_file LIKE '%_v2.xlsx' AND source_row = 3").fetchall()
    # the corrected version replaces the report (125 rows); the Mexico/Panama report's 50; the template none
    assert files == {f"monitoring_5w/{SOUTHERN_CONE.replace('.xlsx', '_v2.xlsx')}": 125,
                     f"monitoring_5w/{OTHERS[0]}": 50}
    assert changed == [(777,)]

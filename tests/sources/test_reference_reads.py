"""The test processes' one reading of each bundled reference list (tests/conftest.py,
``_bundled_reference_lists_read_once``) stages the same tables as a reading of the files afresh."""

from __future__ import annotations

import functools

import pandas as pd

from rmrp_pipeline import ingest
from rmrp_pipeline.read import recognise
from tests import conftest


def test_the_reference_lists_read_once_stage_every_table_as_when_read_afresh(reference_only, monkeypatch):
    reads: list[str] = []

    def counted(path, sheet_name, name):
        reads.append(f"{name}!{sheet_name}")
        return recognise.read_and_recognise(path, sheet_name, name)

    monkeypatch.setattr(conftest, "_REFERENCE_SHEETS", {})
    monkeypatch.setattr(ingest, "read_and_recognise", functools.partial(conftest._read_once, counted))
    ingest.ingest_raw_folder(reference_only)
    # R4V's 2022 template: five sheets; the four 2021 workbooks one each; the platform CSV one
    assert len(reads) == 10 and "reference/rmrp2022_5w_template_with_indicators.xlsx!Admin1" in reads
    reads.clear()
    kept = ingest.ingest_raw_folder(reference_only)
    assert reads == []
    monkeypatch.setattr(ingest, "read_and_recognise", recognise.read_and_recognise)
    afresh = ingest.ingest_raw_folder(reference_only)

    assert sorted(kept.tables) == sorted(afresh.tables)
    assert all(len(afresh.tables[f"staging.ref_{t}"]) for t in ("countries", "organisations", "indicators", "admin1"))
    for table in afresh.tables:
        pd.testing.assert_frame_equal(kept.tables[table].drop(columns=["read_at"], errors="ignore"),
                                      afresh.tables[table].drop(columns=["read_at"], errors="ignore"))

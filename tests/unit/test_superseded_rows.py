"""``sources.five_w.resubmissions.superseded_rows`` on rows whose key is incomplete (docs/input-rules.md
§9): such a row goes with its file only when a newer version replaced every complete key of it."""

from __future__ import annotations

import pandas as pd

from rmrp_pipeline.sources.five_w.resubmissions import superseded_rows


def _rows(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """(file, organisation identifier, month) per row; Mexico, organisation names left empty."""
    return pd.DataFrame({"source_file": [r[0] for r in rows], "appealing_org_id": [r[1] for r in rows],
                         "appealing_org": [None] * len(rows), "country_iso3": ["MEX"] * len(rows),
                         "month": [r[2] for r in rows]})


def test_a_row_without_month_goes_with_a_file_wholly_replaced():
    found = superseded_rows(_rows([("m/x.xlsx", "UNHCR", "2023-01-01"), ("m/x.xlsx", "UNHCR", None),
                                   ("m/x_v2.xlsx", "UNHCR", "2023-01-01")]))
    assert found.rows.tolist() == [True, True, False]
    assert found.by.tolist() == ["m/x_v2.xlsx", "m/x_v2.xlsx", None]


def test_a_row_without_month_stays_while_its_file_keeps_a_key():
    found = superseded_rows(_rows([("m/x.xlsx", "UNHCR", "2023-01-01"), ("m/x.xlsx", "IOM", "2023-01-01"),
                                   ("m/x.xlsx", "UNHCR", None), ("m/x_v2.xlsx", "UNHCR", "2023-01-01")]))
    assert found.rows.tolist() == [True, False, False, False]
    assert found.by.tolist() == ["m/x_v2.xlsx", None, None, None]


def test_files_of_different_families_supersede_nothing():
    assert superseded_rows(_rows([("m/x.xlsx", "UNHCR", "2023-01-01"), ("m/y.xlsx", "UNHCR", "2023-01-01")])) is None

"""``sources.five_w.resubmissions.superseded_rows`` on rows whose key is incomplete (docs/input-rules.md
§9): such a row goes with its file only when a newer version replaced every complete key of it; and
``drop_superseded``: a superseded row's issues go with it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from rmrp_pipeline.quality.issues import issue_arrow
from rmrp_pipeline.sources.five_w.cached import ISSUE_TABLES
from rmrp_pipeline.sources.five_w.resubmissions import drop_superseded, superseded_rows
from rmrp_pipeline.sources.five_w.stage import TABLE
from rmrp_pipeline.sources.staging import Staging


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


def _issues(keys: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame({"source_file": [k[0] for k in keys], "sheet": [k[1] for k in keys],
                         "row_number": [k[2] for k in keys], "column": "Month", "rule": "r", "value": None,
                         "message": "m", "produced_by": "stg_5w__activities"})


@pytest.mark.parametrize("as_arrow", [True, False], ids=["issues as Arrow", "issues as a frame"])
def test_the_issues_of_superseded_rows_go_with_them_and_the_others_stay(as_arrow):
    rows = _rows([("m/x.xlsx", "UNHCR", "2023-01-01"), ("m/x.xlsx", "IOM", "2023-02-01"),
                  ("m/x_v2.xlsx", "UNHCR", "2023-01-01")]).assign(source_sheet="5W", source_row=[2, 3, 2])
    staging = Staging()
    staging.tables[TABLE] = rows
    for name in ("m/x.xlsx", "m/x_v2.xlsx"):
        staging.log({"source_file": name, "sheet": "5W", "status": "recognised", "message": ""})
    # row 2 of x.xlsx is replaced by x_v2.xlsx; row 3 of x.xlsx (IOM, February) and row 2 of the v2 stay
    issues = _issues([("m/x.xlsx", "5W", 2), ("m/x.xlsx", "5W", 3), ("m/x_v2.xlsx", "5W", 2),
                      ("m/x.xlsx", "5W", 2), ("m/x.xlsx", "Other sheet", 2)])
    for name in ISSUE_TABLES:
        staging.tables[name] = issue_arrow(issues) if as_arrow else issues
    drop_superseded(staging, TABLE)
    assert staging.tables[TABLE]["source_row"].tolist() == [3, 2]
    for name in ISSUE_TABLES:
        left = staging.tables[name]
        left = left.to_pandas() if isinstance(left, pa.Table) else left
        assert list(zip(left["source_file"], left["sheet"], left["row_number"])) == [
            ("m/x.xlsx", "5W", 3), ("m/x_v2.xlsx", "5W", 2), ("m/x.xlsx", "Other sheet", 2)]

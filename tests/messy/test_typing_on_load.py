"""Messy input: types come from the schema, never from a sample of the data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from rmrp_pipeline.warehouse import db as warehouse
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows


def test_text_late_in_a_number_column_rejects_that_row_and_keeps_the_column_numeric(reference_only, tmp_path):
    rows = [row() for _ in range(1200)] + [row(**{"Men.above.18": "tres"})] + [row() for _ in range(5)]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, _findings, log = ingest(reference_only)
    assert log["rows_read"] == 1206
    assert rejects[["row_number", "column", "rule"]].values.tolist() == [[1202, "Men.above.18", "number_unreadable"]]
    frame = staged(result)
    assert frame["is_rejected"].sum() == 1 and len(frame) == 1206
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    warehouse.replace_table(con, "staging.stg_5w__activities", frame)
    types = {name: kind for name, kind, _c in warehouse.table_columns(con, "staging.stg_5w__activities")}
    assert types["men"] == "BIGINT" and types["month"] == "DATE" and types["cva"] == "BOOLEAN"
    assert con.execute("SELECT sum(men) FROM staging.stg_5w__activities").fetchone()[0] == 3 * 1205


def test_a_value_of_the_wrong_type_fails_the_load_loudly(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    bad = pd.DataFrame({"plan_year": ["2023"], "platform": ["Brazil"], "check_name": ["x"], "status": ["ok"],
                        "published_low": ["not a number"]})
    with pytest.raises(duckdb.Error):
        warehouse.replace_table(con, "meta.reconciliation", bad)

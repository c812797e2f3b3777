"""The reporting cycles a run builds, read from the staged 5W rows (``marts.builds.cycles_in_warehouse``)."""

from __future__ import annotations

import datetime as dt

import duckdb

from rmrp_pipeline.marts import builds
from rmrp_pipeline.warehouse import db as warehouse


def test_cycles_come_from_the_months_of_rows_not_rejected():
    con = duckdb.connect()
    warehouse.create_table(con, "staging.stg_5w__activities")
    rows = [(dt.date(2021, 3, 1), False), (dt.date(2021, 3, 1), False),   # 2021 January-June: 2021-H1
            (dt.date(2021, 11, 1), False),                                 # July-December: 2021-H2
            (dt.date(2022, 2, 1), True),                                   # rejected only: no 2022 cycle
            (None, False)]                                                  # no month: no cycle
    con.executemany("INSERT INTO staging.stg_5w__activities (month, is_rejected) VALUES (?, ?)", rows)
    assert builds.cycles_in_warehouse(con) == ["2021-H1", "2021-H2"]
    con.execute("INSERT INTO staging.stg_5w__activities (month, is_rejected) VALUES ('2022-02-01', FALSE)")
    assert builds.cycles_in_warehouse(con) == ["2021-H1", "2021-H2", "2022-H1"]

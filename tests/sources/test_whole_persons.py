"""Counts of persons are whole numbers in the warehouse (BIGINT), USD amounts are to the cent
(DECIMAL(18,2)): a count written 10.0 loads as 10, a total of 10.5 is rejected, a fractional
breakdown (R4V's 2021 apportioned cells) is loaded as whole persons that still add up."""

from __future__ import annotations

import duckdb
import numpy as np

from rmrp_pipeline.sources.five_w.stage import apportion_whole
from rmrp_pipeline.warehouse import db as warehouse
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows


def test_an_apportioned_breakdown_is_rounded_by_largest_remainder_within_the_row():
    nan = np.nan
    block = np.array([
        [8.37, 0.36, 0.27, nan, 0.0],     # 9 as written: 8 + 0 + 0 floors, the remaining person to 0.37
        [88.27, 1.82, 0.91, 0.0, 0.0],    # 91: 88 + 1 + 0 floors, two more to 0.91 and 0.82
        [1.0, 2.0, 3.0, 4.0, nan],        # whole: kept
        [0.5, 0.5, nan, nan, nan],        # a tie: the first column
        [nan, nan, nan, nan, nan],        # empty: stays empty
    ])
    whole = apportion_whole(block)
    np.testing.assert_array_equal(whole, np.array([
        [9, 0, 0, nan, 0], [88, 2, 1, 0, 0], [1, 2, 3, 4, nan], [1, 0, nan, nan, nan], [nan] * 5]))
    np.testing.assert_array_equal(np.nansum(whole, axis=1), np.round(np.nansum(block, axis=1)))


def test_counts_load_as_whole_persons_and_amounts_to_the_cent(reference_only, tmp_path):
    destination, transit = "Refugees.and.Migrants.IN.DESTINATION", "Refugees.and.Migrants.IN.TRANSIT"
    rows = [
        row(**{"New.beneficiaries.of.the.month": 10.0, "Total.monthly.beneficiaries": 12.0}),   # 2
        row(**{"Total.monthly.beneficiaries": 12.5}),                                               # 3: a reject
        row(**{destination: 9.63, transit: 0.37}),                                                   # 4: apportioned
        row(CVA="Yes", **{"Value.of.Transfer.in.USD": 102.0134228, "Delivery.Mechanism": "Cash"}),  # 5
    ]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, findings, _log = ingest(reference_only)
    assert rejects[["row_number", "rule"]].values.tolist() == [[3, "count_not_whole"]]
    assert rejects["value"].tolist() == ["12.5"]
    assert findings.loc[findings["rule"] == "breakdown_not_whole", ["row_number", "value"]].values.tolist() == [
        [4, "9.63"], [4, "0.37"]]
    frame = staged(result)
    assert frame["new_beneficiaries"].tolist()[0] == 10 and frame["total_monthly"].tolist()[0] == 12
    assert frame["total_monthly"].isna().tolist() == [False, True, False, False]
    assert frame[["in_destination", "in_transit"]].values.tolist()[2] == [10, 0]
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    warehouse.replace_table(con, "staging.stg_5w__activities", result.tables["staging.stg_5w__activities"])
    types = dict(warehouse.column_types(con, "staging.stg_5w__activities"))
    assert {types[c] for c in ("total_monthly", "new_beneficiaries", "in_destination", "girls", "other_above_18")} == {"BIGINT"}
    assert types["value_usd"] == "DECIMAL(18,2)" and types["quantity_output"] == "DOUBLE"
    assert con.execute(
        "SELECT total_monthly, in_destination, in_transit, CAST(value_usd AS VARCHAR) FROM staging.stg_5w__activities "
        f"WHERE source_file = '{PARTNER_FILE}' ORDER BY source_row").fetchall() == [
        (12, 10, 0, None), (None, 10, 0, None), (12, 10, 0, None), (12, 10, 0, "102.01")]

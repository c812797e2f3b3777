"""The RMRP 2021 export's apportioned population-type cells, loaded as whole persons.

R4V's 2021 export holds rows whose five population-type cells are fractions (R4V apportioned the
totals with fixed proportions). The warehouse stores persons as BIGINT: such a row's breakdown is
rounded by largest remainder within the row (docs/data_dictionary.md, "Counts are whole persons").
The cells as written are read here straight from the file, independently of the pipeline's reader.
"""

from __future__ import annotations

import fastexcel
import numpy as np
import pytest

from tests.conftest import FIVE_W_2021

POPULATION_TYPES = {
    "in_destination": "Refugees.and.Migrants.IN.DESTINATION",
    "in_transit": "Refugees.and.Migrants.IN.TRANSIT",
    "host_community": "Host.Communities.Beneficiaries",
    "pendular": "Refugees.and.Migrants.PENDULARS",
    "returnees": "Colombian.Returnees",
}


@pytest.fixture(scope="module")
def written_and_loaded(built_warehouse):
    """(cells as written, float; cells as loaded, float), row-aligned on the Excel row number."""
    import duckdb

    sheet = fastexcel.read_excel(FIVE_W_2021).load_sheet(0).to_pandas()
    written = sheet[list(POPULATION_TYPES.values()) + ["New.beneficiaries.of.the.month"]].apply(
        lambda column: column.astype(float))
    written.index = np.arange(len(sheet)) + 2          # Excel row: the header is row 1
    with duckdb.connect(str(built_warehouse[0]), read_only=True) as con:
        loaded = con.execute(
            f"SELECT source_row, {', '.join(POPULATION_TYPES)}, new_beneficiaries FROM marts.fct_activities "
            "WHERE source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx' ORDER BY source_row").df()
    loaded = loaded.set_index("source_row").astype(float)
    return written.loc[loaded.index], loaded


def test_the_2021_export_has_791_rows_of_apportioned_breakdowns_all_loaded(written_and_loaded):
    written, loaded = written_and_loaded
    cells = written[list(POPULATION_TYPES.values())].to_numpy()
    fractional = (np.abs(cells - np.round(cells)) > 1e-9).any(axis=1)   # NaN compares False
    assert len(loaded) == 22_496
    assert fractional.sum() == 791


def test_whole_persons_keep_every_whole_cell_and_every_row_sum(written_and_loaded):
    """Whole cells load unchanged; each fractional cell moves by less than one person; each row's
    breakdown still adds up to its sum as written, rounded; new beneficiaries never move."""
    written, loaded = written_and_loaded
    cells = written[list(POPULATION_TYPES.values())].to_numpy()
    whole = loaded[list(POPULATION_TYPES)].to_numpy()
    fractional = (np.abs(cells - np.round(cells)) > 1e-9).any(axis=1)

    np.testing.assert_array_equal(np.isnan(whole), np.isnan(cells))
    np.testing.assert_array_equal(whole[~fractional], cells[~fractional])
    assert np.nanmax(np.abs(whole[fractional] - cells[fractional])) < 1
    np.testing.assert_array_equal(np.nansum(whole[fractional], axis=1), np.round(np.nansum(cells[fractional], axis=1)))
    np.testing.assert_array_equal(loaded["new_beneficiaries"].to_numpy(),
                                  written["New.beneficiaries.of.the.month"].to_numpy())


def test_each_apportioned_cell_is_a_finding_with_the_cell_as_written(built_warehouse, written_and_loaded):
    """Nothing is lost: the value as written of every fractional cell is in meta.quality_findings."""
    import duckdb

    written, _loaded = written_and_loaded
    with duckdb.connect(str(built_warehouse[0]), read_only=True) as con:
        findings = con.execute(
            "SELECT row_number, \"column\", value FROM meta.quality_findings WHERE rule = 'breakdown_not_whole' "
            "AND source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'").fetchall()
    expected = {(row, header) for header in POPULATION_TYPES.values()
                for row, value in written[header].items()
                if not np.isnan(value) and abs(value - round(value)) > 1e-9}
    assert {(row, column) for row, column, _value in findings} == expected
    assert all(abs(float(value) - written.at[row, column]) < 1e-9 for row, column, value in findings)

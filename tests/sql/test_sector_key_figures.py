"""marts.sector_key_figures when two published-figures workbooks give the same figure: the figure
is the one of the first workbook by path (then sheet, row and column), whatever order the rows are stored
in. The ingest rewrites only the rows of the files that changed (``warehouse.db.sync_table``), so a
changed workbook's rows are stored after the others': a warehouse built again over an existing one
must give the figures a clean build gives.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from rmrp_pipeline.marts import builds
from rmrp_pipeline.warehouse import db as warehouse

KEY = {"plan_year": 2022, "level": "regional", "platform": "Regional", "sector": "Intersector",
       "population_type": "all", "age_gender": None, "source_kind": "published", "source_sheet": "key_figures",
       "source_row": 2}
#: The same two figures printed in two workbooks: planning/a.xlsx comes first by path.
FIRST = [{**KEY, "measure": "people_in_need", "value": 8_400_000.0, "published_text": "8.4 million",
          "source_file": "planning/a.xlsx", "source_column": "people_in_need"},
         {**KEY, "measure": "partners", "value": 192.0, "published_text": "192",
          "source_file": "planning/a.xlsx", "source_column": "partners"}]
SECOND = [{**row, "value": value, "published_text": text, "source_file": "planning/b.xlsx"}
          for row, value, text in zip(FIRST, (8_500_000.0, 193.0), ("8.5 million", "193"))]


def _key_figures(rows: list[dict]) -> tuple:
    con = duckdb.connect()
    try:
        for table in ("marts.fct_planning_figures", "staging.stg_planning__published_figures"):
            warehouse.create_table(con, table)
        warehouse.insert_frame(con, "marts.fct_planning_figures", pd.DataFrame(rows))
        builds.rebuild_table(con, "marts.sector_key_figures")
        return con.execute(
            "SELECT people_in_need, people_in_need_text, partners, partners_text FROM marts.sector_key_figures "
            "WHERE plan_year = 2022 AND platform = 'Regional' AND sector = 'Intersector'").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("rows", [FIRST + SECOND, SECOND + FIRST], ids=["stored in path order", "stored in reverse"])
def test_a_figure_given_by_two_workbooks_is_the_first_workbooks(rows):
    assert _key_figures(rows) == [(8_400_000.0, "8.4 million", 192.0, "192")]


#: One row of one workbook giving the PiN in two columns: the first column by name gives it.
TWO_COLUMNS = [{**FIRST[0], "source_column": "people_in_need"},
               {**FIRST[0], "value": 8_450_000.0, "published_text": "8.45 million", "source_column": "pin_total"}]


@pytest.mark.parametrize("rows", [TWO_COLUMNS, TWO_COLUMNS[::-1]], ids=["stored in column order", "stored in reverse"])
def test_a_figure_given_twice_in_one_row_is_the_first_columns(rows):
    assert _key_figures(rows + FIRST[1:]) == [(8_400_000.0, "8.4 million", 192.0, "192")]

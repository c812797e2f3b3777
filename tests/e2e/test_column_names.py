"""The preferred column names (docs/data_dictionary.md, "Column names across tables") stand beside the
old ones in every table that named the same thing otherwise, equal to them on every row."""

from __future__ import annotations

import pytest

PAIRS = [
    ("marts.reporting_completeness", "cycle", "reporting_cycle"),
    ("meta.rejected_rows", "source_sheet", "sheet"),
    ("meta.rejected_rows", "source_row", "row_number"),
    ("meta.quality_findings", "source_sheet", "sheet"),
    ("meta.quality_findings", "source_row", "row_number"),
    ("meta.load_log", "source_sheet", "sheet"),
    *((table, "sector", "subsector") for table in (
        "marts.people_reached_monthly", "marts.cycle_people_reached", "marts.cycle_outputs",
        "marts.cycle_trafficking_pillars", "marts.reporting_completeness")),
]


@pytest.mark.parametrize(("table", "preferred", "old"), PAIRS)
def test_the_preferred_name_equals_the_old_one(wh, table, preferred, old):
    rows, differ = wh.execute(f"SELECT count(*), count(*) FILTER (WHERE {preferred} IS DISTINCT FROM {old}) FROM {table}").fetchone()
    assert rows > 0 and differ == 0


def test_the_preferred_names_match_the_marts(wh):
    # a finding joins the 5W row it is about by the same names on both sides
    joined = wh.execute("SELECT count(*) FROM meta.quality_findings q JOIN marts.fct_activities a "
                        "USING (source_file, source_sheet, source_row)").fetchone()[0]
    on_old = wh.execute("SELECT count(*) FROM meta.quality_findings q JOIN marts.fct_activities a "
                        "ON a.source_file = q.source_file AND a.source_sheet = q.sheet AND a.source_row = q.row_number").fetchone()[0]
    assert joined == on_old > 10_000
    # the same cycle figure from two cycle marts, by the same names
    assert wh.execute("SELECT count(*) FROM marts.cycle_people_reached p JOIN marts.reporting_completeness r "
                      "USING (cycle, sector, country_iso3) WHERE p.level = 'country'").fetchone()[0] > 0

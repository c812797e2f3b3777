"""Messy input: months and dates, one convention per file."""

from __future__ import annotations

import pandas as pd
import pytest

from rmrp_pipeline.text.parsers import day_first_convention, parse_months
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows


@pytest.mark.parametrize(("text", "month"), [
    ("04_Abril", "2021-04"), ("Abril 2021", "2021-04"), ("abr-21", "2021-04"), ("marzo de 2021", "2021-03"),
    ("Março 2021", "2021-03"), ("setembro", "2021-09"), ("Dic", "2021-12"), ("2021-01", "2021-01"),
    ("2021-01-31", "2021-01"), ("May 2021", "2021-05"),
])
def test_a_month_written_in_any_of_its_forms_is_the_same_month(text, month):
    months, bad = parse_months(pd.Series([text], dtype=object), language="es", default_year=2021)
    assert not bad[0]
    assert months[0].strftime("%Y-%m") == month


@pytest.mark.parametrize("text", ["05_Abril", "2021-13", "Abrill", "13/13/2021", "31/02/2021", "abril", "primavera"])
def test_a_month_that_cannot_be_known_is_unreadable(text):
    # "abril" alone needs the template's year: none given here.
    _months, bad = parse_months(pd.Series([text], dtype=object), language="es", default_year=None)
    assert bad[0]


def test_text_dates_follow_one_convention_per_file():
    latin = pd.Series(["01/03/2021", "02/03/2021"], dtype=object)
    assert parse_months(latin, language="es")[0].dt.month.tolist() == [3, 3]   # day first
    assert parse_months(latin, language="en")[0].dt.month.tolist() == [1, 2]   # month first
    proven = pd.Series(["01/03/2021", "25/03/2021"], dtype=object)            # 25 can only be a day
    assert parse_months(proven, language="en")[0].dt.month.tolist() == [3, 3]
    assert day_first_convention(["03/25/2021"], "es") is False


def test_date_cells_in_the_month_column_are_their_month(reference_only):
    """A column of real date cells (fastexcel reads it as datetime64) and one with a typo year."""
    import datetime as dt

    rows = [row(**{"Reporting.Month": dt.datetime(2021, 3, 15)}), row(**{"Reporting.Month": dt.datetime(2021, 4, 1)})]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, _findings, _log = ingest(reference_only)
    assert rejects.empty
    assert [m.isoformat() for m in staged(result)["month"]] == ["2021-03-01", "2021-04-01"]
    months, bad = parse_months(pd.Series(pd.to_datetime(["2021-03-05", None])))
    assert months[0] == pd.Timestamp("2021-03-01") and not bad.any()

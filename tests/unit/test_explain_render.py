"""``rmrp explain``'s text for the terminal (reports/explain.py ``render``): file and sheet names come
from partners and may hold control characters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from rmrp_pipeline.reports.explain import Explanation, render


def test_partner_names_with_control_characters_are_shown_as_escapes():
    figure = {"country": "Peru", "level": "country", "admin1": None, "as_of": dt.date(2021, 5, 1),
              "people_targeted": None, "subsector": "Shelter", "cycle": "2021-H1", "consolidated_total": 12}
    rows = pd.DataFrame([{"file": "a\nb\x1b[2J.xlsx", "sheet": "S\u202eheet", "row": 4, "month": dt.date(2021, 3, 1),
                          "admin1": "Lima", "organisation": "Org\x07", "indicator_code": "RE-SH9",
                          "new_beneficiaries": 12, "findings": None}])
    text = render(Explanation(figure, ["model: sum"], rows))
    assert not any(ch in text for ch in "\x1b\x07\u202e")
    last = text.splitlines()[-1]
    assert "a\\nb\\x1b[2J.xlsx" in last and "S\\u202eheet" in last and "Org\\x07" in last

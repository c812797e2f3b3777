"""``read.files.report_version``: a version mark is a separate word at the end of a file's name
(docs/input-rules.md §9); a month and year written together (``nov2023``) is a date, not a version."""

from __future__ import annotations

import pytest

from rmrp_pipeline.read.files import report_version


@pytest.mark.parametrize(("name", "family", "rank"), [
    ("m/ecuador_5w_nov2023.xlsx", "m/ecuador_5w_nov2023", (0, 1)),
    ("m/ecuador_5w_nov23.xlsx", "m/ecuador_5w_nov23", (0, 1)),
    ("m/ecuador_5w_nov2023_v2.xlsx", "m/ecuador_5w_nov2023", (0, 2)),
    ("m/informe_prev2.xlsx", "m/informe_prev2", (0, 1)),
    ("m/informefinal.xlsx", "m/informefinal", (0, 1)),
    ("m/x_v2.xlsx", "m/x", (0, 2)),
    ("m/x-rev3.xlsx", "m/x", (0, 3)),
    ("m/x version 4.xlsx", "m/x", (0, 4)),
    ("m/x(1).xlsx", "m/x", (0, 2)),
    ("m/x_final (1).xlsx", "m/x", (1, 2)),
    ("m/X_v2_Final.xlsx", "m/x", (1, 2)),
])
def test_a_version_mark_is_a_separate_word_at_the_end(name, family, rank):
    assert report_version(name) == (family, rank)


def test_reports_of_two_months_are_not_versions_of_one_report():
    assert report_version("m/peru_nov2023.xlsx")[0] != report_version("m/peru_nov2024.xlsx")[0]

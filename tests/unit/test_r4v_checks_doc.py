"""docs/r4v-checks.md names real rules: every rule id in its "pipeline rule" columns is declared
for the 5W in ``quality.rules``, and every 5W rule whose source cites the page is on it."""

from __future__ import annotations

import re
from pathlib import Path

from rmrp_pipeline.quality import rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "r4v-checks.md"
#: Names in the pipeline column that are not rules: the load-log entry of an unrecognised sheet.
NOT_RULES = {"unknown_sheet"}


def _pipeline_column_ids() -> set[str]:
    """The backquoted names in the cells of every table column headed "pipeline rule"."""
    found: set[str] = set()
    column = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            column = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if column is None:
            column = cells.index("pipeline rule") if "pipeline rule" in cells else -1
        elif column >= 0 and not set(cells[0]) <= {"-"} and column < len(cells):
            found |= set(re.findall(r"`([a-z0-9_]+)`", cells[column]))
    return found


def test_every_rule_named_on_the_page_is_a_5w_rule():
    named = _pipeline_column_ids()
    assert len(named) > 30
    assert named - NOT_RULES <= set(rules.rules_for(rules.FIVE_W))


def test_every_rule_citing_the_page_is_on_it():
    citing = {rule_id for rule_id, rule in rules.rules_for(rules.FIVE_W).items() if "docs/r4v-checks.md" in rule.source}
    assert citing == {
        "people_type_population_breakdown", "people_type_age_gender_sum_mismatch", "people_type_no_beneficiaries",
        "beneficiaries_not_expected_for_type", "quantity_not_expected_for_type", "direct_assistance_total_missing",
        "new_beneficiaries_missing", "output_quantity_missing", "new_not_expected_for_type",
    }
    assert citing <= _pipeline_column_ids()

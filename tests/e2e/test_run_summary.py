"""The run summary `rmrp run` prints, read as an IM officer reads it: within 100 columns, each rule
with its meaning, the submission template's helper sheets apart from the problems, each cycle's
headline figures and the next step."""

from __future__ import annotations

import sys

import pytest

from rmrp_pipeline.quality.rules import RULES
from rmrp_pipeline.reports.summary import WIDTH, next_steps, rule_meaning


def _section(summary: str, title: str) -> list[str]:
    lines = summary.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_one_line_meaning(rule_id):
    meaning = rule_meaning(rule_id)
    assert meaning and "{" not in meaning and "\n" not in meaning and meaning[0].isupper()
    assert rule_id not in meaning


def test_meanings_leave_out_the_cell():
    assert rule_meaning("admin1_not_in_list") == "Admin1 is not in the R4V admin1 list for this country"
    assert rule_meaning("number_unreadable") == "A value is not a number we can read with certainty"
    assert rule_meaning("no_such_rule") == "no_such_rule"


def test_the_summary_fits_100_columns(built_warehouse):
    wide = [line for line in built_warehouse[2].splitlines() if len(line) > WIDTH]
    assert wide == []
    # the longest line of the intersector models (102 columns in one line) wraps, indented under it
    assert ("    Intersector: Southern Cone southernconemodel_2022 (pin 2022 proportions); every other platform\n"
            "      sum\n") in built_warehouse[2]


def test_each_rule_is_followed_by_its_meaning(built_warehouse):
    for title in ("Rejected rows per rule", "Quality findings per rule"):
        section = _section(built_warehouse[2], title)
        rows = section[3:]
        assert len(rows) % 2 == 0 and rows
        for rule_line, meaning in zip(rows[::2], rows[1::2]):
            rule = rule_line.split()[0]
            assert rule in RULES
            assert meaning.strip().rstrip("…") in rule_meaning(rule)


def test_helper_sheets_of_the_template_are_not_problems(built_warehouse):
    summary = built_warehouse[2]
    helpers = _section(summary, "Helper sheets of the submission template")
    assert "  planning/rmrp2023-2024_submission_template_en.xlsx [Year]" in helpers
    assert "  planning/rmrp2023-2024_submission_template_en.xlsx [Indicator_type]" in helpers
    assert "  planning/rmrp2023-2024_submission_filled_example.xlsx [Sheet1]" in helpers   # empty
    problems = _section(summary, "Not loaded") if "\nNot loaded" in summary else []
    assert not any("[Year]" in line or "[Indicator_type]" in line for line in problems)


def test_headline_figures_per_cycle(built_warehouse, wh):
    cycles = _section(built_warehouse[2], "Reporting cycles built")
    regional = dict(wh.execute("SELECT cycle, consolidated_total FROM marts.cycle_people_reached "
                               "WHERE level = 'regional' AND subsector = 'Intersector'").fetchall())
    assert regional["2021-H1"] == 3_149_943
    assert "    People reached, region: 3,149,943 by 2021-05" in cycles
    assert "      No target or PiN of 2021 for this level, place and sector." in cycles
    assert f"    People reached, region: {regional['2022-H2']:,.0f} by 2022-08" in cycles
    # Southern Cone: 3,205 (southernconemodel_2022 over the 106 rows R4V's 2022 registry types PiN,
    # tests/e2e/test_people_reached_2022.py) of the four countries' 131,510 targeted (the 2022 target
    # table) = 2.4%
    assert "    Southern Cone: 3,205, 2.4% of the target of 131,510" in cycles


def test_the_next_step_names_the_command_and_the_folder(built_warehouse):
    steps = _section(built_warehouse[2], "Next:")
    assert "  5W: rmrp qa --cycle 2023-H1  (any cycle above; run --qa writes every cycle's)" in steps
    assert any("rmrp_5w_qa_<cycle>.xlsx" in line for line in steps)
    assert any(line.startswith("  Submissions:") and "qa_submissions/" in line for line in steps)


def test_the_next_step_is_the_command_as_it_was_typed(monkeypatch):
    """Run as the Quick start runs it (``.venv/bin/rmrp``, not on the PATH), the suggested command is
    one that can be pasted; run some other way (``python -m``), it is ``rmrp``."""
    from rmrp_pipeline.cli import _command_typed

    monkeypatch.setattr(sys, "argv", [".venv/bin/rmrp", "run"])
    assert _command_typed() == ".venv/bin/rmrp"
    assert next_steps(["2021-H1"], "data/reports", _command_typed())[2] == (
        "  5W: .venv/bin/rmrp qa --cycle 2021-H1  (any cycle above; run --qa writes every cycle's)")
    monkeypatch.setattr(sys, "argv", ["/x/rmrp_pipeline/cli.py", "run"])
    assert _command_typed() == "rmrp"


def test_a_run_that_wrote_the_qa_workbooks_does_not_ask_for_them():
    steps = next_steps(["2021-H1", "2023-H1"], "data/reports", "rmrp", qa_written=True)
    assert steps[2] == "  5W: written by this run for every cycle above (listed at the end)"
    assert not any("qa --cycle" in line for line in steps)


def test_a_short_file_name_at_the_top_of_the_raw_folder_leaves_the_template_ids_whole():
    """Files in the raw folder's top beside the usual long paths: the long names take lines of their
    own and every template id is shown whole, within the width."""
    from rmrp_pipeline.reports.summary import _files_table

    log = [("notes.txt", "", "-", "unknown_sheet", 3, 0, 0, 0),
           ("platforms.csv", "", "reference_platform_country", "recognised", 17, 17, 0, 0),
           ("monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx", "Sheet1", "five_w_2021_activityinfo_export",
            "recognised", 22_496, 22_492, 4, 20_000)]
    lines = _files_table(log)
    assert all(len(line) <= WIDTH for line in lines)
    assert sum("five_w_2021_activityinfo_export recognised" in line for line in lines) == 1
    assert sum("reference_platform_country recognised" in line for line in lines) == 1
    assert "  monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx" in lines and not any("…" in line for line in lines)


def test_a_rule_meaning_names_the_value_it_leaves_out_and_is_never_taken_for_a_cut():
    assert rule_meaning("population_types_sum_mismatch") == (
        "The population types add up to [value], not to the new beneficiaries")
    assert rule_meaning("cell_error") == "A column holds the spreadsheet error [value]"
    assert not any("…" in rule_meaning(rule) for rule in RULES)

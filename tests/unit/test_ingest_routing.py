"""The ingest's registry of stagers: every template kind has one stager, and the steps run in the
order they declare."""

from __future__ import annotations

import pytest

from rmrp_pipeline import ingest
from rmrp_pipeline.read.templates import load_templates
from rmrp_pipeline.sources.staging import Stager, Step


def _stager(kinds: set[str], *steps: tuple[str, tuple[str, ...]]) -> Stager:
    stager = Stager()
    stager.kinds = frozenset(kinds)
    stager.steps = lambda: [Step(name, lambda _staging: None, after) for name, after in steps]
    return stager


def test_every_template_kind_has_one_stager():
    by_kind = ingest.stagers_by_kind(make() for make in ingest.STAGERS)
    assert {t.kind for t in load_templates().values()} <= set(by_kind)


def test_a_kind_taken_twice_is_an_error():
    with pytest.raises(ValueError, match="'five_w' is taken by"):
        ingest.stagers_by_kind([_stager({"five_w"}), _stager({"five_w", "admin1"})])


def test_the_reference_lists_come_first_and_the_pin_rule_of_the_5w_after_the_planning_tables():
    every = [step.name for step in ingest.ordered_steps(make() for make in ingest.STAGERS)]
    # the steps that compare 5W files run after the 5W staging and before the PiN rule
    cross_file = ["five_w_resubmissions", "five_w_cross_file", "five_w_copied_rows"]
    assert every[every.index("five_w") + 1: every.index("five_w") + 4] == cross_file
    steps = [name for name in every if name not in cross_file]
    assert steps == ["reference", "five_w", "planning", "five_w_above_pin", "published_figures"]


def test_steps_keep_the_registry_order_unless_after_says_otherwise():
    stagers = [_stager(set(), ("a", ("c",)), ("b", ())), _stager(set(), ("c", ()), ("d", ("a",)))]
    assert [s.name for s in ingest.ordered_steps(stagers)] == ["b", "c", "a", "d"]


@pytest.mark.parametrize(("steps", "error"), [
    ([("a", ("nowhere",))], "no stager declares"),
    ([("a", ("b",)), ("b", ("a",))], "wait on each other"),
    ([("a", ()), ("a", ())], "declared twice"),
])
def test_a_step_order_that_cannot_be_kept_is_an_error(steps, error):
    with pytest.raises(ValueError, match=error):
        ingest.ordered_steps([_stager(set(), *steps)])

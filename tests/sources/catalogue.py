"""``@breaks(input, *rule_ids)``: marks a test that feeds input rows breaking those rules and asserts
that each is reported. ``tests/sources/test_rule_catalogue.py`` reads the marks (by parsing the test
files, so it needs string literals) and checks that every rule declared for an input is broken by
some test."""

from __future__ import annotations

from collections.abc import Callable

from rmrp_pipeline.quality import rules


def breaks(source: str, *rule_ids: str) -> Callable[[Callable], Callable]:
    declared = rules.rules_for(source)
    unknown = [rule_id for rule_id in rule_ids if rule_id not in declared]
    assert rule_ids and not unknown, f"rules not declared for input {source!r}: {unknown}"

    def mark(test: Callable) -> Callable:
        return test

    return mark

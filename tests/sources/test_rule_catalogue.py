"""The list of rules and the list of checks agree: every rule declared in ``quality.rules`` for an
input has a check registered for that input (``quality.checks``) and a test that breaks it
(``@breaks`` in tests/), and every registered check is of a declared rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rmrp_pipeline.quality import rules
from rmrp_pipeline.quality.checks import check, registered_checks

TESTS = Path(__file__).resolve().parents[1]
KEY_FIGURES_READER = Path(rules.__file__).resolve().parents[1] / "sources" / "planning" / "key_figures.py"
#: The modules that register the checks of each input (registration happens on import).
STAGING_MODULES = {
    rules.FIVE_W: ["rmrp_pipeline.sources.five_w.checks", "rmrp_pipeline.sources.five_w.outliers",
                   "rmrp_pipeline.sources.five_w.history"],
    rules.PIN_TARGET: ["rmrp_pipeline.sources.planning.pin_target"],
    rules.PROPORTIONS: ["rmrp_pipeline.sources.planning.pin_target"],
    rules.SUBMISSIONS: ["rmrp_pipeline.sources.planning.submissions"],
    rules.KEY_FIGURES: ["rmrp_pipeline.sources.planning.key_figures"],
}


def _checked(source: str) -> set[str]:
    for module in STAGING_MODULES[source]:
        __import__(module)
    return set(registered_checks(source))


def _key_figures_rule_ids() -> dict[str, set[str]]:
    """rule id -> the functions of the key-figures reader that write it into a reject or a
    finding, read from its source: the ``rule`` argument of ``book.reject(sheet, row, column,
    letter, rule, problem)`` and of a local ``reject(rule, problem)``, and the ``"rule"`` of a finding."""
    found: dict[str, set[str]] = {}
    tree = ast.parse(KEY_FIGURES_READER.read_text(encoding="utf-8"))
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(function):
            rule = None
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                position = {6: 4, 2: 0}.get(len(node.args)) if name == "reject" else None
                if position is not None and isinstance(node.args[position], ast.Constant):
                    rule = node.args[position].value
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "rule" and isinstance(value, ast.Constant):
                        rule = value.value
            if rule is not None and function.name not in ("reject",):
                found.setdefault(rule, set()).add(function.name)
    return found


def test_the_key_figures_checks_registered_are_the_functions_that_write_each_rule():
    __import__("rmrp_pipeline.sources.planning.key_figures")
    registered = {rule_id: {f.__name__ for f in functions}
                  for rule_id, functions in registered_checks(rules.KEY_FIGURES).items()}
    assert registered == _key_figures_rule_ids()


def _broken_by_tests() -> dict[tuple[str, str], list[str]]:
    """(input, rule id) -> the tests marked ``@breaks(input, rule_id, ...)``."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "breaks":
                    source, *rule_ids = (arg.value for arg in decorator.args)
                    assert node.name.startswith("test_"), f"{path.name}: @breaks on {node.name}, which pytest does not run"
                    for rule_id in rule_ids:
                        found.setdefault((source, rule_id), []).append(f"{path.relative_to(TESTS.parent)}::{node.name}")
    return found


@pytest.mark.parametrize("source", list(rules.INPUTS))
def test_every_declared_rule_has_a_check_and_every_check_a_declared_rule(source):
    declared, checked = set(rules.rules_for(source)), _checked(source)
    assert declared - checked == set(), f"rules of {source} without a check"
    assert checked - declared == set(), f"checks of {source} whose rule is not declared for it"


@pytest.mark.parametrize("source", list(rules.INPUTS))
def test_every_declared_rule_is_broken_by_a_test(source):
    broken = {rule_id for (input_, rule_id) in _broken_by_tests() if input_ == source}
    assert set(rules.rules_for(source)) - broken == set(), f"rules of {source} that no @breaks test breaks"


def test_a_check_of_an_undeclared_rule_is_refused_at_registration():
    with pytest.raises(ValueError, match="does not declare"):
        check("no_such_rule", source=rules.FIVE_W)(lambda frame: frame)
    with pytest.raises(ValueError, match="does not declare"):
        check("platform_not_r4v", source=rules.FIVE_W)(lambda frame: frame)  # a PiN/target rule, not a 5W one


def test_every_rule_says_where_it_comes_from():
    for rule in [*rules.RULES.values(), *rules.KEY_FIGURES_REJECTS.values()]:
        assert rule.source.strip() and "issue" not in rule.source.lower(), rule.rule_id
        assert rule.message_en.strip() and rule.message_es.strip(), rule.rule_id

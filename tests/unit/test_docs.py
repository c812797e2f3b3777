"""docs/input-rules.md stays in step with the code: the committed page is what
``scripts/generate_input_rules.py`` writes from the rule declarations and the 5W templates, and every
rule and 5W column is explained in English and in Spanish."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.templates import load_templates

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "input-rules.md"
ENGLISH, SPANISH = "## English", "## Español"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_input_rules", ROOT / "scripts" / "generate_input_rules.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _sections() -> tuple[str, str]:
    text = DOC.read_text(encoding="utf-8")
    assert ENGLISH in text and SPANISH in text, "the page has an English and a Spanish section"
    english, spanish = text.split(SPANISH, 1)
    return english.split(ENGLISH, 1)[1], spanish


def test_every_rule_is_explained_in_english_and_in_spanish():
    english, spanish = _sections()
    for rule_id in [*rules.RULES, *rules.KEY_FIGURES_REJECTS]:
        assert f"`{rule_id}`" in english, f"rule {rule_id} is missing from the English part of {DOC.name}"
        assert f"`{rule_id}`" in spanish, f"rule {rule_id} is missing from the Spanish part of {DOC.name}"


def test_every_key_figures_rule_has_its_spanish_text():
    from rmrp_pipeline.sources.planning.key_figures import REJECT_RULES

    assert set(rules.KEY_FIGURES_REJECTS) == set(REJECT_RULES)
    for rule in rules.KEY_FIGURES_REJECTS.values():
        assert rule.message_es.strip() and rule.message_es != rule.message_en, rule.rule_id


def test_every_5w_column_is_in_the_page():
    english, spanish = _sections()
    for template in load_templates().values():
        if template.kind == "five_w":
            for header in template.columns.values():
                assert f"`{header}`" in english and f"`{header}`" in spanish, header


def test_the_committed_page_is_what_the_generator_writes():
    text = DOC.read_text(encoding="utf-8")
    assert _generator().render(text) == text, f"{DOC.name} is out of date: run .venv/bin/python scripts/generate_input_rules.py"


def test_the_generator_fills_every_block_from_the_declarations():
    generator = _generator()
    text = DOC.read_text(encoding="utf-8")
    emptied = generator.BLOCK.sub(lambda m: m.group(1) + m.group(4), text)
    assert emptied != text
    assert generator.render(emptied) == text
    english = generator.rules_table("en")
    for rule in rules.RULES.values():
        assert f"| `{rule.rule_id}` |" in english

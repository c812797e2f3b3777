"""docs/input-rules.md stays in step with the code.

The tables of rules and of 5W columns in ``docs/input-rules.md`` are generated from
``rmrp_pipeline.rules.RULES``, ``rmrp_pipeline.planning.REJECT_RULES`` and the 5W templates of
``rmrp_pipeline/layouts``; the tests fail when a rule (or a 5W column) is missing from the page or
the page's tables are out of date.
To rewrite the generated tables after changing the code::

    .venv/bin/python tests/test_docs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.templates import load_templates
from rmrp_pipeline.sources.five_w.columns import (
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    TEXT_COLUMNS,
    YES_NO_COLUMNS,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "input-rules.md"
ENGLISH, SPANISH = "## English", "## Español"

_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z0-9-]+) .*?-->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)

_SEVERITY = {
    "en": {rules.REJECT: "**reject**: the row is not loaded", rules.FINDING: "finding: the row is loaded and counted"},
    "es": {rules.REJECT: "**rechazo**: la fila no se carga", rules.FINDING: "hallazgo: la fila se carga y se cuenta"},
}
_PLACEHOLDERS = {
    "en": {"row": "*n*", "column": "*column*", "value": "*value*"},
    "es": {"row": "*n*", "column": "*columna*", "value": "*valor*"},
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_table(language: str) -> str:
    """One row per rule of ``rules.RULES``: rejects first, then findings, each in code order."""
    head = {
        "en": "| rule | what happens | message sent to the partner (what to do) |\n|---|---|---|\n",
        "es": "| regla | qué pasa | mensaje para el socio (qué hacer) |\n|---|---|---|\n",
    }[language]
    lines = []
    for severity in (rules.REJECT, rules.FINDING):
        for rule in rules.RULES.values():
            if rule.severity != severity:
                continue
            message = (rule.message_en if language == "en" else rule.message_es).format(**_PLACEHOLDERS[language])
            lines.append(f"| `{rule.rule_id}` | {_SEVERITY[language][severity]} | {_cell(message)} |\n")
    unknown = {r.severity for r in rules.RULES.values()} - {rules.REJECT, rules.FINDING}
    assert not unknown, f"severities the page does not explain: {unknown}"
    return head + "".join(lines)


def _must_be_filled() -> dict[str, str]:
    """canonical 5W column -> 'reject' or 'finding' when an empty cell is a problem."""
    from rmrp_pipeline.sources.five_w.checks import FINDING_RULES

    filled = {r.column: "finding" for r in FINDING_RULES if r.rule_id == "required_missing"}
    # An empty country or month is a reject (country_not_r4v / month_unreadable show "(empty)").
    filled.update({"country": "reject", "month": "reject"})
    return filled


def _what_to_write(canonical: str, language: str) -> str:
    from rmrp_pipeline.sources.five_w.checks import TOTAL_COUNTS

    en = language == "en"
    if canonical in TOTAL_COUNTS:
        return "persons: a whole number, digits only" if en else "personas: número entero, solo dígitos"
    if canonical in COUNT_COLUMNS:
        return ("persons: digits only (a fraction is a finding)" if en
                else "personas: solo dígitos (una fracción es un hallazgo)")
    if canonical == "value_usd":
        return "US dollars, 0 or more" if en else "dólares de EE. UU., 0 o más"
    if canonical in AMOUNT_COLUMNS:
        return "a number, 0 or more" if en else "un número, 0 o más"
    if canonical in YES_NO_COLUMNS:
        return "Yes or No" if en else "Sí o No"
    if canonical == "month":
        return "reporting month, e.g. 2021-03" if en else "mes de reporte, p. ej. 2021-03"
    if canonical == "country":
        return "one of the 17 R4V countries" if en else "uno de los 17 países de R4V"
    if canonical in TEXT_COLUMNS:
        return "text" if en else "texto"
    return "not used (kept in the file only)" if en else "no se usa (solo queda en el archivo)"


def five_w_columns_table(language: str) -> str:
    """Every 5W template's headers: must the column exist, must the cell be filled, what to write."""
    en = language == "en"
    filled = _must_be_filled()
    yes, no = ("yes", "no") if en else ("sí", "no")
    out = []
    for template in load_templates().values():
        if template.kind != "five_w":
            continue
        out.append(f"Template `{template.template_id}`: {template.description}\n\n" if en
                   else f"Plantilla `{template.template_id}`: {template.description}\n\n")
        out.append("| column header | column must exist | cell must be filled | what to write |\n" if en
                   else "| encabezado de columna | la columna debe existir | la celda debe llenarse | qué escribir |\n")
        out.append("|---|---|---|---|\n")
        for canonical, header in template.columns.items():
            must = filled.get(canonical)
            if must is None:
                fill = no
            elif en:
                fill = f"yes (empty: {must})"
            else:
                fill = f"sí (vacía: {'rechazo' if must == 'reject' else 'hallazgo'})"
            exists = yes if canonical in template.required else no
            out.append(f"| `{header}` | {exists} | {fill} | {_what_to_write(canonical, language)} |\n")
        out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


#: Spanish text of each reject of the published key-figures workbook (``planning.REJECT_RULES``,
#: whose English text is in the code). A test fails when a rule is added there without a line here.
KEY_FIGURES_RULES_ES = {
    "language_unknown": "la hoja `source` no tiene `language`, o no es es, pt ni en",
    "plan_year_unreadable": "el año del plan no es un año de cuatro dígitos (obligatorio en key_figures, opcional en other_figures)",
    "platform_unknown": "no es un nombre de plataforma de R4V (en inglés) ni 'Regional'",
    "sector_missing": "el sector está vacío",
    "measure_unknown": "no es una de las medidas de other_figures",
    "age_gender_invalid": "falta edad/género donde se necesita, no es women/men/girls/boys, o aparece donde no se admite",
    "duplicate_row": "una segunda fila para el mismo año del plan, plataforma, sector (y medida, edad/género)",
    "value_missing": "la celda de la cifra está vacía",
    "cell_not_text": "la celda de la cifra tiene un número (o una fecha) en lugar del texto publicado",
    "number_unreadable": "el texto no es una cifra publicada en el idioma del archivo",
    "locale_unknown": "la cifra depende del separador decimal y el idioma del archivo es desconocido",
    "unit_mismatch": "la unidad de la cifra ($, %, número sin más) no corresponde a la medida",
    "count_not_whole": "un número de personas u organizaciones que no es entero",
    "fraction_above_one": "una proporción mayor que 100%",
    "nothing_published": "una fila de key_figures cuyas cifras están todas marcadas 'no publicado'",
}


def key_figures_rules_table(language: str) -> str:
    """The rejects of the published key-figures workbook (``planning.REJECT_RULES``)."""
    from rmrp_pipeline.sources.planning.key_figures import REJECT_RULES

    head = "| rule | meaning |\n|---|---|\n" if language == "en" else "| regla | significado |\n|---|---|\n"
    return head + "".join(
        f"| `{rule_id}` | {_cell(text if language == 'en' else KEY_FIGURES_RULES_ES.get(rule_id, text))} |\n"
        for rule_id, text in REJECT_RULES.items()
    )


GENERATED = {
    "rules-en": lambda: rules_table("en"),
    "rules-es": lambda: rules_table("es"),
    "five-w-columns-en": lambda: five_w_columns_table("en"),
    "five-w-columns-es": lambda: five_w_columns_table("es"),
    "key-figures-rules-en": lambda: key_figures_rules_table("en"),
    "key-figures-rules-es": lambda: key_figures_rules_table("es"),
}


def render(text: str) -> str:
    """``text`` with every generated block rewritten from the code."""
    return _BLOCK.sub(lambda m: m.group(1) + GENERATED[m.group("name")]() + m.group(4), text)


def _sections() -> tuple[str, str]:
    text = DOC.read_text(encoding="utf-8")
    assert ENGLISH in text and SPANISH in text, "the page has an English and a Spanish section"
    english, spanish = text.split(SPANISH, 1)
    return english.split(ENGLISH, 1)[1], spanish


def test_every_rule_is_explained_in_english_and_in_spanish():
    english, spanish = _sections()
    for rule_id in rules.RULES:
        assert f"`{rule_id}`" in english, f"rule {rule_id} is missing from the English part of {DOC.name}"
        assert f"`{rule_id}`" in spanish, f"rule {rule_id} is missing from the Spanish part of {DOC.name}"


def test_every_key_figures_rule_has_its_spanish_text():
    from rmrp_pipeline.sources.planning.key_figures import REJECT_RULES

    assert set(KEY_FIGURES_RULES_ES) == set(REJECT_RULES), "add the Spanish text of the new rule to KEY_FIGURES_RULES_ES"


def test_every_5w_column_is_in_the_page():
    english, spanish = _sections()
    for template in load_templates().values():
        if template.kind == "five_w":
            for header in template.columns.values():
                assert f"`{header}`" in english and f"`{header}`" in spanish, header


def test_the_generated_tables_are_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    names = [m.group("name") for m in _BLOCK.finditer(text)]
    assert sorted(names) == sorted(GENERATED), f"generated blocks in the page: {names}"
    assert render(text) == text, f"{DOC.name} is out of date: run .venv/bin/python tests/test_docs.py"


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the generated tables of {DOC}", file=sys.stderr)

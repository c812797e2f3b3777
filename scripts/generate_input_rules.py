"""Write the generated tables of docs/input-rules.md (for partners, English and Spanish) from the code.

The page's prose is written by hand; its tables are blocks between ``<!-- generated: NAME ... -->``
and ``<!-- end generated: NAME -->``, rewritten here from:

* ``rules-en`` / ``rules-es``: the row rules of ``rmrp_pipeline.quality.rules.RULES`` (rejects, then
  findings, in the order of the declarations) with their message to the partner;
* ``five-w-columns-en`` / ``-es``: the headers of every 5W template (``read/layouts``), whether the
  column must exist, whether the cell must be filled (the 5W checks of ``required_missing``), what
  to write;
* ``key-figures-rules-en`` / ``-es``: the rejects of the published key-figures workbook
  (``quality.rules.KEY_FIGURES_REJECTS``).

    .venv/bin/python scripts/generate_input_rules.py            # rewrite the page
    .venv/bin/python scripts/generate_input_rules.py --check    # exit 1 when the page is out of date

``tests/unit/test_docs.py`` fails while the committed page differs from what this script writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.templates import load_templates
from rmrp_pipeline.sources.five_w.checks import FINDING_CHECKS, TOTAL_COUNTS
from rmrp_pipeline.sources.five_w.columns import (
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    TEXT_COLUMNS,
    YES_NO_COLUMNS,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "input-rules.md"

BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z0-9-]+) .*?-->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)

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
    """One row per rule of ``rules.RULES``: rejects first, then findings, each in declaration order."""
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
    return head + "".join(lines)


def _must_be_filled() -> dict[str, str]:
    """canonical 5W column -> 'reject' or 'finding' when an empty cell is a problem."""
    filled = {c.column: "finding" for c in FINDING_CHECKS if c.rule_id == "required_missing"}
    # An empty country or month is a reject (country_not_r4v / month_unreadable show "(empty)").
    filled.update({"country": "reject", "month": "reject"})
    return filled


def _what_to_write(canonical: str, language: str) -> str:
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


def key_figures_rules_table(language: str) -> str:
    """The rejects of the published key-figures workbook (``rules.KEY_FIGURES_REJECTS``)."""
    head = "| rule | meaning |\n|---|---|\n" if language == "en" else "| regla | significado |\n|---|---|\n"
    return head + "".join(
        f"| `{rule_id}` | {_cell(rule.message_en if language == 'en' else rule.message_es)} |\n"
        for rule_id, rule in rules.KEY_FIGURES_REJECTS.items()
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
    """``text`` with every generated block rewritten from the code.

    Raises:
        ValueError: the page's blocks are not exactly those of :data:`GENERATED`.
    """
    names = [m.group("name") for m in BLOCK.finditer(text)]
    if sorted(names) != sorted(GENERATED):
        raise ValueError(f"generated blocks in the page: {names}; expected each of {sorted(GENERATED)} once")
    return BLOCK.sub(lambda m: m.group(1) + GENERATED[m.group("name")]() + m.group(4), text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the page is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    rendered = render(text)
    if args.check:
        print(f"{DOC.name} is up to date" if rendered == text else f"{DOC.name} is out of date: run {Path(__file__).name}")
        return 0 if rendered == text else 1
    DOC.write_text(rendered, encoding="utf-8")
    print(f"rewrote the generated tables of {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

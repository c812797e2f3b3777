"""Templates ("layouts") the pipeline knows, and recognising a sheet by its columns.

The column mapping of every template version lives in data, not in code branches:
``layouts/templates.csv`` (one row per template: id, kind, cycle year, language) and
``layouts/columns.csv`` (one row per template column: canonical name, header as written,
required or not). Adding a layout is adding rows there.

A sheet is recognised by its header row, never by file or sheet name: headers are compared
after ``text.cells.normalise_key`` (Unicode NFC, spaces, case, accents). A template matches when
every required header is present; among matches the one covering most of the sheet wins.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rmrp_pipeline.text.cells import normalise_key


@dataclass(frozen=True)
class Template:
    """A known layout: ``columns`` maps canonical column -> header as written in the template."""

    template_id: str
    kind: str
    cycle_year: int | None
    language: str | None
    description: str
    columns: dict[str, str]
    required: frozenset[str]


@dataclass
class Recognition:
    """Outcome of recognising one sheet.

    Attributes:
        template: the matched template, or None.
        mapping: canonical column -> the sheet's own header text (matched columns only).
        missing: required headers of the closest template that the sheet lacks.
        unknown: sheet headers that no column of the template uses (kept, not loaded).
        closest: id of the closest template when nothing matched.
    """

    template: Template | None
    mapping: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    closest: str | None = None

    @property
    def message(self) -> str:
        """One sentence for the load log and the run summary."""
        if self.template is not None:
            shown = self.unknown[:12] + ([f"and {len(self.unknown) - 12} more"] if len(self.unknown) > 12 else [])
            extra = f"; columns not used: {', '.join(shown)}" if self.unknown else ""
            return f"recognised as {self.template.template_id}{extra}"
        if self.closest is None:
            return "no known template has these columns"
        return (
            f"not recognised: closest template {self.closest} lacks "
            f"{', '.join(self.missing)}"
        )


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("rmrp_pipeline.read.layouts").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def load_templates() -> dict[str, Template]:
    """All templates of ``layouts/*.csv``, keyed by template id."""
    columns: dict[str, dict[str, str]] = {}
    required: dict[str, set[str]] = {}
    for row in _read_csv("columns.csv"):
        columns.setdefault(row["template_id"], {})[row["canonical"]] = row["header"]
        if row["required"].strip().lower() == "true":
            required.setdefault(row["template_id"], set()).add(row["canonical"])
    templates = {}
    for row in _read_csv("templates.csv"):
        tid = row["template_id"]
        templates[tid] = Template(
            template_id=tid,
            kind=row["kind"],
            cycle_year=int(row["cycle_year"]) if row["cycle_year"] else None,
            language=row["language"] or None,
            description=row["description"],
            columns=columns.get(tid, {}),
            required=frozenset(required.get(tid, set())),
        )
    return templates


def hxl_key(tag: str) -> str:
    """An HXL tag with its attributes in a fixed order: ``#Reached +m +Adults`` and
    ``#reached+adults+m`` give ``#reached+adults+m`` (attribute order does not matter in HXL)."""
    parts = [p.strip().lower() for p in tag.replace(" ", "").split("+") if p.strip()]
    return "+".join([parts[0], *sorted(parts[1:])]) if parts else ""


@lru_cache(maxsize=1)
def load_hxl_tags() -> dict[tuple[str, str], str]:
    """(template kind, canonical column) -> normalised HXL tag, from ``layouts/hxl.csv``."""
    return {(r["kind"], r["canonical"]): hxl_key(r["tag"]) for r in _read_csv("hxl.csv")}


def recognise(headers: list[str], hxl_tags: dict[str, str] | None = None) -> Recognition:
    """Match a sheet's headers against every template (see the module docstring). A column
    whose header is not the template's may still match by its HXL tag (``hxl_tags``: header ->
    tag of the hashtag row under the header), so a translated sheet with HXL tags is read."""
    by_key = {normalise_key(h): h for h in headers}
    by_tag = {hxl_key(t): h for h, t in (hxl_tags or {}).items() if t}
    tags = load_hxl_tags()
    best: tuple[tuple, Recognition] | None = None
    closest: tuple[float, str, list[str]] | None = None
    for template in load_templates().values():
        if not template.columns:
            continue
        mapping = {}
        for canonical, header in template.columns.items():
            if normalise_key(header) in by_key:
                mapping[canonical] = by_key[normalise_key(header)]
            elif tags.get((template.kind, canonical)) in by_tag:
                mapping[canonical] = by_tag[tags[(template.kind, canonical)]]
        missing = [template.columns[c] for c in sorted(template.required) if c not in mapping]
        # Jaccard-like score: matched columns over the union of both column sets.
        score = len(mapping) / (len(by_key) + len(template.columns) - len(mapping))
        if missing:
            if closest is None or score > closest[0]:
                closest = (score, template.template_id, missing)
            continue
        used = set(mapping.values())
        found = Recognition(template, mapping, [], [h for h in headers if h not in used])
        # Ties (a sheet matched by HXL tags alone fits every layout of its kind) go to the layout
        # with more columns matched by their header, then to one that claims no language: tags
        # do not prove that a partner writes 1,5 for one and a half.
        by_header = sum(1 for c, h in template.columns.items() if normalise_key(h) in by_key)
        rank = (score, by_header, template.language in (None, "en"))
        if best is None or rank > best[0]:
            best = (rank, found)
    if best is not None:
        return best[1]
    if closest is None or closest[0] == 0:
        return Recognition(None)
    return Recognition(None, missing=closest[2], closest=closest[1])

"""R4V vocabulary shared by every layer: platforms, the regional and Intersector pseudo-names,
canonical sector names and their aliases (``reference_data/sectors.csv``), the bound on persons in
one row. Meanings: docs/domain.md."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from rmrp_pipeline.text.cells import normalise_key

#: More persons in one 5W row than all refugees and migrants from Venezuela (7.7 million,
#: RMRP 2024 Update, docs/domain.md §2.4) with their host communities: not a count we can trust.
MAX_PERSONS_IN_A_ROW = 20_000_000



INTERSECTOR = "Intersector"



REGIONAL = "Regional"



@lru_cache(maxsize=1)
def sector_names() -> dict[str, tuple[str, str]]:
    """normalised name -> (canonical English sector, language of the name), from sectors.csv."""
    text = resources.files("rmrp_pipeline.reference_data").joinpath("sectors.csv").read_text("utf-8")
    return {normalise_key(r["name"]): (r["sector"], r["language"]) for r in csv.DictReader(text.splitlines())}



def resolve_sectors(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Canonical English sector and the language of the name as written, per value (None where
    the name is not an R4V sector or subsector in English, Spanish or Portuguese)."""
    index = sector_names()
    found = names.map(lambda v: index.get(normalise_key(v)) if isinstance(v, str) and v.strip() else None)
    return (found.map(lambda f: f[0] if f else None).astype(object),
            found.map(lambda f: f[1] if f else None).astype(object))



#: R4V's English platform names (docs/domain.md §1.1) and the regional level.
PLATFORMS: tuple[str, ...] = (
    "Brazil",
    "Chile",
    "Colombia",
    "Ecuador",
    "Peru",
    "Caribbean",
    "Central America and Mexico",
    "Southern Cone",
)




@lru_cache(maxsize=1)
def _platform_names() -> dict[tuple[str, str], str]:
    text = resources.files("rmrp_pipeline.reference_data").joinpath("platform_names.csv").read_text("utf-8")
    return {(r["platform"], r["language"]): r["name"] for r in csv.DictReader(text.splitlines())}


def platform_name(platform: str, language: str) -> str:
    """R4V's name of a platform (or Regional) in ``language`` (en, es, pt), from
    ``reference_data/platform_names.csv``; the English name when the file has none."""
    return _platform_names().get((platform, language), platform)


def resolve_sector(name: str) -> str | None:
    """Canonical English sector of a sector name or alias in any language (sectors.csv), or
    Intersector (``Intersector``, ``Intersectorial``, ``Intersetorial``); None when unknown."""
    key = normalise_key(name)
    if key in {normalise_key(n) for n in (INTERSECTOR, "Intersectorial", "Intersetorial")}:
        return INTERSECTOR
    found = sector_names().get(key)
    return found[0] if found else None


def sectors_meant(text: str) -> list[str]:
    """The canonical sectors a person may mean by ``text`` typed as a command's argument: the one
    :func:`resolve_sector` finds, else every sector one of whose names or aliases holds ``text``'s
    words in a row (case, accents and punctuation aside: ``Trafficking``, ``GBV``, ``Trata y Tráfico
    de Personas``), sorted; none when no name holds them or ``text`` is joining words alone (``a``,
    ``and``, ``de la``: ``_JOINING_WORDS``). Never used on data: a 5W cell's sector
    is :func:`resolve_sectors`' exact match."""
    exact = resolve_sector(text)
    if exact:
        return [exact]
    asked = _words(text)
    if not asked or all(w in _JOINING_WORDS for w in asked):
        return []   # "a" of "Proteção à Criança", "and", "de la": no sector by themselves
    found = set()
    for name, (sector, _language) in sector_names().items():
        words = _words(name)
        if any(words[i:i + len(asked)] == asked for i in range(len(words) - len(asked) + 1)):
            found.add(sector)
    return sorted(found)


#: Articles, prepositions and conjunctions of the sectors' names (English, Spanish, Portuguese, as
#: ``_words`` gives them: accents aside): words that name no sector by themselves.
_JOINING_WORDS = frozenset({
    "a", "an", "and", "as", "com", "con", "da", "das", "de", "del", "do", "dos", "e", "el", "em", "en", "for",
    "in", "la", "las", "los", "na", "nas", "no", "nos", "o", "of", "or", "os", "para", "por", "the", "to", "u",
    "with", "y"})


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", normalise_key(text))


def sector_name(sector: str, language: str) -> str:
    """The name of a canonical sector in ``language`` (en, es, pt): the first sectors.csv row of
    that sector and language without a note (the registry's name), else with one; Intersector is
    Intersectorial (es) / Intersetorial (pt); the English name when the file has none."""
    if sector == INTERSECTOR:
        return {"es": "Intersectorial", "pt": "Intersetorial"}.get(language, INTERSECTOR)
    text = resources.files("rmrp_pipeline.reference_data").joinpath("sectors.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if r["sector"] == sector and r["language"] == language]
    rows.sort(key=lambda r: bool(r.get("note")))
    return rows[0]["name"] if rows else sector

"""R4V vocabulary shared by every layer: platforms, the regional and Intersector pseudo-names,
canonical sector names and their aliases (``reference_data/sectors.csv``), the bound on persons in
one row. Meanings: docs/domain.md."""

from __future__ import annotations

import csv
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



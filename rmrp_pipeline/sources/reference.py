"""Reference data: platforms and countries, admin1 units, organisations, indicator registries.

The lists come from the reference files in the raw folder (recognised by their columns,
``read/layouts/``), keyed by the cycle year of their template. Names are matched on
``text.cells.normalise_key`` (case, accents, spaces), so ``Curacao`` finds ``Curaçao``; the raw
value always stays beside the resolved code in the warehouse.

Sources: R4V's own lists (``shared/data/r4v/reference``, see its README); country aliases in
Spanish and Portuguese in ``reference_data/country_aliases.csv``; ISO 3166 names from pycountry.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd
import pycountry

from rmrp_pipeline.domain import resolve_sectors
from rmrp_pipeline.text.cells import clean_text, normalise_key

#: Indicator types whose beneficiaries count as people reached, per cycle year range, as R4V's
#: registries and scripts define them (docs/domain.md §3.2): 2021 ``Pin`` (rmrp_2021_ai_indicators,
#: ``Indicator_Type``), 2022 ``PiN`` (sheet Indicators of R4V's 2022 5W template, ``Indicator type``),
#: from 2023 ``Direct Assistance`` (the 2023-2024 registry). Keys are normalised (``normalise_key``).
REACHED_INDICATOR_TYPES = {2021: "pin", 2022: "pin", 2023: "direct assistance"}

#: Registries R4V made for a plan of more than one year: the registry's cycle year -> the last
#: year of its plan (the RMRP 2023-2024 registry is R4V's own for 2024 too).
REGISTRY_PLAN_END = {2023: 2024}


def reached_indicator_type(year: int) -> str:
    """Normalised indicator type that counts toward people reached in ``year``."""
    known = [y for y in REACHED_INDICATOR_TYPES if y <= year]
    return REACHED_INDICATOR_TYPES[max(known) if known else min(REACHED_INDICATOR_TYPES)]


def registry_year_for(registry_years: Iterable[int], year: int) -> tuple[int | None, bool]:
    """Which indicator registry resolves the 5W rows of reporting year ``year``.

    Args:
        registry_years: cycle years of the registries loaded.
        year: the rows' reporting year.

    Returns:
        (the registry's cycle year, True when it is R4V's own registry for ``year``: that year's, or
        the registry of a plan covering it, ``REGISTRY_PLAN_END``); else the newest older registry,
        else the oldest, with False; (None, False) when no registry is loaded.
    """
    years = sorted({int(y) for y in registry_years})
    own = [y for y in years if y <= year <= REGISTRY_PLAN_END.get(y, y)]
    if own:
        return max(own), True
    older = [y for y in years if y <= year]
    if older:
        return max(older), False
    return (years[0], False) if years else (None, False)


@dataclass
class ReferenceData:
    """Reference lists as frames (all text columns ``str``).

    Attributes:
        countries: platform, country, iso3 (the 17 R4V countries).
        admin1: cycle_year (int), country, admin1, pcode, iso_code.
        organisations: cycle_year, role (``appealing`` | ``implementing``), org_id, name_en,
            name_es, name_pt, acronym.
        indicators: cycle_year, code, subsector, indicator, indicator_type; optionally
            indicator_es (the registry's Spanish text, matched too when present). The column is
            optional because ``staging.ref_indicators`` (made from the same frames by
            ``reference_frame``) has no such column.
    """

    countries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["platform", "country", "iso3"]))
    admin1: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["cycle_year", "country", "admin1", "pcode", "iso_code"]))
    organisations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["cycle_year", "role", "org_id", "name_en", "name_es", "name_pt", "acronym"]))
    indicators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["cycle_year", "code", "subsector", "indicator", "indicator_type", "indicator_es"]))

    # ----- countries -------------------------------------------------------------------
    def country_index(self) -> dict[str, str]:
        """normalised name or code -> ISO3, for the R4V countries only (``countries_by_name``)."""
        return countries_by_name(self.countries)

    def resolve_country(self, names: pd.Series) -> pd.Series:
        """ISO3 of each country name (None where it is not one of the 17)."""
        return _map_keys(names, self.country_index())

    def platform_of(self, iso3: pd.Series) -> pd.Series:
        """R4V platform of each ISO3 code."""
        return iso3.map(dict(zip(self.countries["iso3"], self.countries["platform"])))

    def country_name_of(self, iso3: pd.Series) -> pd.Series:
        """R4V's English country name of each ISO3 code."""
        return iso3.map(dict(zip(self.countries["iso3"], self.countries["country"])))

    # ----- admin1 ----------------------------------------------------------------------
    def admin1_for(self, year: int) -> pd.DataFrame:
        """The admin1 list in force for ``year`` (latest list not newer than it, else oldest)."""
        return _latest(self.admin1, year)

    def admin1_known(self, iso3: pd.Series, admin1: pd.Series, year: int) -> pd.Series:
        """True where (country, admin1) is in the list; NA where no list exists for ``year``."""
        if self.admin1_for(year).empty:
            return pd.Series(pd.NA, index=iso3.index, dtype="boolean")
        return self.admin1_listed(iso3, admin1, year).notna().astype("boolean")

    def admin1_listed(self, iso3: pd.Series, admin1: pd.Series, year: int) -> pd.Series:
        """The admin1 list's own spelling of each (country ISO3, admin1 name) pair, matched on
        ``normalise_key`` (``MENDOZA`` and ``Cordoba`` find ``Mendoza`` and ``Córdoba``); None where
        the pair is not in the list of ``year`` (or no list exists)."""
        table = self.admin1_for(year)
        if table.empty:
            return pd.Series(None, index=iso3.index, dtype=object)
        index = self.country_index()
        spelling: dict[tuple[str | None, str], str] = {}
        for c, a in zip(table["country"], table["admin1"]):
            if isinstance(a, str):
                spelling.setdefault((index.get(normalise_key(c)), normalise_key(a)), clean_text(a))
        return pd.Series([spelling.get((i, normalise_key(a))) if isinstance(a, str) else None
                          for i, a in zip(iso3, admin1)], index=iso3.index, dtype=object)

    # ----- organisations ---------------------------------------------------------------
    def resolve_organisation(self, names: pd.Series, role: str, year: int) -> pd.Series:
        """R4V id (``ORG064``, ``IP115``) of each organisation name, acronym or id; None if unknown."""
        table = _latest(self.organisations[self.organisations["role"] == role], year)
        index: dict[str, str] = {}
        for col in ("org_id", "acronym", "name_pt", "name_es", "name_en"):
            for key, org_id in zip(table[col], table["org_id"]):
                if isinstance(key, str) and key.strip():
                    index[normalise_key(key)] = org_id
        return _map_keys(names, index)

    def has_organisations(self, role: str, year: int) -> bool:
        """Whether a list of ``role`` organisations exists for ``year``."""
        return not _latest(self.organisations[self.organisations["role"] == role], year).empty

    # ----- indicators ------------------------------------------------------------------
    def resolve_indicator(self, subsector: pd.Series, indicator: pd.Series, year: int) -> pd.DataFrame:
        """Registry entry of each (sector, indicator) pair of reporting year ``year``:
        ``match_indicators`` against the registry ``registry_year_for`` chooses (the year's own:
        2021 file, 2022 template, 2023-2024 registry; else the newest older one)."""
        chosen, _own = registry_year_for(self.indicators["cycle_year"].dropna(), year)
        table = self.indicators[self.indicators["cycle_year"] == chosen]
        return match_indicators(table, subsector, indicator, reached_indicator_type(year))


def countries_by_name(countries: pd.DataFrame) -> dict[str, str]:
    """normalised name or code -> ISO3 of the R4V countries of ``countries`` (``iso3``, ``country``):
    the codes, the ISO 3166 names (pycountry), the aliases of ``reference_data/country_aliases.csv``
    and R4V's own names (which win)."""
    iso3s = set(countries["iso3"])
    index: dict[str, str] = {}
    for iso3 in iso3s:
        index[normalise_key(iso3)] = iso3
        entry = pycountry.countries.get(alpha_3=iso3)
        if entry is not None:
            for attr in ("name", "common_name", "official_name", "alpha_2"):
                if getattr(entry, attr, None):
                    index[normalise_key(getattr(entry, attr))] = iso3
    text = resources.files("rmrp_pipeline.reference_data").joinpath("country_aliases.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        if row["iso3"] in iso3s:
            index[normalise_key(row["alias"])] = row["iso3"]
    for country, iso3 in zip(countries["country"], countries["iso3"]):
        index[normalise_key(country)] = iso3
    return index


def match_indicators(registry: pd.DataFrame, subsector: pd.Series, indicator: pd.Series, reached_type: str) -> pd.DataFrame:
    """Entry of ``registry`` (one cycle's rows of ``ReferenceData.indicators``) of each (sector,
    indicator) pair.

    Returns a frame aligned with the inputs: ``indicator_code``, ``indicator_type`` (as in
    the registry), ``counts_as_reached`` (bool: the type is ``reached_type``, see
    ``reached_indicator_type``; False where the pair is not registered).
    Codes are reused across cycles with other meanings, so matching is by text:

    * the sector on both sides goes through the sector aliases (``reference_data/sectors.csv``,
      ``domain.resolve_sectors``), so ``Multipurpose CBI`` (2021) matches
      ``Multipurpose Cash Assistance (MPC)``, ``... Human Trafficking & Smuggling`` matches
      ``... and Smuggling`` and ``Alojamiento`` matches ``Shelter``; a name that is no known
      sector is compared as written;
    * the indicator text matches the registry's ``indicator`` or, where the registry has the
      optional ``indicator_es`` column (2023-2024), its Spanish text (English wins if both
      texts of two entries collide);
    * both sides on ``text.cells.normalise_key`` (case, accents, spaces).

    One lookup per distinct (sector, indicator) pair of the input.
    """
    registry_sectors = _sector_keys(registry["subsector"])
    index: dict[tuple[str, str], tuple[str, str]] = {}
    for column in ("indicator_es", "indicator"):  # English last: it wins a collision
        if column not in registry:
            continue
        for s, i, code, kind in zip(registry_sectors, registry[column], registry["code"], registry["indicator_type"]):
            if isinstance(s, str) and isinstance(i, str) and i.strip():
                index[(s, normalise_key(i))] = (code, kind)
    sectors = _sector_keys(subsector)
    pairs = pd.MultiIndex.from_arrays([
        sectors.where(sectors.notna(), "").to_numpy(dtype=object),
        indicator.map(lambda v: v if isinstance(v, str) else "").to_numpy(dtype=object),
    ])
    codes, distinct = pairs.factorize()
    looked_up = [index.get((s, normalise_key(i))) if s and i else None for s, i in distinct]
    results = [
        (f[0].strip() if isinstance(f[0], str) else f[0], f[1], normalise_key(f[1] or "") == reached_type) if f
        else (None, None, False)
        for f in looked_up
    ]
    found = [results[c] for c in codes]
    return pd.DataFrame(
        {
            "indicator_code": pd.Series([f[0] for f in found], index=subsector.index, dtype=object),
            "indicator_type": pd.Series([f[1] for f in found], index=subsector.index, dtype=object),
            "counts_as_reached": pd.Series([f[2] for f in found], index=subsector.index, dtype=bool),
        },
        index=subsector.index,
    )


def _sector_keys(names: pd.Series) -> pd.Series:
    """Matching key of each sector name: its canonical R4V sector through the aliases
    (``domain.resolve_sectors``, one lookup per distinct name), else the name as
    written; normalised. None where the value is not text."""
    distinct = pd.Series([v for v in names.dropna().unique() if isinstance(v, str) and v.strip()], dtype=object)
    canonical, _language = resolve_sectors(distinct)
    keys = {v: normalise_key(c if isinstance(c, str) else v) for v, c in zip(distinct, canonical)}
    return names.map(lambda v: keys.get(v) if isinstance(v, str) else None).astype(object)


def _latest(table: pd.DataFrame, year: int) -> pd.DataFrame:
    if table.empty:
        return table
    years = sorted({int(y) for y in table["cycle_year"].dropna()})
    older = [y for y in years if y <= year]
    chosen = max(older) if older else min(years)
    return table[table["cycle_year"] == chosen]


def _map_keys(values: pd.Series, index: dict[str, str]) -> pd.Series:
    """Map each value through ``index`` on its normalised key (one lookup per distinct value)."""
    distinct = {v: index.get(normalise_key(v)) for v in values.dropna().unique() if isinstance(v, str)}
    return values.map(lambda v: distinct.get(v) if isinstance(v, str) else None).astype(object)


#: Template kind -> (ReferenceData attribute, role for organisations).
REFERENCE_KINDS = {
    "platforms_countries": ("countries", None),
    "admin1": ("admin1", None),
    "appealing_organisations": ("organisations", "appealing"),
    "implementing_partners": ("organisations", "implementing"),
    "indicator_registry": ("indicators", None),
}


def reference_frame(kind: str, canonical: pd.DataFrame, cycle_year: int | None) -> pd.DataFrame:
    """Shape one recognised reference sheet (canonical column names) for ``ReferenceData``.

    Args:
        kind: template kind (a key of REFERENCE_KINDS).
        canonical: the sheet with canonical column names, text values.
        cycle_year: the template's cycle year (None for lists valid in every cycle).
    """
    attribute, role = REFERENCE_KINDS[kind]
    frame = canonical.copy()
    if attribute != "countries":
        frame["cycle_year"] = cycle_year
    if role == "implementing":
        frame["org_id"] = frame["ip_id"]
    if role is not None:
        frame["role"] = role
    columns = ReferenceData().__getattribute__(attribute).columns
    for name in columns:
        if name not in frame:
            frame[name] = None
    return frame[list(columns)]


def build_reference(frames: list[tuple[str, pd.DataFrame]]) -> ReferenceData:
    """ReferenceData from (kind, frame) pairs made by ``reference_frame``."""
    data = ReferenceData()
    for kind, frame in frames:
        attribute, _role = REFERENCE_KINDS[kind]
        current = getattr(data, attribute)
        setattr(data, attribute, frame if current.empty else pd.concat([current, frame], ignore_index=True))
    return data

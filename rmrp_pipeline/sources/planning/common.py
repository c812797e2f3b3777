"""Vocabulary and helpers shared by the planning readers (PiN/target tables, submissions).

* The canonical grain of planning figures (``marts.fct_planning_figures``): population types,
  age/gender groups and measures, with their units.
* Sector names: R4V's English sector and subsector names are canonical; Spanish, Portuguese and
  older spellings resolve to them through ``reference_data/sectors.csv`` (domain.md §1.2).
* Issue rows (``meta.rejected_rows`` / ``meta.quality_findings``) built from ``rules.RULES`` so that
  every planning rule has an id, a severity and a message in English and Spanish.
"""

from __future__ import annotations

#: Population types of the planning figures; ``all`` is the total over the five types.
POPULATION_TYPES: tuple[str, ...] = ("all", "in_destination", "in_transit", "host_community", "pendular", "returnees")
#: Age/gender groups of the planning figures (under 18: girls/boys; 18 and over: women/men);
#: ``all`` is the total over the four groups.
AGE_GENDER: tuple[str, ...] = ("all", "girls", "boys", "women", "men")



def figure_columns() -> list[str]:
    """The 30 canonical figure columns ``<population type>_<age/gender>`` (``all_all`` first)."""
    return [f"{pop}_{agd}" for pop in POPULATION_TYPES for agd in AGE_GENDER]


# -- sectors ---------------------------------------------------------------------------------------






# -- cells -----------------------------------------------------------------------------------------






# -- issues ----------------------------------------------------------------------------------------









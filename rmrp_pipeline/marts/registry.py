"""Every table and view the pipeline writes to the warehouse, declared once (:data:`TABLES`).

A :class:`Table` gives a table's name (``schema.table``), its layer, what builds it, the tables it
reads and, for a table filled one reporting cycle at a time, how a cycle's rows are found
(:class:`CycleRows`). Built from it: the Dagster assets with their groups, deps, partitions,
documentation checks and job selections (``rmrp_pipeline.defs``), the cycle cleanup and the
up-to-date check before a rebuild (:mod:`rmrp_pipeline.marts.builds`). An asset's description is
the ``COMMENT ON TABLE`` of its DDL (``warehouse.table_comment``). A registry that cannot be built
from (a name declared twice, an unknown layer or read, a view before what it reads) raises
ValueError at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from rmrp_pipeline.cycles import cycle_window, year_window

SQL = "sql"
INGEST = "ingest"
#: Written by the publication of a build (``warehouse.publish``), not by an asset.
PUBLISH = "publish"
#: Written beside the cycle tables by the step that builds them (``marts.cycle_builds``): no asset of its own.
RECORD = "record"
ASSET_LAYERS = ("raw", "staging", "marts", "meta")
LAYERS = (*ASSET_LAYERS, "seed", "intermediate")


@dataclass(frozen=True)
class CycleRows:
    """How the rows of one reporting cycle are found in a table filled cycle by cycle: by a column
    holding the cycle (``2021-H1``), or, with ``by_year``, by a DATE column whose year is the
    cycle's (both cycles of a year write the same rows: ``cycles.year_window``).

    ``frozen``: a freeze of the cycle keeps these rows (``marts.freeze``); ``key``: the columns
    that name one row of a cycle, by which ``meta.cycle_revisions`` compares the kept rows with
    those the current data gives (required for the frozen asset tables)."""

    column: str
    by_year: bool = False
    frozen: bool = True
    key: tuple[str, ...] = ()

    def where(self, cycle: str) -> str:
        """The ``WHERE`` clause of the cycle's rows.

        Raises:
            ValueError: ``cycle`` is not ``YYYY-H1`` or ``YYYY-H2``.
        """
        if self.by_year:
            start, end = year_window(cycle)
            return f"WHERE {self.column} >= DATE '{start}' AND {self.column} < DATE '{end}'"
        cycle_window(cycle)   # checks the key before it reaches SQL
        return f"WHERE {self.column} = '{cycle}'"

    def published(self, cycle: str) -> str:
        """The SQL condition (no ``WHERE``) of the rows a freeze of ``cycle`` keeps: those of its
        cycle column, or, by year, those of its own months (``cycles.cycle_window``: a mid-year
        freeze keeps January-June, not the whole year)."""
        if self.by_year:
            start, end = cycle_window(cycle)
            return f"{self.column} >= DATE '{start}' AND {self.column} < DATE '{end}'"
        return self.where(cycle).removeprefix("WHERE ")

    def kept(self, cycles: list[str]) -> tuple[str, list]:
        """(SQL expression of a row's key, the keys of ``cycles``): the rows whose key is not in
        the list belong to no cycle of ``cycles``."""
        if self.by_year:
            return f"CAST(year({self.column}) AS INTEGER)", sorted({int(c[:4]) for c in cycles})
        return self.column, list(cycles)


@dataclass(frozen=True)
class Table:
    """One table or view of the warehouse.

    ``layer``: ``raw``, ``staging``, ``marts`` and ``meta`` tables are assets, grouped by their
    schema; ``seed`` (a reference CSV of ``rmrp_pipeline/reference_data`` loaded as a table) and
    ``intermediate`` (one step of a mart's SQL: a view, or a table filled cycle by cycle where
    several steps read it) live in the staging schema and are built by the asset of the table they
    are ``part_of``, so the asset graph shows what analysts and operators run. ``build``:
    :data:`SQL` (``warehouse/sql/<name>.sql``: the whole table, or the rows of one cycle),
    :data:`INGEST` (``ingest.ingest_raw_folder``, one run for all its tables), :data:`PUBLISH` (appended
    when a run publishes its build: no asset), :data:`RECORD` (written by the step that builds the
    cycle tables: no asset), a reference CSV
    (``csv:<file>``), or a function ``<module>:<function>`` of ``rmrp_pipeline.marts`` (named, not
    imported: the builders read this registry).
    ``reads``: the tables and views its SQL or function reads (its asset tables, :func:`sources`,
    are checked up to date before a cycle is rewritten). ``drawn_deps``: the asset deps drawn in the
    graph where they are not :func:`sources`: a table also reached through a drawn dep is not drawn
    twice. ``kinds``: the Dagster kinds shown on the asset.
    """

    name: str
    layer: str
    reads: tuple[str, ...] = ()
    build: str = SQL
    cycle_rows: CycleRows | None = None
    part_of: str | None = None
    drawn_deps: tuple[str, ...] | None = None
    kinds: tuple[str, ...] = ("duckdb", "sql")

    @property
    def schema(self) -> str:
        return self.name.split(".")[0]

    @property
    def is_asset(self) -> bool:
        return self.layer in ASSET_LAYERS


INGEST_KINDS = ("excel", "pandas", "duckdb")
STAGED_5W = "staging.stg_5w__activities"
PIN_TARGET = "staging.stg_planning__pin_target"
SUBMISSIONS = "staging.stg_planning__submissions"
PUBLISHED = "staging.stg_planning__published_figures"
PROPORTIONS = "staging.ref_planning_proportions"
ACTIVITIES = "marts.fct_activities"
PLANNING = "marts.fct_planning_figures"
MONTHLY = "marts.people_reached_monthly"
CYCLE_REACHED = "marts.cycle_people_reached"
OUTPUTS = "marts.cycle_outputs"
FREEZES = "meta.cycle_freezes"


def _ingested(name: str) -> Table:
    return Table(name, name.split(".")[0], build=INGEST, kinds=INGEST_KINDS)


def _int(name: str, *reads: str, part_of: str = MONTHLY) -> Table:
    return Table(name, "intermediate", reads=reads, part_of=part_of)


_SECTOR_MONTH = "staging.int_people_reached__sector_month"
_FILLED = "staging.int_people_reached__sector_month_filled"
_CELLS = "staging.int_intersector__proportion_cells"
_PLACE_SUBSECTOR = ("platform", "country_iso3", "admin1", "subsector")
#: The asset tables a freeze keeps (the cycle tables analysts read), compared by meta.cycle_revisions.
_FROZEN_ASSETS = (MONTHLY, CYCLE_REACHED, "marts.reporting_completeness", OUTPUTS, "marts.cycle_trafficking_pillars")
_INTERSECTOR_PARTS = ("staging.int_intersector__sum_model", "staging.int_intersector__max_per_column",
                      "staging.int_intersector__largest_subsector", "staging.int_intersector__proportion_max",
                      "staging.int_intersector__southern_cone_added")

TABLES: tuple[Table, ...] = (
    # What the ingest reads from the raw folder, in the order it writes them.
    *(_ingested(name) for name in (
        "raw.source_files", "staging.ref_countries", "staging.ref_admin1", "staging.ref_organisations",
        "staging.ref_indicators", STAGED_5W, PUBLISHED, "staging.stg_planning__sources", PIN_TARGET, SUBMISSIONS,
        PROPORTIONS, "meta.rejected_rows", "meta.quality_findings")),
    Table("staging.ref_sectors", "seed", build="csv:sectors.csv", part_of=STAGED_5W),
    Table(ACTIVITIES, "marts", reads=(STAGED_5W,)),
    Table(PLANNING, "marts", reads=(PIN_TARGET, SUBMISSIONS, PUBLISHED)),
    _int("staging.int_planning__published_ratios", PUBLISHED, part_of="marts.sector_key_figures"),
    Table("marts.sector_key_figures", "marts", reads=(PLANNING, "staging.int_planning__published_ratios")),
    _int("staging.loaded_rows", STAGED_5W, "staging.ref_countries", "staging.ref_admin1", "staging.ref_organisations",
         "staging.ref_indicators", "staging.stg_planning__sources", PUBLISHED, PIN_TARGET, PROPORTIONS, SUBMISSIONS,
         part_of="meta.load_log"),
    Table("meta.load_log", "meta", reads=("raw.source_files", "staging.loaded_rows", "meta.rejected_rows",
                                          "meta.quality_findings")),
    Table("meta.publications", "meta", build=PUBLISH, kinds=("duckdb",)),
    Table("meta.cycle_builds", "meta", build=RECORD, kinds=("duckdb",)),
    Table("meta.reconciliation", "meta", reads=(PUBLISHED, PLANNING), build="reconciliation:build_reconciliation",
          kinds=("duckdb", "pandas")),
    # People reached (docs/domain.md §3.4): the mart and the views it is built from, in build order.
    Table("staging.ref_intersector_models", "seed", build="csv:intersector_models.csv", part_of=MONTHLY),
    _int("staging.int_people_reached__activities", ACTIVITIES),
    _int(_SECTOR_MONTH, "staging.int_people_reached__activities"),
    _int("staging.int_intersector__platform_year_model", _SECTOR_MONTH, "staging.ref_intersector_models"),
    Table(_FILLED, "intermediate", reads=(_SECTOR_MONTH, "staging.int_intersector__platform_year_model"),
          part_of=MONTHLY, cycle_rows=CycleRows("month", by_year=True)),   # a table: every model reads it
    _int("staging.int_planning_proportions__shares", PROPORTIONS),
    _int(_CELLS, _FILLED, "staging.int_planning_proportions__shares"),
    _int("staging.int_intersector__sum_model", _FILLED),
    _int("staging.int_intersector__max_per_column", _FILLED),
    _int("staging.int_intersector__largest_subsector", _FILLED),
    _int("staging.int_intersector__proportion_max", _FILLED, _CELLS),
    _int("staging.int_intersector__southern_cone_added", _FILLED),
    _int("staging.int_people_reached__intersector", _FILLED, _CELLS, *_INTERSECTOR_PARTS),
    _int("staging.int_people_reached__admin1_month", _FILLED, "staging.int_people_reached__intersector"),
    # drawn from the activities only: the proportions it also reads are not an edge of the graph operators know
    Table(MONTHLY, "marts", reads=("staging.int_people_reached__admin1_month",),
          build="people_reached:build_people_reached",
          cycle_rows=CycleRows("month", by_year=True, key=("month", "level", *_PLACE_SUBSECTOR)),
          drawn_deps=(ACTIVITIES,)),
    Table(CYCLE_REACHED, "marts", reads=(MONTHLY, PLANNING, ACTIVITIES, "staging.int_people_reached__activities",
                                         "meta.quality_findings", "marts.sector_key_figures", "staging.ref_countries"),
          cycle_rows=CycleRows("cycle", key=("level", *_PLACE_SUBSECTOR)),
          drawn_deps=(MONTHLY, PLANNING, "marts.sector_key_figures")),   # the activities through people_reached_monthly
    Table("marts.reporting_completeness", "marts", reads=(ACTIVITIES,), cycle_rows=CycleRows(
        "reporting_cycle", key=("month", "country_iso3", "subsector", "appealing_org_key"))),
    Table("staging.ref_trafficking_pillars", "seed", build="csv:trafficking_pillars.csv", part_of=OUTPUTS),
    Table(OUTPUTS, "marts", reads=(ACTIVITIES, "staging.ref_trafficking_pillars"),
          build="cycle_outputs:build_cycle_outputs", cycle_rows=CycleRows(
              "cycle", key=("country_iso3", "subsector", "indicator_code", "indicator", "reported_unit"))),
    Table("marts.cycle_trafficking_pillars", "marts", reads=(OUTPUTS, CYCLE_REACHED, ACTIVITIES),
          cycle_rows=CycleRows("cycle", key=("country_iso3", "subsector", "pillar")),
          drawn_deps=(OUTPUTS, CYCLE_REACHED)),   # the activities through both
    # Cycle freezes (docs/freeze.md): the events, and what the current data would change in frozen cycles.
    Table(FREEZES, "meta", build="freeze:create_freezes_table", kinds=("duckdb",)),
    Table("meta.cycle_revisions", "meta", reads=(*_FROZEN_ASSETS, FREEZES, STAGED_5W, "raw.source_files"),
          build="revisions:build_revisions", cycle_rows=CycleRows("cycle", frozen=False),
          drawn_deps=(*_FROZEN_ASSETS, FREEZES), kinds=("duckdb", "pandas")),
)

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The declared table ``name``.

    Raises:
        KeyError: ``name`` is not declared here.
    """
    return _BY_NAME[name]


def assets() -> list[Table]:
    """The tables that are Dagster assets, in declaration order."""
    return [t for t in TABLES if t.is_asset and t.build not in (PUBLISH, RECORD)]


def ingested() -> list[str]:
    """The tables the ingest writes, in the order it writes them."""
    return [t.name for t in TABLES if t.build == INGEST]


def by_cycle() -> list[Table]:
    """The tables filled one reporting cycle at a time (intermediate ones included)."""
    return [t for t in TABLES if t.cycle_rows is not None]


def frozen_by_cycle() -> list[Table]:
    """The tables filled cycle by cycle whose rows a freeze of the cycle keeps (``CycleRows.frozen``),
    in declaration order (build order)."""
    return [t for t in by_cycle() if t.cycle_rows.frozen]


def built_with(name: str, layer: str | None = None) -> list[str]:
    """The seeds and views built by the asset of ``name`` (only those of ``layer`` if given), in
    declaration order, which is build order (a view after what it reads)."""
    return [t.name for t in TABLES if t.part_of == name and (layer is None or t.layer == layer)]


def sources(name: str) -> tuple[str, ...]:
    """Every asset table that ``name`` reads, directly or through its seeds and views, sorted."""
    found: set[str] = set()
    pending = list(table(name).reads)
    while pending:
        read = table(pending.pop())
        if read.is_asset:
            found.add(read.name)
        else:
            pending.extend(read.reads)
    return tuple(sorted(found))


def deps(name: str) -> tuple[str, ...]:
    """The deps of the asset of ``name`` drawn in the asset graph."""
    declared = table(name).drawn_deps
    return declared if declared is not None else sources(name)


def _check() -> None:
    """Fails at import on a registry that cannot be built from: a duplicate name, an unknown
    layer or read, a part_of that is not an asset, a view declared before what it reads."""
    if len(_BY_NAME) != len(TABLES):
        raise ValueError("a table is declared twice in the registry")
    seen: set[str] = set()
    for t in TABLES:
        if t.layer not in LAYERS or (t.is_asset != (t.part_of is None)):
            raise ValueError(f"{t.name}: layer {t.layer!r} with part_of {t.part_of!r}")
        unknown = [r for r in t.reads if r not in _BY_NAME]
        if unknown or (t.part_of and not table(t.part_of).is_asset):
            raise ValueError(f"{t.name}: unknown table read or built with: {unknown or t.part_of}")
        if t.cycle_rows and t.cycle_rows.frozen and t.is_asset and not t.cycle_rows.key:
            raise ValueError(f"{t.name}: a table a freeze keeps needs the key of its rows (CycleRows.key)")
        if not t.is_asset and any(not table(r).is_asset and r not in seen for r in t.reads):
            raise ValueError(f"{t.name} is declared before a view or seed it reads")
        seen.add(t.name)
    if [t.name for t in frozen_by_cycle() if t.is_asset] != list(_FROZEN_ASSETS):
        raise ValueError(f"_FROZEN_ASSETS must list the frozen asset tables in declaration order: {_FROZEN_ASSETS}")


_check()

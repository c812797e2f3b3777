"""What the ingest and the sources agree on: a ``Stager`` per group of template kinds, its ``Step``s,
and the ``Staging`` they all write to.

The ingest reads the raw folder once and hands each recognised sheet to the stager registered for
its template kind (``Stager.add``, in reading order; ``Stager.prepare`` may run before, in the
reader threads). Once every file is read, the steps of all stagers run, each after the steps its
``after`` names (a step of another source is named, never imported). A step writes frames per
warehouse table to the ``Staging`` and marks in its load log (``raw.source_files``) a sheet it
could not stage. Plain pandas: no warehouse, no Dagster.

Here too are the stagers of what belongs to no single source: the reference lists that every
source reads (``ReferenceLists``, whose step ``reference`` builds ``Staging.reference``) and the
sheets left out on purpose (``IgnoredSheets``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from rmrp_pipeline.read.templates import Recognition, Template
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.reference import (
    REFERENCE_KINDS,
    ReferenceData,
    build_reference,
    reference_frame,
)
from rmrp_pipeline.text.cells import cell_text

#: Warehouse table of each reference kind.
REFERENCE_TABLES = {
    "platforms_countries": "staging.ref_countries",
    "admin1": "staging.ref_admin1",
    "appealing_organisations": "staging.ref_organisations",
    "implementing_partners": "staging.ref_organisations",
    "indicator_registry": "staging.ref_indicators",
}
#: Template kind of sheets recognised only to be left out on purpose (instructions, pivot tables,
#: dropdown copies of lists read elsewhere): status ``ignored``, the template's description says why.
IGNORED_KIND = "ignored"


@dataclass
class Staging:
    """What the stagers of one ingest write and read.

    Attributes:
        progress: where a step reports what it is doing (one line per message).
        tables: warehouse table (``staging.*``, ``meta.*``) -> the rows staged so far (``add``).
        arrow: table -> (frame, the same rows as an Arrow table): the Arrow table is what the
            warehouse gets while that frame is still the table's.
        load_log: one ``raw.source_files`` row (a dict) per file and sheet, in reading order.
        reference: the reference lists; empty until the step ``reference`` has run.
        reference_sheets: (template, rows under all its canonical columns) of each reference sheet:
            ``ReferenceData`` keeps only the columns every cycle has, some sources need the others.
    """

    progress: Callable[[str], None] = lambda _msg: None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    arrow: dict[str, tuple[pd.DataFrame, pa.Table]] = field(default_factory=dict)
    load_log: list[dict] = field(default_factory=list)
    reference: ReferenceData = field(default_factory=ReferenceData)
    reference_sheets: list[tuple[Template, pd.DataFrame]] = field(default_factory=list)
    _entries: dict[tuple[str, str], dict] = field(default_factory=dict, repr=False)

    def add(self, table: str, frame: pd.DataFrame | pa.Table, arrow: pa.Table | None = None) -> None:
        """Append ``frame`` to the rows of ``table``; ``arrow``: the same rows as ``frame``, as an
        Arrow table (used while ``frame`` alone is the table's). ``frame`` may itself be an Arrow
        table (the 5W staging's issue tables): a table that holds Arrow rows stays Arrow
        (``concat_rows``)."""
        if arrow is not None:
            self.arrow[table] = frame, arrow
        held = self.tables.get(table)
        if isinstance(frame, pa.Table) or isinstance(held, pa.Table):
            self.tables[table] = concat_rows(held, frame)
            return
        if held is not None and not held.empty:
            frame = pd.concat([held, frame], ignore_index=True)
        self.tables[table] = frame

    def log(self, entry: dict) -> dict:
        """Add one load-log row (``source_file``, ``sheet``, ``status``, ...); returns it."""
        self.load_log.append(entry)
        self._entries[(entry["source_file"], entry["sheet"])] = entry
        return entry

    def entry(self, sheet: SheetData) -> dict:
        """The load-log row of ``sheet`` (its fields may be updated in place)."""
        return self._entries[(sheet.source_file, sheet.sheet)]

    def unreadable(self, sheet: SheetData, message: str) -> None:
        """Mark ``sheet`` unreadable in the load log, with the reason."""
        self.entry(sheet).update(status="unreadable", message=message)

    def not_staged(self, sheet: SheetData, exc: Exception) -> None:
        """Mark ``sheet`` unreadable because its staging failed with ``exc`` (a fault of the
        pipeline, not of the partner: the message asks for the file)."""
        self.unreadable(sheet, f"could not be staged ({type(exc).__name__}: {exc}); please report this file "
                               f"to the pipeline team")


def concat_rows(held: pd.DataFrame | pa.Table | None, added: pd.DataFrame | pa.Table) -> pd.DataFrame | pa.Table:
    """The rows of ``held`` then those of ``added``, one of them an Arrow table: an Arrow table of
    its schema (a frame's columns converted to it), or a frame when a frame's values do not fit
    that schema (the Arrow rows then converted to a frame)."""
    parts = [part for part in (held, added) if part is not None and len(part)]
    if len(parts) < 2:
        return parts[0] if parts else added
    schema = next(part for part in parts if isinstance(part, pa.Table)).schema
    try:
        return pa.concat_tables([part if isinstance(part, pa.Table) else
                                 pa.Table.from_pandas(part[schema.names], schema=schema, preserve_index=False)
                                 for part in parts], promote_options="permissive")
    except (pa.ArrowException, TypeError, ValueError, KeyError):
        return pd.concat([part.to_pandas() if isinstance(part, pa.Table) else part for part in parts], ignore_index=True)


@dataclass(frozen=True)
class Step:
    """A staging step, run once every file is read: ``run(staging)``, after every step named in
    ``after`` (names of steps of any stager)."""

    name: str
    run: Callable[[Staging], None]
    after: tuple[str, ...] = ()


class Stager:
    """Stages the sheets of the template ``kinds`` (see the module docstring): ``add`` keeps each
    sheet, ``steps`` stage them once every file is read."""

    kinds: frozenset[str] = frozenset()

    def prepare(self, sheet: SheetData, recognition: Recognition) -> None:
        """Work on one sheet that may run in the reader threads, before ``add`` (only a head start:
        the ingest ignores its errors, staging meets and reports them). Nothing by default."""

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        """Take one recognised sheet of a kind of ``kinds``; its load-log row is ``staging.entry(sheet)``."""
        raise NotImplementedError

    def steps(self) -> list[Step]:
        """The steps that stage what ``add`` kept. None by default."""
        return []


def canonical_frame(sheet: SheetData, recognition: Recognition) -> pd.DataFrame:
    """The sheet's recognised columns under their canonical names, as text (``cell_text``)."""
    frame = sheet.frame[list(recognition.mapping.values())].copy()
    frame.columns = list(recognition.mapping)
    return frame.astype(object).map(cell_text)


def with_lineage(frame: pd.DataFrame, sheet: SheetData) -> pd.DataFrame:
    """``frame`` (one row per row of ``sheet``) with ``source_file``, ``source_sheet`` and ``source_row``."""
    frame = frame.copy()
    frame["source_file"] = sheet.source_file
    frame["source_sheet"] = sheet.sheet
    frame["source_row"] = sheet.row_numbers
    return frame


class ReferenceLists(Stager):
    """The reference sheets (kinds of ``REFERENCE_KINDS``): each staged as it comes into its table of
    ``REFERENCE_TABLES``, without the template's helper rows; step ``reference`` builds
    ``Staging.reference`` from all of them."""

    kinds = frozenset(REFERENCE_KINDS)

    def __init__(self) -> None:
        self.parts: list[tuple[str, pd.DataFrame]] = []

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        template = recognition.template
        full = canonical_frame(sheet, recognition)
        # A list row has a value in a column the list uses; rows with values only in other
        # columns are the template's helper formulas (e.g. 'Not found' in 1,000 rows), not data.
        keep = full.notna().any(axis=1).to_numpy()
        if not keep.all():
            _count_helper_rows(staging.entry(sheet), int((~keep).sum()))
        canonical = reference_frame(template.kind, full, template.cycle_year)
        self.parts.append((template.kind, canonical[keep]))
        staging.add(REFERENCE_TABLES[template.kind], with_lineage(canonical, sheet)[keep])
        staging.reference_sheets.append((template, full[keep]))

    def steps(self) -> list[Step]:
        return [Step("reference", self.build)]

    def build(self, staging: Staging) -> None:
        """``Staging.reference`` from every reference sheet added."""
        staging.reference = build_reference(self.parts)


def _count_helper_rows(entry: dict, helper: int) -> None:
    """A list's helper rows counted with its blank rows in its load-log row, and said so."""
    entry.update(rows_read=entry["rows_read"] - helper, blank_rows=(entry.get("blank_rows") or 0) + helper)
    entry["message"] += (f"; {helper} row(s) hold values only in columns the list does not use "
                         f"(helper formulas): not list rows, counted with the blank rows")


class IgnoredSheets(Stager):
    """Sheets recognised only to be left out (kind ``ignored``): status ``ignored`` in the load log,
    with the template's description as the reason."""

    kinds = frozenset({IGNORED_KIND})

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        staging.entry(sheet).update(status="ignored", message=f"ignored on purpose: {recognition.template.description}")

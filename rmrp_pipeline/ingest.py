"""Ingest the raw folder: find every file and sheet, recognise it, and route it to its stager.

``ingest_raw_folder`` is the plain function behind the Dagster ingest asset: it reads each file
once, recognises each sheet once, hands each recognised sheet to the stager registered for its
template kind (:data:`STAGERS`; the contract is ``sources.staging``), runs the stagers' steps in
the order they declare, and returns the frames of every table they feed together with the
inventory ``raw.source_files`` (no warehouse access), so it is testable without Dagster. One file
that cannot be read is recorded as ``unreadable`` in the inventory and the others go on; an entry
of the folder that is not a regular file inside it (a link out of it, a FIFO, a device) is never
opened and recorded as ``not_read``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd
import pyarrow as pa

from rmrp_pipeline.quality.issues import ISSUE_TABLE_COLUMNS
from rmrp_pipeline.read.files import ReadError, original_first, sha256_file, walk_raw_folder
from rmrp_pipeline.read.limits import check_file_size
from rmrp_pipeline.read.recognise import read_and_recognise
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData, list_sheets
from rmrp_pipeline.ingest_cache import IngestCache
from rmrp_pipeline.sources.five_w.cached import step_frame
from rmrp_pipeline.sources.five_w.stage import FIVE_W_KIND, TABLE as FIVE_W_TABLE, FiveWStager
from rmrp_pipeline.sources.planning.stage import PlanningStager, PublishedFiguresStager
from rmrp_pipeline.settings import ReadLimits
from rmrp_pipeline.sources.staging import IgnoredSheets, ReferenceLists, Stager, Staging, Step
from rmrp_pipeline.text.printable import os_reason, printable

# fastexcel logs a warning for every column whose type it leaves to the typed-cell fallback (the
# lookup sheets of the submission template have hundreds): expected, handled by read.workbook, noise.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)

#: About how many "reading n/N" progress messages a run gives (each costs the Dagster log a few ms).
PROGRESS_STEPS = 20
#: Files read at the same time: fastexcel (Rust) releases the GIL while it parses a workbook.
READER_THREADS = min(4, os.cpu_count() or 1)

SheetOutcome = tuple[SheetData, Recognition] | Exception

#: The stagers of one ingest, made anew for each: the template kinds each takes, and the order in
#: which their steps run when no ``after`` decides it. A new kind of sheet plugs in here.
STAGERS: tuple[Callable[[], Stager], ...] = (
    ReferenceLists,  # reference lists: step "reference"
    FiveWStager,  # 5W reports: "five_w", and "five_w_above_pin" after "planning"
    PlanningStager,  # PiN/target tables, proportions, submissions: "planning"
    PublishedFiguresStager,  # published key-figures workbooks: "published_figures"
    IgnoredSheets,  # sheets left out on purpose: no step
)


class Frames(dict):
    """Warehouse table -> its rows as a frame; rows held as an Arrow table (the 5W staging's issue
    tables) become a frame when first read (``sources.five_w.cached.step_frame``: text as objects,
    None empty). ``IngestResult.for_warehouse`` takes the Arrow table itself."""

    def __getitem__(self, table: str) -> pd.DataFrame:
        rows = super().__getitem__(table)
        if isinstance(rows, pa.Table):
            rows = step_frame(rows, rows.column_names)
            super().__setitem__(table, rows)
        return rows

    def get(self, table: str, default: pd.DataFrame | None = None) -> pd.DataFrame | None:
        return self[table] if table in self else default

    def items(self):
        return [(table, self[table]) for table in self]

    def values(self):
        return [self[table] for table in self]


@dataclass
class IngestResult:
    """Frames for the warehouse tables fed by one ingest, keyed by table name
    (``raw.source_files``, ``staging.*``, ``meta.rejected_rows``, ``meta.quality_findings``;
    ``Frames``). ``arrow``: table -> (frame, the same rows as Arrow, made with them): what
    ``for_warehouse`` hands the warehouse while that frame is still the table's."""

    tables: dict[str, pd.DataFrame] = field(default_factory=Frames)
    arrow: dict[str, tuple[pd.DataFrame, pa.Table]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.tables, Frames):
            self.tables = Frames(self.tables)

    def for_warehouse(self, table: str) -> pd.DataFrame | pa.Table:
        """The rows of ``table`` to write: the Arrow table the ingest holds them in, or the one
        made with the frame now held for the table (a frame replaced or concatenated since goes as
        itself), else the frame (empty when the ingest found none)."""
        frame = dict.get(self.tables, table, pd.DataFrame())
        if isinstance(frame, pa.Table):
            return frame
        made = self.arrow.get(table)
        return made[1] if made is not None and made[0] is frame else frame


Prepare = Callable[[SheetData, Recognition], None]

#: glibc's ``mallopt`` parameters, and the size from which a block gets its own mapping.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _MMAP_FROM = -1, -3, 128 * 1024


@lru_cache(maxsize=1)
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def return_freed_memory() -> None:
    """Have glibc serve every block of 128 KiB or more from a mapping of its own, unmapped when it
    is freed, and give back the top of the heap beyond 128 KiB. By default glibc raises that
    threshold (up to 32 MiB) after the first large block is freed, so the column arrays of each
    staged batch, freed batch by batch, stay in the process (about 500 MiB of the 1M-row ingest).
    Process-wide; nothing where the C library is not glibc."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM)
        libc.mallopt(_M_TRIM_THRESHOLD, _MMAP_FROM)


def trim_freed_memory() -> None:
    """Give freed memory back to the system: the pages Arrow's allocator (mimalloc or jemalloc)
    keeps for reuse (``release_unused``: 250 MiB after the 1M-row ingest), and the free pages
    inside glibc's heaps (``malloc_trim``; nothing where the C library is not glibc)."""
    pa.default_memory_pool().release_unused()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def _read_sheets(path: Path, name: str, prepare: Prepare) -> ReadError | list[tuple[str, str, SheetOutcome]]:
    """Every sheet of one file read and recognised: (sheet name, visibility, (sheet, recognition)
    or the exception that stopped it); the ReadError when the file cannot be opened at all.
    ``prepare`` runs on every sheet read (in the reader thread)."""
    try:
        sheets = list_sheets(path)
    except ReadError as exc:
        return exc
    outcomes: list[tuple[str, str, SheetOutcome]] = []
    for sheet_name, visible in sheets:
        try:
            sheet, recognition = read_and_recognise(path, sheet_name, name)
        except Exception as exc:  # noqa: BLE001 - reported per sheet by the caller
            outcomes.append((sheet_name, visible, exc))
            continue
        prepare(sheet, recognition)
        outcomes.append((sheet_name, visible, (sheet, recognition)))
    return outcomes


def _hash(path: Path, limits: ReadLimits) -> str | ReadError:
    """``sha256_file`` of ``path``, or the ReadError saying why it cannot be read (a file over
    ``limits.file_mb`` is refused unread: not even hashed)."""
    try:
        check_file_size(path, path.name, limits)
        return sha256_file(path)
    except ReadError as exc:
        return exc
    except OSError as exc:  # removed or made unreadable since the folder was listed
        return ReadError(f"{path.name} cannot be read ({os_reason(exc)})")


def _hash_files(raw_dir: Path, files: list[Path]) -> list[tuple[Path, str, str | ReadError]]:
    """(path, name relative to ``raw_dir``, SHA-256 or the ReadError saying why the file cannot be
    read) per file, in the order of ``files``, hashed in READER_THREADS threads."""
    names = [path.relative_to(raw_dir).as_posix() for path in files]
    with ThreadPoolExecutor(READER_THREADS) as pool:
        hashes = list(pool.map(partial(_hash, limits=ReadLimits.from_environment()), files))
    return list(zip(files, names, hashes))


def _read_files(files: list[tuple[Path, str]], prepare: Prepare) -> Iterator[ReadError | list]:
    """``_read_sheets`` of each (path, name) of ``files``, in order, read in READER_THREADS threads
    a few files ahead of the caller."""
    with ThreadPoolExecutor(READER_THREADS) as pool:
        yield from pool.map(partial(_read_sheets, prepare=prepare), [p for p, _n in files], [n for _p, n in files])


def _originals(names: list[str], hashes: list[str | ReadError]) -> dict[str | ReadError, str]:
    """SHA-256 (or the ReadError of a file that could not be hashed: its own name) -> the name of
    the original among the files with those bytes (``read.files.original_first``: the name
    without a copy mark, else the shorter, else the first in sorted order)."""
    same: dict[str | ReadError, list[str]] = {}
    for name, sha256 in zip(names, hashes):
        same.setdefault(sha256, []).append(name)
    return {sha256: original_first(group)[0] for sha256, group in same.items()}


def ingest_raw_folder(
    raw_dir: Path, progress: Callable[[str], None] = lambda _msg: None, cache_dir: Path | None = None
) -> IngestResult:
    """Read, recognise, stage and validate every file below ``raw_dir``.

    ``cache_dir``: where the staged result of each 5W file is kept, by content (``ingest_cache``,
    ``ingest_cache.cache_dir_for`` gives the folder beside a warehouse):
    a file whose bytes, name, the code, the settings and the reference lists are those of a
    cached entry is not read again; None: no cache. The steps that compare files (copies,
    resubmissions, the outlier checks) run over every file either way, and give the same tables.

    Returns:
        ``IngestResult`` with frames for ``raw.source_files`` (one row per file and sheet,
        recognised or not, with rows read) and for every table the stagers feed: the reference
        tables, ``staging.stg_5w__activities``, the planning tables, the published figures and
        their sources, ``meta.rejected_rows`` and ``meta.quality_findings``. The issue tables,
        and with a cache ``staging.stg_5w__activities``, are held as Arrow tables and read as
        frames (``Frames``: text as objects, a count with empty cells as float with NaN, a date
        as ``datetime.date``).

    Raises nothing for a bad file: it is recorded as ``unreadable`` with the reason; an entry of
    the folder that is never opened (a link out of it, a FIFO, a device: ``read.files.walk_raw_folder``)
    as ``not_read`` with the reason.
    """
    return_freed_memory()
    stagers = [make() for make in STAGERS]
    by_kind = stagers_by_kind(stagers)
    steps = ordered_steps(stagers)
    staging = Staging(progress=lambda message: progress(printable(message)))  # names from partners: one line
    read_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    files, not_read = walk_raw_folder(raw_dir)
    for entry in not_read:  # links out of the folder, FIFOs, devices...: listed, never opened
        staging.log({"source_file": entry.path.relative_to(raw_dir).as_posix(), "sheet": "", "sha256": None,
                     "read_at": read_at, "status": "not_read", "message": entry.reason})
    hashed = _hash_files(raw_dir, files)
    originals = _originals([name for _p, name, _h in hashed], [sha256 for _p, _n, sha256 in hashed])
    cache = IngestCache.open(cache_dir)
    five_w = by_kind[FIVE_W_KIND]
    assert isinstance(five_w, FiveWStager)
    prepare = partial(_prepare, by_kind)
    originals_only = [(path, name, sha256) for path, name, sha256 in hashed
                      if isinstance(sha256, str) and originals[sha256] == name]   # a later copy is never read
    cached = {name for _p, name, sha256 in originals_only if cache is not None and cache.has(sha256)}
    readings = _read_files([(path, name) for path, name, _h in originals_only if name not in cached], prepare)
    for number, (_path, name, sha256) in enumerate(hashed, start=1):
        if number % max(1, len(files) // PROGRESS_STEPS) == 0 or number in (1, len(files)):
            staging.progress(f"reading {number}/{len(files)}: {name}")
        base = {"source_file": name, "sha256": sha256 if isinstance(sha256, str) else None, "read_at": read_at}
        if isinstance(sha256, ReadError):
            staging.log({**base, "sheet": "", "status": "unreadable", "message": str(sha256)})
        elif originals[sha256] != name:
            # The same bytes twice (a copy in another folder or under another name): loading it
            # again would double every figure it holds.
            staging.log({**base, "sheet": "", "status": "duplicate_file",
                         "message": f"same content as {originals[sha256]}: not loaded twice"})
        elif name not in cached:
            _log_file(staging, by_kind, base, next(readings))
    if cache is not None:
        missed = cache.take(staging, five_w, [(p, n, h) for p, n, h in hashed if n in cached], read_at)
        for (path, name, sha256), sheets in zip(missed, _read_files([(p, n) for p, n, _h in missed], prepare)):
            _log_file(staging, by_kind, {"source_file": name, "sha256": sha256, "read_at": read_at}, sheets)
        five_w.keep = cache.keep(staging, [dict(entry) for entry in staging.load_log])
    for step in steps:
        step.run(staging)
        trim_freed_memory()
    if cache is not None:
        cache.prune(staging)
        made = staging.arrow.pop(FIVE_W_TABLE, None)
        if made is not None and made[0] is staging.tables.get(FIVE_W_TABLE):   # the steps' columns no longer needed
            staging.tables[FIVE_W_TABLE] = made[1]
    staging.add("raw.source_files", pd.DataFrame(staging.load_log))
    for table in ("meta.rejected_rows", "meta.quality_findings"):
        staging.tables.setdefault(table, pd.DataFrame(columns=ISSUE_TABLE_COLUMNS))
    return IngestResult(staging.tables, staging.arrow)


def _log_file(staging: Staging, by_kind: dict[str, Stager], base: dict, sheets: ReadError | list) -> None:
    """Log (and route) the sheets of one file read (``_read_sheets``): ``unreadable`` when the file
    could not be opened; ``unknown_file`` for each sheet when no sheet was recognised."""
    if isinstance(sheets, ReadError):
        staging.log({**base, "sheet": "", "status": "unreadable", "message": str(sheets)})
        return
    entries = [_route(staging, by_kind, base, *sheet) for sheet in sheets]
    if entries and all(e["status"] == "unknown_sheet" for e in entries):
        for e in entries:
            e["status"] = "unknown_file"


def _sheet_entry(base: dict, sheet_name: str, visible: str, outcome: SheetOutcome) -> dict:
    """The inventory row of one sheet (``base``: its file's fields), with its outcome: status
    ``unreadable`` (with the reason), ``unknown_sheet`` or ``recognised`` (with the template), rows
    read and notes on how the sheet was read."""
    entry = {**base, "sheet": sheet_name, "visible": visible}
    if isinstance(outcome, ReadError):
        return {**entry, "status": "unreadable", "message": str(outcome)}
    if isinstance(outcome, Exception):  # an unforeseen fault in one file must not stop the others
        return {**entry, "status": "unreadable", "message": f"{type(outcome).__name__}: {outcome}"}
    sheet, recognition = outcome
    notes = [recognition.message]
    if sheet.title_rows:
        notes.append(f"header found on row {sheet.row_numbers[0] - 1 if sheet.row_numbers else '?'}, "
                     f"{sheet.title_rows} title row(s) above it not read as data")
    if visible != "visible":
        notes.append(f"{visible} sheet: its rows are read like any other")
    if sheet.hidden_rows:
        notes.append(f"{sheet.hidden_rows} hidden row(s) read as data")
    entry.update(
        rows_read=sheet.rows_read,
        blank_rows=sheet.blank_rows,
        hidden_rows=sheet.hidden_rows,
        rows_in_file=sheet.rows_in_file,
        hxl_tags=json.dumps(sheet.hxl_tags, ensure_ascii=False) if sheet.hxl_tags else None,
        message="; ".join(notes),
    )
    template = recognition.template
    if template is None:
        return {**entry, "status": "unknown_sheet"}
    return {**entry, "status": "recognised", "template_id": template.template_id, "kind": template.kind}


def _route(staging: Staging, by_kind: dict[str, Stager], base: dict, sheet_name: str, visible: str,
           outcome: SheetOutcome) -> dict:
    """Log one sheet's inventory row (``_sheet_entry``), and hand the sheet, when recognised, to the
    stager of its template kind (a kind no stager takes is only logged). Returns the row."""
    entry = staging.log(_sheet_entry(base, sheet_name, visible, outcome))
    if entry["status"] == "recognised":
        sheet, recognition = outcome
        stager = by_kind.get(recognition.template.kind)
        if stager is not None:
            stager.add(sheet, recognition, staging)
    return entry


def _prepare(by_kind: dict[str, Stager], sheet: SheetData, recognition: Recognition) -> None:
    """The head start the stager of the sheet's kind takes in the reader threads (its errors are
    left to staging, which meets and reports them again)."""
    stager = by_kind.get(recognition.template.kind) if recognition.template is not None else None
    if stager is None:
        return
    try:
        stager.prepare(sheet, recognition)
    except Exception:  # noqa: BLE001 - only a head start
        pass


def stagers_by_kind(stagers: Iterable[Stager]) -> dict[str, Stager]:
    """Template kind -> the stager that takes its sheets.

    Raises:
        ValueError: two stagers take the same kind.
    """
    by_kind: dict[str, Stager] = {}
    for stager in stagers:
        for kind in sorted(stager.kinds):
            if kind in by_kind:
                raise ValueError(f"template kind {kind!r} is taken by {type(by_kind[kind]).__name__} "
                                 f"and {type(stager).__name__}")
            by_kind[kind] = stager
    return by_kind


def ordered_steps(stagers: Iterable[Stager]) -> list[Step]:
    """Every step of ``stagers``, each after the steps its ``after`` names; otherwise in the order of
    the stagers and of their steps.

    Raises:
        ValueError: a step is declared twice, names a step that no stager has, or the steps wait
            on each other.
    """
    waiting = [step for stager in stagers for step in stager.steps()]
    names = [step.name for step in waiting]
    for step in waiting:
        if names.count(step.name) > 1:
            raise ValueError(f"step {step.name!r} is declared twice")
        unknown = [name for name in step.after if name not in names]
        if unknown:
            raise ValueError(f"step {step.name!r} runs after {unknown}, which no stager declares")
    done: list[Step] = []
    while waiting:
        finished = {step.name for step in done}
        ready = next((step for step in waiting if finished.issuperset(step.after)), None)
        if ready is None:
            raise ValueError(f"steps that wait on each other: {[step.name for step in waiting]}")
        done.append(ready)
        waiting = [step for step in waiting if step is not ready]
    return done

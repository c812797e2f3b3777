"""Ingest the raw folder: find every file and sheet, recognise it, stage it, validate it.

``ingest_raw_folder`` is the plain function behind the Dagster ingest asset: it reads each
file once, and returns the frames of every table it feeds (no warehouse access), so it is
testable without Dagster. One file that cannot be read is recorded as ``unreadable`` in the
inventory and the others go on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from rmrp_pipeline.quality import rules
from rmrp_pipeline.quality.issues import ISSUE_TABLE_COLUMNS, issues_for_table
from rmrp_pipeline.read.files import ReadError, list_input_files, sha256_file
from rmrp_pipeline.read.recognise import read_and_recognise
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData, list_sheets
from rmrp_pipeline.sources.five_w.outliers import outlier_above_pin
from rmrp_pipeline.sources.five_w.stage import prepare_sheet, stage_five_w_sheets
from rmrp_pipeline.sources.planning.key_figures import read_published_key_figures
from rmrp_pipeline.sources.planning.stage import PlanningIngest
from rmrp_pipeline.sources.reference import (
    REFERENCE_KINDS,
    build_reference,
    reference_frame,
)
from rmrp_pipeline.text.cells import cell_text

# fastexcel logs a warning for every column whose type it leaves to the typed-cell fallback (the
# lookup sheets of the submission template have hundreds): expected, handled by reading.py, noise.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)

#: Warehouse table of each reference kind.
REFERENCE_TABLES = {
    "platforms_countries": "staging.ref_countries",
    "admin1": "staging.ref_admin1",
    "appealing_organisations": "staging.ref_organisations",
    "implementing_partners": "staging.ref_organisations",
    "indicator_registry": "staging.ref_indicators",
}
PUBLISHED_KINDS = {"published_key_figures", "published_other_figures", "published_source"}
#: Template kind of sheets recognised only to be left out on purpose (instructions, pivot tables,
#: dropdown copies of lists read elsewhere): status ``ignored``, the template's description says why.
IGNORED_KIND = "ignored"


@dataclass
class IngestResult:
    """Frames for the warehouse tables fed by one ingest, keyed by table name
    (``raw.source_files``, ``staging.*``, ``meta.rejected_rows``, ``meta.quality_findings``).
    ``arrow``: table -> (frame, the same rows as Arrow, made with them): what ``for_warehouse``
    hands the warehouse while that frame is still the table's."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    arrow: dict[str, tuple[pd.DataFrame, pa.Table]] = field(default_factory=dict)

    def for_warehouse(self, table: str) -> pd.DataFrame | pa.Table:
        """The rows of ``table`` to write: its Arrow table when it was made with the frame now
        held for the table (a frame replaced or concatenated since goes as itself), else the
        frame (empty when the ingest found none)."""
        frame = self.tables.get(table, pd.DataFrame())
        made = self.arrow.get(table)
        return made[1] if made is not None and made[0] is frame else frame

    def add(self, table: str, frame: pd.DataFrame) -> None:
        """Append ``frame`` to the frame collected for ``table``."""
        if table in self.tables and not self.tables[table].empty:
            frame = pd.concat([self.tables[table], frame], ignore_index=True)
        self.tables[table] = frame


def _canonical(sheet: SheetData, recognition: Recognition) -> pd.DataFrame:
    """The sheet's recognised columns under their canonical names, as text, with lineage."""
    frame = sheet.frame[list(recognition.mapping.values())].copy()
    frame.columns = list(recognition.mapping)
    frame = frame.astype(object).map(cell_text)
    return frame


def _with_lineage(frame: pd.DataFrame, sheet: SheetData) -> pd.DataFrame:
    frame = frame.copy()
    frame["source_file"] = sheet.source_file
    frame["source_sheet"] = sheet.sheet
    frame["source_row"] = sheet.row_numbers
    return frame










#: About how many "reading n/N" progress messages a run gives (each costs the Dagster log a few ms).
PROGRESS_STEPS = 20
#: Files read at the same time: fastexcel (Rust) releases the GIL while it parses a workbook.
READER_THREADS = min(4, os.cpu_count() or 1)

SheetOutcome = tuple[SheetData, Recognition] | Exception


def _read_sheets(path: Path, name: str) -> ReadError | list[tuple[str, str, SheetOutcome]]:
    """Every sheet of one file read and recognised: (sheet name, visibility, (sheet, recognition)
    or the exception that stopped it); the ReadError when the file cannot be opened at all."""
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
        if recognition.template is not None and recognition.template.kind == "five_w":
            try:
                prepare_sheet(sheet, recognition)
            except Exception:  # noqa: BLE001 - only a head start: staging meets (and reports) it again
                pass
        outcomes.append((sheet_name, visible, (sheet, recognition)))
    return outcomes


def _read_files(raw_dir: Path, files: list[Path]) -> Iterator[tuple[Path, str, str, str, ReadError | list | None]]:
    """(path, name relative to ``raw_dir``, SHA-256, name of the first file with the same bytes,
    ``_read_sheets`` of the file or None for a later copy) per file, in the order of ``files``.
    Files are hashed and read in READER_THREADS threads, a few files ahead of the caller; a
    later copy of a file is not read."""
    names = [path.relative_to(raw_dir).as_posix() for path in files]
    with ThreadPoolExecutor(READER_THREADS) as pool:
        hashes = list(pool.map(sha256_file, files))
        first_copy: dict[str, str] = {}
        for name, sha256 in zip(names, hashes):
            first_copy.setdefault(sha256, name)
        read = [(path, name) for path, name, sha256 in zip(files, names, hashes) if first_copy[sha256] == name]
        readings = pool.map(_read_sheets, [p for p, _n in read], [n for _p, n in read])
        for path, name, sha256 in zip(files, names, hashes):
            first = first_copy[sha256]
            yield path, name, sha256, first, next(readings) if first == name else None


def ingest_raw_folder(
    raw_dir: Path, progress: Callable[[str], None] = lambda _msg: None
) -> IngestResult:
    """Read, recognise, stage and validate every file below ``raw_dir``.

    Returns:
        ``IngestResult`` with frames for ``raw.source_files`` (one row per file and sheet,
        recognised or not, with rows read), the reference tables, ``staging.stg_5w__activities``,
        ``staging.stg_planning__published_figures``, the planning tables of
        ``planning_ingest.PLANNING_TABLES``, ``meta.rejected_rows`` and ``meta.quality_findings``.

    Raises nothing for a bad file: it is recorded as ``unreadable`` with the reason.
    """
    result = IngestResult()
    read_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    inventory: list[dict] = []
    five_w_sheets: list[tuple[SheetData, Recognition]] = []
    reference_parts: list[tuple[str, pd.DataFrame]] = []
    published_files: dict[Path, list[dict]] = {}
    planning = PlanningIngest()
    files = list_input_files(raw_dir)
    for number, (path, name, sha256, first_copy, sheets) in enumerate(_read_files(raw_dir, files), start=1):
        if number % max(1, len(files) // PROGRESS_STEPS) == 0 or number in (1, len(files)):
            progress(f"reading {number}/{len(files)}: {name}")
        base = {"source_file": name, "sha256": sha256, "read_at": read_at}
        if first_copy != name:
            # The same bytes twice (a copy in another folder): loading it again would double
            # every figure it holds.
            inventory.append({**base, "sheet": "", "status": "duplicate_file",
                              "message": f"same content as {first_copy}: not loaded twice"})
            continue
        if isinstance(sheets, ReadError):
            inventory.append({**base, "sheet": "", "status": "unreadable", "message": str(sheets)})
            continue
        entries = []
        for sheet_name, visible, outcome in sheets:
            entry = {**base, "sheet": sheet_name, "visible": visible}
            if isinstance(outcome, ReadError):
                entries.append({**entry, "status": "unreadable", "message": str(outcome)})
                continue
            if isinstance(outcome, Exception):  # an unforeseen fault in one file must not stop the others
                entries.append({**entry, "status": "unreadable", "message": f"{type(outcome).__name__}: {outcome}"})
                continue
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
                entries.append({**entry, "status": "unknown_sheet"})
                continue
            if template.kind == IGNORED_KIND:
                entries.append({**entry, "status": "ignored", "template_id": template.template_id, "kind": template.kind,
                                "message": f"ignored on purpose: {template.description}"})
                continue
            entries.append({**entry, "status": "recognised", "template_id": template.template_id, "kind": template.kind})
            if template.kind == "five_w":
                five_w_sheets.append((sheet, recognition))
            elif template.kind in REFERENCE_KINDS:
                full = _canonical(sheet, recognition)
                # A list row has a value in a column the list uses; rows with values only in other
                # columns are the template's helper formulas (e.g. 'Not found' in 1,000 rows), not data.
                keep = full.notna().any(axis=1).to_numpy()
                if not keep.all():
                    helper = int((~keep).sum())
                    entries[-1].update(rows_read=entries[-1]["rows_read"] - helper,
                                       blank_rows=(entries[-1].get("blank_rows") or 0) + helper)
                    entries[-1]["message"] += (f"; {helper} row(s) hold values only in columns the list does not use "
                                               f"(helper formulas): not list rows, counted with the blank rows")
                canonical = reference_frame(template.kind, full, template.cycle_year)
                reference_parts.append((template.kind, canonical[keep]))
                result.add(REFERENCE_TABLES[template.kind], _with_lineage(canonical, sheet)[keep])
                planning.add_reference(template, full[keep])
            elif planning.accepts(template.kind):
                planning.add(sheet, recognition)
            elif template.kind in PUBLISHED_KINDS:
                published_files.setdefault(path, []).append(entries[-1])
                if template.kind == "published_source":
                    result.add("staging.stg_planning__sources", _with_lineage(_canonical(sheet, recognition), sheet))
        if entries and all(e["status"] == "unknown_sheet" for e in entries):
            for e in entries:
                e["status"] = "unknown_file"
        inventory.extend(entries)

    reference = build_reference(reference_parts)

    def not_staged(sheet: SheetData, exc: Exception) -> None:
        for entry in inventory:
            if entry["source_file"] == sheet.source_file and entry["sheet"] == sheet.sheet:
                entry.update(status="unreadable", message=f"could not be staged ({type(exc).__name__}: {exc}); please report this file to the pipeline team")

    if five_w_sheets:
        rows = sum(sheet.rows_read for sheet, _r in five_w_sheets)
        progress(f"validating {len(five_w_sheets)} 5W sheet(s): {rows:,} rows")
        try:
            staged_parts = [stage_five_w_sheets(five_w_sheets, reference)]
        except Exception:  # noqa: BLE001 - find the sheet at fault; the others still load
            staged_parts = []
            for sheet, recognition in five_w_sheets:
                try:
                    staged_parts.append(stage_five_w_sheets([(sheet, recognition)], reference))
                except Exception as exc:  # noqa: BLE001
                    not_staged(sheet, exc)
        while staged_parts:  # each part's issues freed once split into rejects and findings
            staged = staged_parts.pop(0)
            result.add("staging.stg_5w__activities", staged.rows)
            if staged.arrow is not None:
                result.arrow["staging.stg_5w__activities"] = staged.rows, staged.arrow
            result.add("meta.rejected_rows", issues_for_table(staged.issues, rules.REJECT, "stg_5w__activities"))
            result.add("meta.quality_findings", issues_for_table(staged.issues, rules.FINDING, "stg_5w__activities"))
            del staged

    planning.stage(result, reference, progress, on_error=not_staged)
    # the 5W rule that needs the PiN tables, now that both are staged
    new_headers = {(sheet.source_file, sheet.sheet): recognition.mapping.get("new_beneficiaries", "new_beneficiaries")
                   for sheet, recognition in five_w_sheets}
    above_pin = outlier_above_pin(result.tables.get("staging.stg_5w__activities"),
                                  result.tables.get("staging.stg_planning__pin_target"), new_headers)
    result.add("meta.quality_findings", issues_for_table(above_pin, rules.FINDING, "stg_5w__activities"))

    for path, entries in published_files.items():
        progress(f"reading published figures: {path.name}")
        name = entries[0]["source_file"]
        try:
            figures, rejects, info = read_published_key_figures(path)
        except Exception as exc:  # a broken workbook must not stop the other files
            for entry in entries:
                entry.update(status="unreadable", message=f"{type(exc).__name__}: {exc}")
            sources = result.tables.get("staging.stg_planning__sources")
            if sources is not None:
                result.tables["staging.stg_planning__sources"] = sources[sources["source_file"] != name]
            continue
        figures = figures.assign(source_file=name)
        rejects = rejects.assign(source_file=name, produced_by="stg_planning__published_figures")
        # A row with an unreadable cell is rejected whole: none of its cells is loaded.
        bad = set(zip(rejects["sheet"], rejects["row_number"]))
        keep = [(s, r) not in bad for s, r in zip(figures["sheet"], figures["row_number"])]
        result.add("staging.stg_planning__published_figures", figures.loc[keep])
        result.add("meta.rejected_rows", rejects[ISSUE_TABLE_COLUMNS])
        if info.get("findings"):
            findings = pd.DataFrame(info["findings"]).assign(source_file=name, produced_by="stg_planning__published_figures")
            result.add("meta.quality_findings", findings[ISSUE_TABLE_COLUMNS])
        for entry in entries:
            sheet_info = info.get("sheets", {}).get(entry["sheet"])
            if sheet_info is not None:
                entry["rows_read"] = sheet_info["rows_read"]

    result.add("raw.source_files", pd.DataFrame(inventory))
    for table in ("meta.rejected_rows", "meta.quality_findings"):
        result.tables.setdefault(table, pd.DataFrame(columns=ISSUE_TABLE_COLUMNS))
    return result





"""Monthly 5W activity reports: canonical columns, typed values, validation.

``stage_five_w_sheets`` takes recognised 5W sheets and returns their rows in the canonical schema
(one row per input row, lineage kept) plus one issue row per failed rule. Parsing decides what can
be read with certainty (a number cell is a number; text is parsed strictly with the file's
language; anything else is a reject naming the cell). The R4V quality rules then run as vectorised
row checks over the staged rows (``checks``). ``FiveWStager`` is the ingest's stager of the 5W sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ftfy
import numpy as np
import pandas as pd
import pyarrow as pa

from rmrp_pipeline.domain import resolve_sectors
from rmrp_pipeline.quality import rules
from rmrp_pipeline.quality.issues import ISSUE_COLUMNS, issue_arrow, issue_frame, issues_for_table
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.five_w.checks import validate_five_w
from rmrp_pipeline.sources.five_w.columns import (
    AGE_GENDER,
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    POPULATION_TYPES,
    RAW_COLUMNS,
    STAGED_COLUMNS,
    TEXT_COLUMNS,
    YES_NO_COLUMNS,
)
from rmrp_pipeline.sources.five_w.cached import ISSUE_TABLES, CachedFiveW, add_staged, split_by_file
from rmrp_pipeline.sources.five_w.history import cross_file_findings, rows_in_other_files
from rmrp_pipeline.sources.five_w.outliers import outlier_above_pin
from rmrp_pipeline.sources.five_w.resubmissions import drop_superseded
from rmrp_pipeline.sources.reference import ReferenceData
from rmrp_pipeline.sources.staging import Stager, Staging, Step
from rmrp_pipeline.text.cells import (
    cell_text,
    clean_text,
    map_distinct,
    normalise_key,
    spread,
)
from rmrp_pipeline.text.personal_data import screen_codes
from rmrp_pipeline.text.parsers import (
    MONTH_NAMES,
    day_first_convention,
    is_missing_marker,
    months_of_cells,
    numbers_of_cells,
    numbers_of_floats,
    texts_of,
    unreadable_months,
    yes_no_of_cells,
)
from rmrp_pipeline.warehouse import db as warehouse


@dataclass
class StagedFiveW:
    """Result of staging 5W sheets: ``rows`` (STAGED_COLUMNS) and ``issues`` (ISSUE_COLUMNS);
    ``arrow``: the same rows as an Arrow table for the warehouse, its text columns encoded from
    the staging's codes (``warehouse.arrow_table``), or None."""

    rows: pd.DataFrame
    issues: pd.DataFrame
    arrow: pa.Table | None = None












MONTH_NAMES.update({name[:3]: number for name, number in list(MONTH_NAMES.items())})
MONTH_NAMES.update({"sept": 9, "set": 9, "dic": 12, "ene": 1, "fev": 2, "dez": 12})


























def _text_of_cells(cells: list) -> tuple[np.ndarray, np.ndarray]:
    """(text, mojibake repaired) of each distinct cell (None for the blank): cleaned (NFC,
    spaces; a number written in a text column becomes its text), and ``naturalizaciÃ³n`` (UTF-8
    read as Latin-1 somewhere upstream) repaired to ``naturalización`` with ftfy, the repair
    reported."""
    texts = np.empty(len(cells), dtype=object)
    repaired = np.zeros(len(cells), dtype=bool)
    for position, cell in enumerate(cells):
        text = cell_text(cell)
        if isinstance(text, str) and ftfy.badness.is_bad(text):
            text, repaired[position] = clean_text(ftfy.fix_encoding(text)), True
        texts[position] = text
    return texts, repaired


_PROBLEM_RULES = {"error": "cell_error", "formula_without_value": "formula_without_value",
                  "formula_not_recalculated": "formula_not_recalculated"}

Group = list[tuple[SheetData, Recognition]]


def _raw_column(group: Group, canonical: str) -> pd.Series:
    """The cells of one canonical column, sheet after sheet (a sheet without the column gives
    empty cells: NaN in a number column, None elsewhere)."""
    numeric = canonical in COUNT_COLUMNS or canonical in AMOUNT_COLUMNS
    parts = [
        sheet.frame[recognition.mapping[canonical]] if canonical in recognition.mapping
        else pd.Series(np.nan if numeric else None, index=range(len(sheet.frame)), dtype=float if numeric else object)
        for sheet, recognition in group if len(sheet.frame)
    ]  # empty sheets left out: they have no cells, and they would not decide the dtype
    return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype=float if numeric else object)


def _column_cells(group: Group, canonical: str) -> tuple[np.ndarray, list]:
    """``text.cells.distinct_cells`` of one canonical column (``_raw_column``), "no data" markers
    read as empty cells: each sheet's distinct cells (``SheetData.cells_of``) merged by type and
    value, in order of first appearance as in the column of all the sheets."""
    index: dict[tuple[type, object], int] = {}
    cells: list = []
    parts = []
    for sheet, recognition in group:
        if canonical not in recognition.mapping:
            parts.append(np.full(len(sheet.frame), -1, dtype=np.int32))
            continue
        local_codes, local_cells = sheet.cells_of(recognition.mapping[canonical])
        to_group = np.full(len(local_cells), -1, dtype=np.int32)  # the sheet's blank stays blank
        for position, cell in enumerate(local_cells[:-1]):
            to_group[position] = index.setdefault((type(cell), cell), len(index))
            if to_group[position] == len(cells):
                cells.append(cell)
        parts.append(to_group[local_codes])
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    codes[codes < 0] = len(cells)
    return codes, [None if is_missing_marker(cell) else cell for cell in cells] + [None]


def prepare_sheet(sheet: SheetData, recognition: Recognition) -> None:
    """Compute ahead of staging (in the reader threads, while other files are parsed) the
    distinct cells of the columns staging reads cell by cell: text, Yes/No and month columns,
    and number columns that hold anything but number cells."""
    for canonical, header in recognition.mapping.items():
        if canonical in RAW_COLUMNS and (canonical not in COUNT_COLUMNS + AMOUNT_COLUMNS
                                         or sheet.frame[header].dtype.kind not in "fi"):
            sheet.cells_of(header)


def _problem_cells(sheet: SheetData, recognition: Recognition) -> list[tuple[int, str, str, str]]:
    """The sheet's problem cells (``SheetData.problem_cells``) in its canonical columns, as
    (position among the sheet's rows, canonical column, kind, text)."""
    if not sheet.problem_cells:
        return []
    position_of_row = {row: position for position, row in enumerate(sheet.row_numbers)}
    canonical_of_letter = {sheet.column_letters[sheet.headers.index(h)]: c for c, h in recognition.mapping.items()}
    return [(position_of_row[row], canonical_of_letter[letter], kind, text)
            for (row, letter), (kind, text) in sheet.problem_cells.items()
            if row in position_of_row and letter in canonical_of_letter]


def stage_five_w_sheets(sheets: list[tuple[SheetData, Recognition]], reference: ReferenceData) -> StagedFiveW:
    """Stage recognised 5W sheets: sheets of one template are parsed and validated together
    (the checks run once per template, not once per file: 200 partner files cost one validation).

    Args:
        sheets: (sheet as read by ``read.workbook.read_table``, its template match of kind five_w).
        reference: the reference lists.

    Returns:
        ``StagedFiveW``: ``rows`` has one row per input row with STAGED_COLUMNS (counts in
        persons as float with NaN for empty cells, ``value_usd`` in USD, ``month`` first day of
        the month); ``issues`` one row per failed rule and cell (Excel row numbers, the file's own
        column headers).
    """
    by_template: dict[str, Group] = {}
    for sheet, recognition in sheets:
        assert recognition.template is not None and recognition.template.kind == "five_w", "5W sheets only"
        by_template.setdefault(recognition.template.template_id, []).append((sheet, recognition))
    parts = [_stage_template(group, reference) for group in by_template.values()]
    if not parts:
        return StagedFiveW(pd.DataFrame(columns=STAGED_COLUMNS), pd.DataFrame(columns=ISSUE_COLUMNS))
    if len(parts) == 1:
        return parts[0]
    return StagedFiveW(
        pd.concat([p.rows for p in parts], ignore_index=True),
        pd.concat([p.issues for p in parts], ignore_index=True),
    )


#: Template kind of the 5W sheets, and the table they feed.
FIVE_W_KIND = "five_w"
TABLE = "staging.stg_5w__activities"


class FiveWStager(Stager):
    """The ingest's stager of the 5W sheets. Step ``five_w`` stages them (after the reference
    lists) a batch of whole files at a time (``BATCH_ROWS``): each batch's rows become Arrow and
    its sheets are freed before the next is staged; step ``five_w_resubmissions`` drops the rows
    newer versions of their report replace (``resubmissions``); step ``five_w_cross_file`` runs
    the checks that compare files (``history``); step ``five_w_above_pin`` runs the rule that
    needs the PiN tables (``outliers.outlier_above_pin``), after the planning sheets are staged.
    A sheet whose staging fails is marked not staged and the others load."""

    kinds = frozenset({FIVE_W_KIND})

    def __init__(self) -> None:
        self.sheets: Group = []
        #: files whose staged result the ingest takes from its cache (``cached``), merged by ``stage``
        self.cached: list[CachedFiveW] = []
        #: where the staged result of each file read in this run goes, before any cross-file step
        #: (the ingest's cache: ``keep(name, part)``); None: not kept. When set, the table's frame
        #: holds the ``cached.STEP_COLUMNS`` of the rows and its Arrow table every column.
        self.keep: Callable[[str, CachedFiveW], None] | None = None
        self._headers: dict[tuple[str, str], dict[str, str]] = {}

    def prepare(self, sheet: SheetData, recognition: Recognition) -> None:
        prepare_sheet(sheet, recognition)

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        self.sheets.append((sheet, recognition))
        self._headers[(sheet.source_file, sheet.sheet)] = dict(recognition.mapping)

    def steps(self) -> list[Step]:
        return [Step("five_w", self.stage, after=("reference",)),
                Step("five_w_resubmissions", lambda staging: drop_superseded(staging, TABLE), after=("five_w",)),
                Step("five_w_cross_file", self.cross_file, after=("five_w_resubmissions",)),
                Step("five_w_copied_rows", lambda staging: copied_rows(staging, self.headers()),
                     after=("five_w_cross_file",)),
                Step("five_w_above_pin", self.above_pin, after=("five_w_resubmissions", "planning"))]

    def headers(self) -> dict[tuple[str, str], dict[str, str]]:
        """(file, sheet) -> canonical column -> the file's own header, of every 5W sheet."""
        found = dict(self._headers)
        for part in self.cached:
            found.update(part.headers)
        return found

    def stage(self, staging: Staging) -> None:
        """Stage every 5W sheet read into ``staging.stg_5w__activities``, its issues into
        ``meta.rejected_rows`` and ``meta.quality_findings``, batch by batch (``batches``; each
        file's result handed to ``keep`` when set); then add the files of ``cached``
        (``cached.add_staged``). The rows keep the order of the sheets within each template
        of a batch; the issue tables are concatenated once."""
        rows = sum(sheet.rows_read for sheet, _r in self.sheets)
        if self.sheets:
            staging.progress(f"validating {len(self.sheets)} 5W sheet(s): {rows:,} rows")
        parts: list[tuple[pd.DataFrame | None, pa.Table | None]] = []
        issues: dict[str, list[pa.Table | pd.DataFrame]] = {name: [] for name in ISSUE_TABLES}
        pending, self.sheets = batches(self.sheets, BATCH_ROWS), []
        while pending:   # each batch's sheets freed once it is staged
            batch = pending.pop(0)
            names = sorted({sheet.source_file for sheet, _r in batch})
            staged_parts, whole = _stage_batch(batch, staging)
            del batch
            while staged_parts:
                staged = staged_parts.pop(0)
                arrow = staged.arrow if staged.arrow is not None else warehouse.arrow_table(staged.rows)
                found = _issue_tables(staged.issues)
                if self.keep is not None and whole and all(isinstance(t, pa.Table) for t in found.values()):
                    self._keep_files(names, staged.rows, arrow, found)   # a batch staged sheet by sheet is not kept
                parts.append((staged.rows if self.keep is None or arrow is None else None, arrow))
                for name in ISSUE_TABLES:
                    issues[name].append(found[name])
                del staged, found
        for name, found in issues.items():
            for kind in (pa.Table, pd.DataFrame):   # Arrow tables concatenated once, frames once
                same = [part for part in found if isinstance(part, kind)]
                if same:
                    staging.add(name, pa.concat_tables(same) if kind is pa.Table else pd.concat(same, ignore_index=True))
        add_staged(staging, TABLE, parts, self.cached, steps_only=self.keep is not None)

    def _keep_files(self, names: list[str], rows: pd.DataFrame, arrow: pa.Table | None,
                    issues: dict[str, pa.Table]) -> None:
        """Hand ``keep`` the staged result of each file of ``names`` (one batch staged whole: its
        rows, their Arrow table and its issue tables), with its headers."""
        for name, part in split_by_file(rows["source_file"], arrow, issues, names).items():
            part.headers = {key: value for key, value in self._headers.items() if key[0] == name}
            self.keep(name, part)

    def cross_file(self, staging: Staging) -> None:
        """The findings of the checks that compare files (``history.cross_file_findings``)."""
        found = cross_file_findings(staging.tables.get(TABLE), self.headers())
        staging.add("meta.quality_findings", issues_for_table(found, rules.FINDING, "stg_5w__activities"))

    def above_pin(self, staging: Staging) -> None:
        """``outlier_above_pin`` findings of the staged 5W rows against the staged PiN tables."""
        headers = {key: mapping.get("new_beneficiaries", "new_beneficiaries") for key, mapping in self.headers().items()}
        found = outlier_above_pin(staging.tables.get(TABLE), staging.tables.get("staging.stg_planning__pin_target"),
                                  headers)
        staging.add("meta.quality_findings", issues_for_table(found, rules.FINDING, "stg_5w__activities"))


def copied_rows(staging: Staging, headers: dict[tuple[str, str], dict[str, str]]) -> None:
    """``history.rows_in_other_files`` on every column of the staged rows (the Arrow table beside a
    frame of the steps' columns): a step of its own, so that the memory of the one before is given
    back first."""
    rows, made = staging.tables.get(TABLE), staging.arrow.get(TABLE)
    found = rows_in_other_files(made[1] if made is not None and made[0] is rows else rows, headers)
    staging.add("meta.quality_findings", issues_for_table(found, rules.FINDING, "stg_5w__activities"))


#: Rows of 5W sheets staged together (whole files; a larger file is a batch of its own): the
#: checks run once per template of a batch, and the batch's sheets are freed once it is staged.
BATCH_ROWS = 50_000


def batches(sheets: Group, rows: int = BATCH_ROWS) -> list[Group]:
    """``sheets`` (each file's sheets together, in reading order) cut into runs of whole files of
    at most ``rows`` rows (a file with more is a run of its own)."""
    files: dict[str, Group] = {}
    for sheet, recognition in sheets:
        files.setdefault(sheet.source_file, []).append((sheet, recognition))
    out: list[Group] = []
    size = 0
    for group in files.values():
        count = sum(sheet.rows_read for sheet, _r in group)
        if not out or size + count > rows:
            out.append([])
            size = 0
        out[-1].extend(group)
        size += count
    return out


def _issue_tables(issues: pd.DataFrame) -> dict[str, pa.Table | pd.DataFrame]:
    """Staged issues (ISSUE_COLUMNS) as the rows of each issue table, as Arrow
    (``quality.issues.issue_arrow``), or as a frame when a value is not text."""
    out: dict[str, pa.Table | pd.DataFrame] = {}
    for name, severity in zip(ISSUE_TABLES, (rules.REJECT, rules.FINDING)):
        frame = issues_for_table(issues, severity, "stg_5w__activities")
        try:
            out[name] = issue_arrow(frame)
        except (pa.ArrowException, TypeError, ValueError):
            out[name] = frame
    return out


def _stage_batch(batch: Group, staging: Staging) -> tuple[list[StagedFiveW], bool]:
    """``stage_five_w_sheets`` of one batch, and True; when it fails, of each sheet alone (a sheet
    that fails alone marked not staged, ``Staging.not_staged``), and False."""
    try:
        return [stage_five_w_sheets(batch, staging.reference)], True
    except Exception:  # noqa: BLE001 - find the sheet at fault; the others still load
        parts = []
        for sheet, recognition in batch:
            try:
                parts.append(stage_five_w_sheets([(sheet, recognition)], staging.reference))
            except Exception as exc:  # noqa: BLE001
                staging.not_staged(sheet, exc)
        return parts, False


@dataclass
class _Failure:
    """Cells of one column that a parser could not read (or that the XML pass flagged): ``rows``
    masks the template's rows, ``shown`` holds each failing cell as the partner wrote it."""

    rule_id: str
    column: str
    rows: np.ndarray
    shown: list


def _stage_template(group: Group, reference: ReferenceData) -> StagedFiveW:
    """Stage the sheets of one template (see ``stage_five_w_sheets``). Every column is read as
    codes into its distinct cells (``text.cells.distinct_cells``): each cleaning, parse and
    reference lookup runs once per distinct value (or pair of values) and is spread to the rows
    by indexing; the rules then run vectorised over all the template's rows (``checks``)."""
    template = group[0][1].template
    out, starts = _lineage_columns(group)
    texts, parse_failures, findings_from_parsing = _parse_cells(group, out, starts)
    coded = _resolve_reference(out, texts, reference, template.cycle_year)
    findings_from_parsing += _screen_free_text(out, texts, coded["country_iso3"])
    frame = pd.DataFrame(out, index=pd.RangeIndex(int(starts[-1])), copy=False)
    issue_frame, out["is_rejected"] = _validate(out, frame, [r.mapping for _s, r in group], parse_failures,
                                                findings_from_parsing)
    index = frame.index
    del frame   # the counts as written are freed as they are replaced by whole persons
    _whole_persons(out)
    month_codes, months = pd.factorize(out["month"])   # datetime.date per row (NaT where unknown)
    out["month"] = spread([m.date() for m in pd.DatetimeIndex(months)] + [pd.NaT], np.where(month_codes < 0, len(months), month_codes))
    rows = pd.DataFrame({c: out[c] for c in STAGED_COLUMNS}, index=index, copy=False)
    # Every column that is one value per code, for the warehouse: the text columns as cleaned
    # (country as reported is country_raw; "country" is the resolved name), the lineage, and
    # the reference columns resolved per code.
    coded = {name: texts[name] for name in TEXT_COLUMNS if name != "country"} | {"country_raw": texts["country"]} | {
        c: (out["_sheet_no"], np.array([getattr(sheet, a) for sheet, _r in group], dtype=object))
        for c, a in (("source_file", "source_file"), ("source_sheet", "sheet"))} | coded
    arrow = warehouse.arrow_table(rows, coded)
    return StagedFiveW(rows, issue_frame, narrow_indices(arrow) if arrow is not None else None)  # issue frames: ISSUE_COLUMNS


#: Dictionaries of fewer values than this are indexed by int16 (two bytes a row instead of four).
_INT16_VALUES = 2 ** 15


def narrow_indices(table: pa.Table) -> pa.Table:
    """``table`` with each dictionary column of fewer than ``_INT16_VALUES`` values in every chunk
    indexed by int16: the same values, half the indices' memory (the 1M staged rows hold 25
    such columns)."""
    for position, field_ in enumerate(table.schema):
        column = table.column(position)
        if not pa.types.is_dictionary(field_.type) or field_.type.index_type != pa.int32():
            continue
        if any(len(chunk.dictionary) >= _INT16_VALUES for chunk in column.chunks):
            continue
        kind = pa.dictionary(pa.int16(), field_.type.value_type)
        table = table.set_column(position, field_.name, pa.chunked_array(
            [pa.DictionaryArray.from_arrays(chunk.indices.cast(pa.int16()), chunk.dictionary) for chunk in column.chunks],
            type=kind))
    return table


def _lineage_columns(group: Group) -> tuple[dict[str, object], np.ndarray]:
    """The lineage columns of a template's rows, sheet after sheet (file, sheet, Excel row, the
    sheet's number in ``group``, template id), and the first row of each sheet then the row count."""
    sizes = [len(sheet.frame) for sheet, _r in group]
    out: dict[str, object] = {
        "source_file": np.repeat(np.array([sheet.source_file for sheet, _r in group], dtype=object), sizes),
        "source_sheet": np.repeat(np.array([sheet.sheet for sheet, _r in group], dtype=object), sizes),
        "source_row": np.concatenate([np.asarray(sheet.row_numbers, dtype=np.int64) for sheet, _r in group]),
        "_sheet_no": np.repeat(np.arange(len(group), dtype=np.int64), sizes),
        "template_id": group[0][1].template.template_id,
    }
    return out, np.cumsum([0, *sizes])


def _parse_cells(group: Group, out: dict, starts: np.ndarray
                 ) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], list[_Failure], list[_Failure]]:
    """Add to ``out`` the typed columns of a template's rows, read from their cells: text, Yes/No,
    counts and amounts (in the template's language), months (each sheet with its conventions).

    Returns:
        (text column -> (codes, text of each code); the cells that could not be read, or that the
        XML pass flagged, per rule and column; the texts whose mojibake was repaired (findings)).

    Raises:
        KeyError: a flagged cell in a column the 5W staging does not read (``platform_reported``):
            it stops the template, and the ingest then stages sheet by sheet and reports this one
            as not staged.
    """
    template = group[0][1].template
    language = template.language or "en"
    problems = [(int(starts[number]) + p, c, k, t) for number, (sheet, recognition) in enumerate(group)
                for p, c, k, t in _problem_cells(sheet, recognition)]
    # A flagged cell is shown to the partner as the XML pass saw it (#DIV/0!, ...).
    problem_text = {(p, c): t for p, c, _k, t in problems}

    def failure(rule_id: str, column: str, rows: np.ndarray, raw_at) -> _Failure:
        positions = np.flatnonzero(rows)
        shown = [problem_text.get((p, column), cell) for p, cell in zip(positions.tolist(), raw_at(positions))]
        return _Failure(rule_id, column, rows, shown)

    def cells_at(codes: np.ndarray, cells: list):
        return lambda positions: [cells[c] for c in codes[positions].tolist()]

    parse_failures: list[_Failure] = []
    findings_from_parsing: list[_Failure] = []
    texts: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # text column -> (codes, text of each code)
    for name in TEXT_COLUMNS:
        codes, cells = _column_cells(group, name)
        text, repaired = _text_of_cells(cells)
        out[name] = text[codes]
        texts[name] = codes, text
        if repaired.any():
            rows = repaired[codes]
            shown = [None] * int(rows.sum()) if name in FREE_TEXT_COLUMNS else cells_at(codes, cells)(np.flatnonzero(rows))
            findings_from_parsing.append(_Failure("mojibake_repaired", name, rows, shown))
    out["country_raw"] = out["country"]
    codes, cells = _column_cells(group, "admin1")   # admin1 as written, before the mojibake repair
    out["admin1_raw"] = np.array([cell_text(cell) for cell in cells], dtype=object)[codes]
    for name in YES_NO_COLUMNS:
        codes, cells = _column_cells(group, name)
        values, unreadable = yes_no_of_cells(cells)
        out[name] = values.take(codes)
        parse_failures.append(failure("yes_no_unreadable", name, unreadable[codes], cells_at(codes, cells)))
    for name in COUNT_COLUMNS + AMOUNT_COLUMNS:
        raw = _raw_column(group, name)
        if raw.dtype.kind in "fi":
            out[name], unreadable = numbers_of_floats(raw.to_numpy(dtype="float64"))
            raw_at = lambda positions, raw=raw: raw.iloc[positions].astype(object).tolist()  # noqa: E731
            failed = [("number_unreadable", unreadable)]
        else:
            codes, cells = _column_cells(group, name)
            values, failed_per_code = numbers_of_cells(cells, language, name in COUNT_COLUMNS)
            out[name] = values[codes]
            raw_at = cells_at(codes, cells)
            failed = [(rule_id, (failed_per_code == rule_id)[codes]) for rule_id in {f for f in failed_per_code if f}]
            failed.sort(key=lambda f: f[1].argmax())  # in the order of the first failing row
        for rule_id, rows in failed:
            parse_failures.append(failure(rule_id, name, rows, raw_at))
    codes, cells = _column_cells(group, "month")
    out["month"], month_bad = _group_months(codes, cells, starts, template.cycle_year, language)
    parse_failures.append(failure("month_unreadable", "month", month_bad, cells_at(codes, cells)))
    for kind, rule_id in _PROBLEM_RULES.items():
        for canonical in sorted({c for _p, c, k, _t in problems if k == kind}):
            if canonical not in RAW_COLUMNS:
                raise KeyError(canonical)
            rows = np.zeros(int(starts[-1]), dtype=bool)
            rows[[p for p, c, k, _t in problems if k == kind and c == canonical]] = True
            parse_failures.append(failure(rule_id, canonical, rows, lambda positions: [None] * len(positions)))
    return texts, parse_failures, findings_from_parsing


#: The partners' free-text columns: screened for personal data before they are staged, never
#: quoted in an issue (docs/data-protection.md).
FREE_TEXT_COLUMNS = ("activity_name", "activity_description")


def _screen_free_text(out: dict, texts: dict[str, tuple[np.ndarray, np.ndarray]],
                      countries: tuple[np.ndarray, np.ndarray]) -> list[_Failure]:
    """Mask the personal data of the free-text columns in ``out`` and ``texts`` (column -> (codes,
    text of each code), recoded by (text, country) pair: each pair is screened once, with the
    phone formats of the row's country, ``countries`` = (codes, ISO alpha-3 of each code)).
    Returns the cells where something was masked, shown as the kinds found, never the text."""
    failures = []
    country_codes, iso3 = countries
    for name in FREE_TEXT_COLUMNS:
        codes, text = texts[name]
        pairs, masked, kinds = screen_codes(codes, list(text), country_codes,
                                            [c if isinstance(c, str) else None for c in iso3])
        masked_texts = np.empty(len(masked), dtype=object)
        masked_texts[:] = masked
        out[name] = masked_texts[pairs]
        texts[name] = pairs, masked_texts
        flagged = np.array([bool(found) for found in kinds], dtype=bool)
        if flagged.any():
            rows = flagged[pairs]
            failures.append(_Failure("personal_data_in_free_text", name, rows,
                                     [", ".join(kinds[p]) for p in pairs[rows].tolist()]))
    return failures


#: Breakdowns whose cells are apportioned together (their whole persons add up as their cells do).
BREAKDOWNS = (POPULATION_TYPES, AGE_GENDER)
_INT64_LIMIT = 2.0 ** 63


def _whole_persons(out: dict) -> None:
    """The counts of ``out`` as whole persons (pandas Int64, NA for an empty cell), after the
    rules have seen them as written. A total that is not whole (a reject, ``count_not_whole``)
    or does not fit a BIGINT (``count_implausible``) is NA. A breakdown with fractional cells
    (R4V's 2021 apportioned breakdowns, finding ``breakdown_not_whole``, which shows the cell
    as written) is rounded by largest remainder within the row: its whole cells add up to its
    fractional sum rounded half to even, so a breakdown that added up to the total still does.
    A value in USD is rounded to the cent (DECIMAL(18,2)); one that does not fit is NULL."""
    for name in ("total_monthly", "new_beneficiaries"):
        values = np.asarray(out[name], dtype=float)
        whole = np.round(values)
        out[name] = _int64(whole, np.abs(values - whole) < 1e-9)
    for names in BREAKDOWNS:   # column by column: a million rows, few of them fractional
        columns = [np.asarray(out[name], dtype=float) for name in names]
        fractional = np.zeros(len(columns[0]), dtype=bool)
        for values in columns:
            fractional |= np.abs(values - np.round(values)) >= 1e-9   # NaN compares False
        rows = np.flatnonzero(fractional)
        apportioned = apportion_whole(np.column_stack([values[rows] for values in columns])) if len(rows) else None
        for position, (name, values) in enumerate(zip(names, columns)):
            whole = np.round(values)
            if apportioned is not None:
                whole[rows] = apportioned[:, position]
            out[name] = _int64(whole, np.ones(len(whole), dtype=bool))
    values = np.asarray(out["value_usd"], dtype=float)
    out["value_usd"] = np.where(np.abs(values) < 1e15, np.round(values, 2), np.nan)


def _int64(whole: np.ndarray, keep: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (floats) as an Int64 array: NA where not ``keep``, NaN, or beyond BIGINT."""
    usable = keep & np.isfinite(whole) & (np.abs(whole) < _INT64_LIMIT)
    whole[~usable] = 0
    return pd.arrays.IntegerArray(whole.astype(np.int64), ~usable)


def apportion_whole(block: np.ndarray) -> np.ndarray:
    """Rows of breakdown cells (floats, NaN empty) as whole persons: a row whose cells are all
    whole is kept; in a row with fractional cells each cell is floored and the row's remaining
    persons (its sum rounded half to even, minus the floors) go one each to the cells with the
    largest fractions (ties: the first column). Empty cells stay empty."""
    block = np.array(block, dtype=float)
    values = np.nan_to_num(block)
    fractional = (np.abs(values - np.round(values)) >= 1e-9).any(axis=1)
    whole = np.where(np.isnan(block), np.nan, np.round(values))
    if not fractional.any():
        return whole
    part = values[fractional]
    floors = np.floor(part + 1e-9)
    remainders = np.where(np.isnan(block[fractional]), -1.0, part - floors)
    missing = (np.round(part.sum(axis=1)) - floors.sum(axis=1)).astype(np.int64)
    order = np.argsort(-remainders, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(part.shape[1])[None, :].repeat(len(part), axis=0), axis=1)
    floors += rank < missing[:, None]
    whole[fractional] = np.where(np.isnan(block[fractional]), np.nan, floors)
    return whole


def _validate(out: dict, frame: pd.DataFrame, mappings: list[dict[str, str]], parse_failures: list[_Failure],
              findings_from_parsing: list[_Failure]) -> tuple[pd.DataFrame, np.ndarray]:
    """The issues of a template's rows (ISSUE_COLUMNS): the cells that could not be read, the R4V
    rules (``checks.validate_five_w`` over ``frame``), the repaired texts; and whether each row is
    rejected: one of its cells has an issue of severity reject (a row is one file, sheet and Excel
    row: the masks' positions name the same rows as those keys)."""
    failures = [f for f in parse_failures if f.rows.any()]
    issues = [_issue_rows(out, mappings, f.rule_id, f.column, f.rows, f.shown) for f in failures]
    failing = [(f.rule_id, f.rows) for f in failures]
    for rule_id, column, mask, shown in validate_five_w(frame, parsed_failures=[(f.rule_id, f.column, f.rows) for f in failures]):
        issues.append(_issue_rows(out, mappings, rule_id, column, mask, shown.to_numpy()[mask]))
        failing.append((rule_id, mask))
    for f in findings_from_parsing:
        issues.append(_issue_rows(out, mappings, f.rule_id, f.column, f.rows, f.shown))
    issue_frame = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=ISSUE_COLUMNS)
    rejected = np.zeros(len(frame), dtype=bool)
    for rule_id, rows in failing:
        if rules.RULES[rule_id].severity == rules.REJECT:
            rejected |= rows
    return issue_frame, rejected


def _group_months(codes: np.ndarray, cells: list, starts: np.ndarray, cycle_year: int | None,
                  language: str) -> tuple[np.ndarray, np.ndarray]:
    """(months as datetime64[ns], unreadable mask) of a template's month column (codes into its
    distinct cells; ``starts``: first row of each sheet, then the row count), each sheet read with
    its own conventions as ``parse_months`` reads one: day first or not, and the year of a month
    named without one (the template's, else the sheet's most common year)."""
    months = np.empty(len(codes), dtype="datetime64[ns]")
    parsed: dict[tuple[bool, int | None], np.ndarray] = {}

    def of(day_first: bool, default_year: int | None) -> np.ndarray:
        if (day_first, default_year) not in parsed:
            parsed[(day_first, default_year)] = months_of_cells(cells, day_first, default_year)
        return parsed[(day_first, default_year)]

    bad = np.empty(len(codes), dtype=bool)
    for start, end in zip(starts[:-1], starts[1:]):
        part = codes[start:end]
        day_first = day_first_convention(texts_of([cells[c] for c in np.unique(part)]), language)
        default_year = cycle_year or _main_year(of(day_first, None)[part])
        months[start:end] = of(day_first, default_year)[part]
        bad[start:end] = unreadable_months(cells, of(day_first, default_year))[part]
    return months, bad


def _main_year(months: np.ndarray) -> int | None:
    """The most common year among a file's readable months (for month names written without one)."""
    years = pd.Series(months).dropna().dt.year
    return int(years.mode().iloc[0]) if len(years) else None


def _resolve_reference(out: dict, texts: dict[str, tuple[np.ndarray, np.ndarray]], reference: ReferenceData,
                       template_year: int | None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Add the reference-list columns to the staged rows (``out``: column -> array), each row
    against the lists of its own reporting year (its month's year; the template's year when the
    month is unreadable; the indicator registry of the template's year when it has one).
    ``texts`` gives each text column as (codes, text of each code): every lookup runs once per
    distinct text, or pair of texts, and year. Returns the columns added
    that are one value per code of a text column, as (codes, value of each code)."""
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def pairs(first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, pd.Series, pd.Series]:
        """(pair code of each row, first value, second value of each distinct pair) of two
        columns given as (codes, value of each code)."""
        (a, a_value), (b, b_value) = first, second
        codes, distinct = pd.factorize(a.astype(np.int64) * len(b_value) + b)
        return (codes, pd.Series(a_value[distinct // len(b_value)], dtype=object),
                pd.Series(b_value[distinct % len(b_value)], dtype=object))

    country_codes, country_texts = texts["country"]
    iso3 = reference.resolve_country(pd.Series(country_texts, dtype=object))
    for column, values in (("country_iso3", iso3), ("country", reference.country_name_of(iso3)),
                           ("platform", reference.platform_of(iso3))):
        coded[column] = country_codes, values.to_numpy()
        out[column] = coded[column][1][country_codes]
    years = pd.Series(out["month"]).dt.year.fillna(template_year or 0).astype(int).to_numpy()
    n = len(years)
    for column in ("appealing_org_id", "implementing_partner_id", "indicator_code", "indicator_type", "indicator_type_key"):
        out[column] = np.full(n, None, dtype=object)
    out["counts_as_reached"] = np.zeros(n, dtype=bool)
    admin1_known, admin1_unknown = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    out["admin1_listed"] = np.full(n, None, dtype=object)
    out["has_appealing_list"] = np.zeros(n, dtype=bool)
    out["has_implementing_list"] = np.zeros(n, dtype=bool)
    indicator_pairs, subsectors, indicators = pairs(texts["subsector"], texts["indicator"])
    admin1_pairs, admin1_iso3, admin1_names = pairs((country_codes, iso3.to_numpy()), texts["admin1"])
    for year in pd.unique(years):
        rows = years == year
        for column, role in (("appealing_org_id", "appealing"), ("implementing_partner_id", "implementing")):
            name = "appealing_org" if role == "appealing" else "implementing_partner"
            codes, distinct = texts[name]
            out[column][rows] = reference.resolve_organisation(pd.Series(distinct, dtype=object), role, year).to_numpy()[codes[rows]]
        # a template of one cycle (5w_2021) offers that cycle's indicators, whatever month is written
        found = reference.resolve_indicator(subsectors, indicators, template_year or year)
        found["indicator_type_key"] = map_distinct(found["indicator_type"], normalise_key)
        for column in ("indicator_code", "indicator_type", "counts_as_reached", "indicator_type_key"):
            out[column][rows] = found[column].to_numpy()[indicator_pairs[rows]]
        # one lookup per year gives both the list's spelling and whether the pair is listed
        listed = reference.admin1_listed(admin1_iso3, admin1_names, year).to_numpy()[admin1_pairs[rows]]
        out["admin1_listed"][rows] = listed
        if reference.admin1_for(year).empty:   # no list for the year: unknown, not "not listed"
            admin1_unknown[rows] = True
        else:
            admin1_known[rows] = pd.notna(listed)
            admin1_unknown[rows] = False
        out["has_appealing_list"][rows] = reference.has_organisations("appealing", year)
        out["has_implementing_list"][rows] = reference.has_organisations("implementing", year)
    out["admin1_known"] = pd.arrays.BooleanArray(admin1_known, admin1_unknown)
    # The row's canonical R4V sector (through the aliases of reference_data/sectors.csv:
    # 'Multipurpose CBI', 'Educación' ...), staged beside the subsector as reported; helper
    # columns of the rules (checks.py), not staged: the row's reporting year and its indicator
    # type as a matching key ('Capacity building').
    coded["sector"] = texts["subsector"][0], resolve_sectors(pd.Series(texts["subsector"][1], dtype=object))[0].to_numpy()
    out["sector"] = coded["sector"][1][coded["sector"][0]]
    out["reporting_year"] = years
    out["has_indicator_registry"] = not reference.indicators.empty
    out["template_year"] = template_year
    return coded


def _issue_rows(out: dict, mappings: list[dict[str, str]], rule_id: str, column: str, rows: np.ndarray,
                shown: list | np.ndarray) -> pd.DataFrame:
    """Issue rows for the cells of ``column`` in the ``rows`` (a mask over the template's rows;
    ``shown``: the value of each of them, in row order); each names its file, sheet, Excel row
    and the file's own header of the column (``mappings``: each sheet's canonical -> header)."""
    positions = np.flatnonzero(rows)
    headers = np.array([mapping.get(column, column) for mapping in mappings], dtype=object)[out["_sheet_no"][positions]]
    return issue_frame(out["source_file"][positions], out["source_sheet"][positions], out["source_row"][positions],
                       headers, rule_id, shown)

"""Reading partner workbooks and CSV files into frames that keep every cell's certainty.

One module for every file the pipeline reads. Workbooks are read with ``fastexcel`` (Rust
calamine, Arrow out: whole columns at a time). A column's type is inferred from *all* its
cells with ``dtype_coercion="strict"``, so a column either holds only numbers (read exactly,
no text parsing involved) or the sheet falls back to python-calamine, which gives each cell
its own Python type (``float`` for a number cell, ``str`` for a text cell). Text that looks
like a number is never turned into one here: that is the job of the locale-aware parsers
(``rmrp_pipeline.text.parsers`` and ``text.numbers``), which reject what they cannot read with certainty.

Row numbers are Excel's (1-based, header row included), so a reject can name the cell.
"""

from __future__ import annotations

import csv
import html
import re
import zipfile
import zlib
from itertools import compress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import python_calamine

from rmrp_pipeline.read.csv_text import check_csv, check_shape
from rmrp_pipeline.read.files import ReadError
from rmrp_pipeline.read.limits import (
    check_file_size,
    check_span,
    check_workbook,
    column_letter,
    column_number,
    declared_span,
)
from rmrp_pipeline.read import windows
from rmrp_pipeline.read.sheet_xml import ROW_NUMBER_FIRST, sheet_parts
from rmrp_pipeline.settings import ReadLimits
from rmrp_pipeline.text.cells import clean_text, distinct_cells

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
#: Characters of a CSV's start that decide its separator (``csv.Sniffer`` is quadratic in them).
SNIFF_CHARS = 4096




@dataclass
class SheetData:
    """One table read from a file.

    Attributes:
        source_file: file name relative to the raw folder (as shown to partners).
        sheet: sheet name (``""`` for CSV files).
        headers: header texts with white space normalised (NFC, no-break spaces, runs of
            spaces folded, ends stripped), in column order. Empty headers become ``column_<n>``.
        frame: one column per header (same names), one row per non-empty input row. Values are
            ``float`` (number cells), ``str`` (text cells), ``bool``, ``datetime``/``Timestamp``
            or missing (``None``/NaN/NaT). Columns whose cells are all numbers have dtype float64.
        row_numbers: Excel row number (1-based) of each frame row, aligned with ``frame``.
        column_letters: Excel column letter of each header, aligned with ``headers``.
        hxl_tags: the HXL hashtag row under the header (header -> tag), if there was one.
        blank_rows: rows inside the table with no value at all (not data; counted, not loaded).
        visible: "visible", "hidden" or "veryhidden".
        problem_cells: (Excel row, column letter) -> (kind, text) of cells whose value the fast
            readers turn into an empty cell: ``error`` (``#DIV/0!``, ``#N/A``, ...) and
            ``formula_without_value`` (a formula saved without its result, e.g. by a script).
        title_rows: rows above the header (titles, notes), not data.
        hidden_rows: data rows hidden in the workbook (read like any other).
        rows_in_file: rows below the header holding a value, counted independently in the
            sheet's XML (xlsx only): rows_read <= rows_in_file <= rows_read + blank_rows.
        path: the file read (for the few cells asked again, e.g. ``cell_number_format``).
    """

    source_file: str
    sheet: str
    headers: list[str]
    frame: pd.DataFrame
    row_numbers: list[int]
    column_letters: list[str]
    hxl_tags: dict[str, str] = field(default_factory=dict)
    blank_rows: int = 0
    visible: str = "visible"
    problem_cells: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    title_rows: int = 0
    hidden_rows: int = 0
    rows_in_file: int | None = None
    path: Path | None = field(default=None, compare=False)
    _cells: dict[str, tuple[np.ndarray, list]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rows_read(self) -> int:
        """Number of non-empty data rows (the unit of the load log)."""
        return len(self.frame)

    def cells_of(self, header: str) -> tuple[np.ndarray, list]:
        """``distinct_cells`` of the column ``header``, computed once per sheet (the reader
        threads compute those of 5W sheets ahead of staging, see ``sources.five_w.stage.prepare_sheet``)."""
        if header not in self._cells:
            self._cells[header] = distinct_cells(self.frame[header])
        return self._cells[header]










def list_sheets(path: Path) -> list[tuple[str, str]]:
    """(sheet name, visibility) of every sheet of a workbook; ``[("", "visible")]`` for CSV.

    Raises:
        ReadError: the file cannot be opened as a workbook, or is over a limit (``read.limits``:
            checked here before the workbook is opened).
    """
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is empty (0 bytes)")
    if path.suffix.lower() in CSV_SUFFIXES:
        check_file_size(path, path.name, ReadLimits.from_environment())
        return [("", "visible")]
    check_workbook(path, path.name)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return [
            (meta.name, str(meta.visible).rsplit(".", 1)[-1].lower())
            for meta in book.sheets_metadata
        ]
    except Exception as exc:  # calamine raises its own error classes
        raise ReadError(f"cannot open {path.name} as a workbook: {exc}") from exc


def _unique_headers(raw: list[object]) -> list[str]:
    """Header texts cleaned, an empty one named ``column_<n>`` and a repeated one suffixed with
    ``_<n>`` (``n``: its 1-based column) until unique; linear in the number of columns."""
    headers: list[str] = []
    taken: set[str] = set()
    for index, value in enumerate(raw):
        text = clean_text(str(value)) if value is not None and str(value).strip() else ""
        name = text or f"column_{index + 1}"
        while name in taken:
            name = f"{name}_{index + 1}"
        headers.append(name)
        taken.add(name)
    return headers


def _is_hxl_row(values: list[object]) -> bool:
    texts = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return bool(texts) and all(isinstance(v, str) and v.strip().startswith("#") for v in texts)


def _finish(
    source_file: str,
    sheet: str,
    headers: list[str],
    frame: pd.DataFrame,
    first_row: int,
    first_col: int,
    visible: str,
) -> SheetData:
    """Shared tail of every reader: HXL row, blank rows, row numbers, column letters."""
    frame.columns = headers
    row_numbers = list(range(first_row + 1, first_row + 1 + len(frame)))
    hxl: dict[str, str] = {}
    if len(frame) and _is_hxl_row(frame.iloc[0].tolist()):
        hxl = {h: clean_text(v) for h, v in zip(headers, frame.iloc[0].tolist()) if isinstance(v, str)}
        frame = frame.iloc[1:]
        row_numbers = row_numbers[1:]
    blank = _blank_mask(frame)
    kept = ~blank.to_numpy()
    frame = frame.loc[kept].reset_index(drop=True)
    row_numbers = [n for n, keep in zip(row_numbers, kept) if keep]
    return SheetData(
        source_file=source_file,
        sheet=sheet,
        headers=headers,
        frame=frame,
        row_numbers=row_numbers,
        column_letters=[column_letter(first_col + i + 1) for i in range(len(headers))],
        hxl_tags=hxl,
        blank_rows=int((~kept).sum()),
        visible=visible,
    )


def _blank_mask(frame: pd.DataFrame) -> pd.Series:
    """True for rows where every cell is missing or white space only."""
    mask = pd.Series(True, index=frame.index)
    for name in frame.columns:
        col = frame[name]
        empty = col.isna()
        if col.dtype == object:
            blank_texts = [v for v in pd.unique(col.dropna()) if isinstance(v, str) and not v.strip()]
            if blank_texts:
                empty = empty | col.isin(blank_texts)
        mask &= empty
        if not mask.any():
            break
    return mask


def read_workbook_sheet(path: Path, sheet: str, *, source_file: str | None = None, header_row: int = 0) -> SheetData:
    """Read one sheet; its header is the ``header_row``-th row (0-based) of the used range.

    Numbers stay numbers and text stays text (see the module docstring); a column mixing
    both comes back as ``object`` with each cell's own type. For xlsx files the used range's
    first row comes from the one XML pass (``scan_sheet_xml``) instead of a second parse.

    Raises:
        ReadError: the sheet cannot be read, or the workbook or the sheet is over a limit
            (``read.limits``; checked before the sheet is read).
    """
    name = source_file or path.name
    is_xlsx = check_workbook(path, path.name) == "xlsx"
    scan = scan_sheet_xml(path, sheet, name=name) if is_xlsx else None
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:
        raise ReadError(f"cannot open {name} as a workbook: {exc}") from exc
    if scan is not None and not scan.value_rows:
        return SheetData(name, sheet, [], pd.DataFrame(), [], [], visible=_visibility(path, sheet))
    frame: pd.DataFrame | None = None
    arrow: pa.RecordBatch | pa.Table | None = None
    # fastexcel counts a header_row above 0 from the sheet's first row, not from the used range's.
    sheet_row = header_row if header_row == 0 or scan is None else min(scan.value_rows) - 1 + header_row
    try:
        windowed = None
        if scan is not None and scan.rows * scan.columns > windows.WINDOW_CELLS:
            try:
                windowed = windows.read_in_windows(path, scan.part, sheet, header_row=sheet_row,
                                                   first_row=min(scan.value_rows), columns=scan.columns)
            except Exception:  # noqa: BLE001 - whatever the windows cannot read is read whole (not by calamine's cells)
                windowed = None
        if windowed is not None:
            arrow, header_cells, first_col, visible = windowed.arrow, windowed.header_cells, windowed.first_col, windowed.visible
        else:
            loaded = reader.load_sheet(sheet, header_row=sheet_row, schema_sample_rows=None, dtype_coercion="strict")
            columns = loaded.selected_columns  # every column of the frame (no column selection)
            arrow = loaded.to_arrow()
            header_cells = [None if c.name.startswith("__UNNAMED__") else c.name for c in columns]
            first_col = min((c.absolute_index for c in columns), default=0)
            visible = str(loaded.visible)
        frame = arrow.to_pandas()  # what loaded.to_pandas() does
    except Exception:  # noqa: BLE001 - mixed types, or a cell fastexcel refuses (e.g. #NAME?)
        frame = None
    first_row = None
    if scan is not None and frame is not None:
        first_row = min(scan.value_rows) - 1
        # The range must end where the XML's last value row is; otherwise trust calamine.
        if first_row + header_row + 1 + len(frame) != max(scan.value_rows):
            first_row = None
    if frame is None or first_row is None:
        try:
            cal_sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
            first_row, cal_first_col = cal_sheet.start or (0, 0)
            visible = _visibility(path, sheet)
            if frame is None:
                # Fall back to calamine's typed cells for this sheet only: number cells stay
                # float, text stays str; error cells come back empty and the XML scan finds them.
                if cal_sheet.height <= header_row:
                    return SheetData(name, sheet, [], pd.DataFrame(), [], [], visible=visible)
                rows = cal_sheet.to_python()
                header_cells, body = rows[header_row], rows[header_row + 1 :]
                frame = pd.DataFrame(body, columns=range(len(header_cells)), dtype=object).replace({"": None})
                first_col = cal_first_col
        except Exception as exc:
            raise ReadError(f"cannot read sheet {sheet!r} of {name}: {exc}") from exc
    headers = _unique_headers(list(header_cells)[: frame.shape[1]])
    data = _finish(name, sheet, headers, frame, first_row + header_row + 1, first_col, visible)
    data.title_rows = header_row
    if arrow is not None and arrow.num_rows == len(data.frame):  # no HXL or blank row left out
        data._cells.update(_text_column_cells(arrow, data.headers))
    if scan is not None:
        data.problem_cells = scan.problem_cells
        data.hidden_rows = len(scan.hidden_rows & set(data.row_numbers))
        header_number = first_row + header_row + 1
        hxl_rows = 1 if data.hxl_tags else 0
        data.rows_in_file = len([r for r in scan.value_rows if r > header_number]) - hxl_rows
    return data


def _text_column_cells(arrow: pa.RecordBatch | pa.Table, headers: list[str]) -> dict[str, tuple[np.ndarray, list]]:
    """``distinct_cells`` of every text column of a sheet read by fastexcel, from its Arrow
    table (``headers``: the names of its columns, in order) by Arrow's dictionary encoding, which
    keeps the first-appearance order (C++, without the GIL; for the pandas frame made from the
    same table, whose text cells are these strings and None)."""
    cells: dict[str, tuple[np.ndarray, list]] = {}
    for header, column in zip(headers, arrow.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            encoded = column.dictionary_encode()
            distinct = encoded.dictionary.to_pylist()
            cells[header] = encoded.indices.fill_null(len(distinct)).to_numpy(), distinct + [None]
    return cells


def _visibility(path: Path, sheet: str) -> str:
    """``visible``, ``hidden`` or ``veryhidden``, from the workbook's list of sheets (the sheet
    itself is not loaded)."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        found = next(meta for meta in book.sheets_metadata if meta.name == sheet)
        return str(found.visible).rsplit(".", 1)[-1].lower()
    except Exception:  # noqa: BLE001
        return "visible"


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ROW_NUMBER = re.compile(rb'[^>]*?\br="([0-9]+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)


@dataclass
class SheetScan:
    """What one pass over an xlsx sheet's XML tells that the fast readers do not.

    Attributes:
        problem_cells: (Excel row, column letter) -> (kind, text shown): ``error`` (``#DIV/0!``,
            ``#N/A``, ...), ``formula_without_value`` (no saved result) and
            ``formula_not_recalculated`` (a result saved by a program that does not calculate,
            e.g. XlsxWriter's 0 for every formula).
        hidden_rows: Excel numbers of hidden rows (they are data and are read).
        value_rows: Excel numbers of rows holding at least one value.
        part: the zip part of the sheet's XML; ``rows``, ``columns``: the rows and columns its cells span.
    """

    problem_cells: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    value_rows: set[int] = field(default_factory=set)
    part: str = ""
    rows: int = 0
    columns: int = 0


def _sheet_xml_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """Path inside the xlsx zip of the worksheet named ``sheet`` (workbook.xml + its rels)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for match in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        tag = match.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\br:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
        if name and rid and html.unescape(name.group(1)) == sheet:
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                if f'Id="{rid.group(1)}"' in rel.group(0):
                    target = re.search(r'Target="([^"]*)"', rel.group(0)).group(1)
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def formulas_calculated(archive: zipfile.ZipFile) -> bool:
    """Whether the saved formula results can be trusted.

    A workbook saved by a spreadsheet program carries the results it calculated. XlsxWriter
    (a Python library) writes a result of 0 for every formula and calls itself "Microsoft
    Excel" without the calculation chain Excel always writes: that signature means the
    results were never calculated.
    """
    names = set(archive.namelist())
    if "docProps/app.xml" not in names:
        return True
    application = re.search(rb"<Application>(.*?)</Application>", archive.read("docProps/app.xml"))
    by_excel_name = application is not None and application.group(1).strip() == b"Microsoft Excel"
    return not (by_excel_name and "xl/calcChain.xml" not in names)


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_CELL_REF_AT = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})[0-9]+"')


@dataclass
class SheetSpan:
    """Rows and columns (1-based, Excel's) that the cells of a sheet's XML span; the readers
    hold the sheet as a full grid of this size. Empty until a cell is seen. ``previous_row``: the
    number of the last row scanned (a row without a number is the next one)."""

    first_row: int = 0
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0
    previous_row: int = 0

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.last_column else 0

    def add(self, rows: list[int], pieces: list[bytes]) -> None:
        """Extend the span with the rows numbered ``rows`` whose XML (each after its ``<row ``) is
        ``pieces``: their first and last cells' columns, or their cells counted when a cell has no
        reference. Comprehensions over all rows at once: a sheet may have a million."""
        has_cells = [b"<c" in piece for piece in pieces]
        if not all(has_cells):  # rows without cells left out (the usual sheet has none: no copy)
            rows, pieces = list(compress(rows, has_cells)), list(compress(pieces, has_cells))
        if not pieces:
            return
        # The letters of each row's first and last cell: cut from '<c r="AB12"' (the usual order of
        # attributes: a slice is cheaper than a match); a regular expression where r is not first.
        firsts = [piece[at + 6 : at + 9] if (at := piece.find(b"<c ")) != -1 and piece.startswith(b'r="', at + 3)
                  else _letters_at(piece, at) for piece in pieces]
        lasts = [piece[at + 6 : at + 9] if (at := piece.rfind(b"<c ")) != -1 and piece.startswith(b'r="', at + 3)
                 else _letters_at(piece, at) for piece in pieces]
        if None in firsts or None in lasts:
            # Cells without a reference follow the previous cell: at most (last reference) + (cells).
            counts = [piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>") for piece in pieces]
            kept = [i for i, count in enumerate(counts) if count]
            if not kept:
                return
            rows = [rows[i] for i in kept]
            low = 1
            high = max((_column_of(lasts[i]) if lasts[i] is not None else 0) + counts[i] for i in kept)
        else:
            low = min(_column_of(start) for start in set(firsts))
            high = max(_column_of(start) for start in set(lasts))
        numbers = rows
        if not self.last_row:
            self.first_row, self.first_column = numbers[0], low
        self.first_row, self.last_row = min(self.first_row, min(numbers)), max(self.last_row, max(numbers))
        self.first_column, self.last_column = min(self.first_column, low), max(self.last_column, high)


def _letters_at(piece: bytes, at: int) -> bytes | None:
    """The column letters of the cell whose tag starts at ``at`` (None: no cell, or no reference)."""
    found = _CELL_REF_AT.match(piece, at) if at != -1 else None
    return found.group(1) if found else None


@lru_cache(maxsize=4096)
def _column_of(start: bytes) -> int:
    """Column number of the letters that ``start`` (a cell reference's first bytes) begins with."""
    letters = re.match(rb"[A-Z]*", start).group(0)
    return column_number(letters.decode()) if letters else 1


def _plain_rows(part: bytes, start: int) -> bool:
    """Whether no row of a part of a sheet's XML (its rows from ``start``) can be hidden
    (``hidden="1"``) or hold an error cell (``t="e"``) or a formula (``<f``). First the letters h, e
    and f are looked for in the rows (one memchr each: XlsxWriter and many exports write rows
    without any of them), then, where one is found, the three markers in the whole part."""
    end = part.rfind(b"</sheetData>")
    end = len(part) if end == -1 else end
    if all(part.find(letter, start, end) == -1 for letter in (b"h", b"e", b"f")):
        return True
    return b"hidden=" not in part and b't="e"' not in part and b"<f" not in part


def scan_sheet_xml(path: Path, sheet: str, *, name: str | None = None, limits: ReadLimits | None = None) -> SheetScan:
    """One regular-expression pass over an xlsx sheet's XML (no cell objects, a few MB at a time):
    see SheetScan. Returns an empty scan for files that are not xlsx zips.

    Raises:
        ReadError: the sheet's declared ``<dimension>``, or the rows and columns its cells span,
            are over ``limits`` (default: from the environment; ``name``: the file as shown); or
            its XML is damaged (a checksum or compressed data that does not match, a row number
            given to two row elements holding values).
    """
    limits = limits or ReadLimits.from_environment()
    name = name or path.name
    scan, span = SheetScan(), SheetSpan()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return scan
    with archive:
        try:
            member = _sheet_xml_path(archive, sheet)
            if member is None:
                return scan
            calculated = formulas_calculated(archive)
            with archive.open(member) as stream:
                for number, part in enumerate(sheet_parts(stream)):
                    pieces = part.split(b"<row ")
                    if number == 0:
                        _check_declared_dimension(pieces[0], name, sheet, limits)
                    _scan_rows(pieces[1:], scan, span, calculated, plain=_plain_rows(part, len(pieces[0])))
        except KeyError:  # no workbook part, relationships or sheet part: not a workbook calamine reads
            return SheetScan()
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ReadError(f"cannot read sheet {sheet!r} of {name}: its XML is damaged ({exc})") from exc
        except _RowTwice as exc:
            raise ReadError(f"cannot read sheet {sheet!r} of {name}: its XML holds row {exc.args[0]} twice, with "
                            "values in each (a reader would keep one and lose the other's); save the sheet again "
                            "from a spreadsheet program or export it again") from None
    check_span(name, sheet, span.rows, span.columns, limits)
    scan.part, scan.rows, scan.columns = member, span.rows, span.columns
    return scan


def _check_declared_dimension(head: bytes, name: str, sheet: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose ``<dimension ref=...>`` (in the XML before its first row) is over the limits."""
    found = _DIMENSION.search(head)
    span = declared_span(found.group(1).decode("ascii", "replace")) if found else None
    if span is not None:
        check_span(name, sheet, *span, limits, declared=found.group(1).decode("ascii", "replace"))


def _scan_rows(pieces: list[bytes], scan: SheetScan, span: SheetSpan, calculated: bool, plain: bool) -> None:
    """Add to ``scan`` and ``span`` the rows whose XML (each after its ``<row ``) is ``pieces``. A row
    without a number is the one after the previous row. ``plain``: no row of ``pieces`` can be hidden
    or hold an error cell or a formula, so only the rows holding a value are looked for."""
    match, search, first = _ROW_NUMBER.match, _ROW_NUMBER.search, ROW_NUMBER_FIRST.match
    found = [first(piece) or match(piece) or search(piece, 0, 200) for piece in pieces]
    if None in found:
        rows, previous = [], span.previous_row
        for number in found:
            previous = int(number.group(1)) if number else previous + 1
            rows.append(previous)
    else:
        rows = [int(number.group(1)) for number in found]
    if rows:
        span.previous_row = rows[-1]
    span.add(rows, pieces)
    if plain:
        # The usual sheet: only the rows holding a value are needed (a row's tag never holds "<v>" or "<is>").
        _add_value_rows(scan, list(compress(rows, [b"<v>" in piece or b"<is>" in piece for piece in pieces])))
        return
    holding = []
    for row_number, piece in zip(rows, pieces):
        tag_end = piece.find(b">")
        if b"hidden=" in piece[:tag_end] and _HIDDEN.search(piece, 0, tag_end + 1):
            scan.hidden_rows.add(row_number)
        body = piece[tag_end + 1 :]
        if b"<v>" in body or b"<is>" in body:
            holding.append(row_number)
        if b't="e"' in body or b"<f" in body:
            _scan_problem_cells(body, scan, calculated)
    _add_value_rows(scan, holding)


class _RowTwice(Exception):
    """Two row elements holding values have the same row number (``args[0]``)."""


def _add_value_rows(scan: SheetScan, rows: list[int]) -> None:
    """Add ``rows`` (numbers of row elements holding a value) to ``scan.value_rows``.

    Raises:
        _RowTwice: a number of ``rows`` is there already, or twice in ``rows``: the readers keep
            the cells of one of the two row elements and the other's values would be lost.
    """
    added = set(rows)
    if len(added) != len(rows) or not scan.value_rows.isdisjoint(added):
        seen: set[int] = set()
        for number in rows:
            if number in seen or number in scan.value_rows:
                raise _RowTwice(number)
            seen.add(number)
    scan.value_rows |= added


def _scan_problem_cells(body: bytes, scan: SheetScan, calculated: bool) -> None:
    """The error cells and formulas without a (calculated) result of one row's XML ``body``."""
    for cell in _CELL.finditer(body):
        attributes, content = cell.group(1), cell.group(2) or b""
        ref = _REF.search(attributes)
        if ref is None:
            continue
        key = (int(ref.group(2)), ref.group(1).decode())
        value = _VALUE.search(content)
        if _ERROR_TYPE.search(attributes):
            scan.problem_cells[key] = ("error", html.unescape(value.group(1).decode()) if value else "#error")
        elif b"<f" in content and (value is None or not value.group(1).strip()):
            scan.problem_cells[key] = ("formula_without_value", "formula without a saved result")
        elif b"<f" in content and not calculated:
            scan.problem_cells[key] = ("formula_not_recalculated", "formula result never calculated")


def read_csv_file(path: Path, *, source_file: str | None = None, header_row: int = 0) -> SheetData:
    """Read a CSV/TSV file: encoding (``read.csv_text``: UTF-8, UTF-16 or UTF-32 by their mark or
    their zero bytes, else Windows-1252) and separator (``,`` ``;`` tab ``|``) are decided once
    for the file. Every value is text.

    Raises:
        ReadError: the file is empty, over a limit (size, columns, cells), holds a NUL character
            or a byte its encoding cannot read, or its separator cannot be decided.
    """
    name = source_file or path.name
    limits = ReadLimits.from_environment()
    text = check_csv(path, name, limits)
    if text.blank:
        raise ReadError(f"{name} is empty")
    try:
        dialect = csv.Sniffer().sniff(text.sample[:SNIFF_CHARS], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    check_shape(name, text, delimiter, limits)
    try:
        frame = pd.read_csv(path, sep=delimiter, encoding=text.encoding, dtype=str, keep_default_na=False, header=None)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(f"{name}: rows do not have the same number of columns as the header ({exc})") from exc
    if frame.shape[1] == 1 and any(d in text.sample for d in ";\t|"):
        raise ReadError(f"{name}: could not decide the column separator (read as one column)")
    header_cells = frame.iloc[header_row].tolist()
    body = frame.iloc[header_row + 1 :].reset_index(drop=True).replace({"": None})
    headers = _unique_headers(header_cells)
    data = _finish(name, "", headers, body, header_row + 1, 0, "visible")
    data.title_rows = header_row
    return data


def read_table(
    path: Path, sheet: str, *, source_file: str | None = None, header_row: int = 0, headers: list[str] | None = None
) -> SheetData:
    """Read a sheet of a workbook, or a CSV file when ``sheet`` is ``""``; the header is the
    ``header_row``-th non-empty-range row (0-based: rows above it are titles, not data).
    ``headers`` replaces the header texts (a two-row header combined by the caller)."""
    if path.suffix.lower() in CSV_SUFFIXES:
        data = read_csv_file(path, source_file=source_file, header_row=header_row)
    else:
        data = read_workbook_sheet(path, sheet, source_file=source_file, header_row=header_row)
    if headers is not None:
        names = _unique_headers(list(headers)[: len(data.headers)] + [None] * (len(data.headers) - len(headers)))
        data.frame.columns = names
        data._cells.clear()  # keyed by the old names
        renamed = dict(zip(data.headers, names))
        data.hxl_tags = {renamed[h]: t for h, t in data.hxl_tags.items()}
        data.headers = names
    data.path = path
    return data


@lru_cache(maxsize=8)
def _openpyxl_book(path: Path, mtime: float):
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True)


def cell_number_format(path: Path, sheet: str, cell: str) -> str:
    """The number format of one cell (``0.0%``, ``General``, ...), read with openpyxl: fast
    readers do not give formats, and only the few cells that need it are asked for. ``""`` for
    files openpyxl cannot open."""
    try:
        book = _openpyxl_book(path, path.stat().st_mtime)
        return book[sheet][cell].number_format or ""
    except Exception:  # noqa: BLE001 - not an xlsx, or no such sheet or cell
        return ""


def first_rows(path: Path, sheet: str, count: int = 10) -> list[list[object]]:
    """The first ``count`` rows of the used range (for finding a header below title rows)."""
    if path.suffix.lower() in CSV_SUFFIXES:
        frame = read_csv_file(path)
        return [frame.headers] + frame.frame.head(count - 1).astype(object).values.tolist()
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return [list(r) for r in book.get_sheet_by_name(sheet).to_python(nrows=count)]
    except Exception as exc:
        raise ReadError(f"cannot read sheet {sheet!r} of {path.name}: {exc}") from exc











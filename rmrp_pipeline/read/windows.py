"""A sheet too big to parse whole, read in windows of rows, with the result of a whole read.

fastexcel (calamine) holds the sheet it parses as a grid of cells, about 90 bytes a cell: 2.4 GB
for a sheet of a million rows by 28 columns. A sheet spanning more than ``WINDOW_CELLS`` cells is
instead cut between rows into windows of about that many cells; each window is parsed alone, as a
workbook of its own (the original's parts, the sheet's XML replaced by the window's rows), and
the windows' Arrow tables are joined. From the second window on, a first row of two cells, put
just above the window's rows at the first and the last column of the first window, is parsed as
its header: it keeps each window's grid on the columns and on the row numbers of the whole sheet,
so that the rows between two windows that hold no value stay in the joined table as blank rows.

Whatever cannot be read so with certainty is left to the whole read (``None``): a sheet whose
rows are not numbered in order, whose tags carry a namespace prefix, whose grid does not begin on
the row the XML scan takes for its first holding a value, whose windows disagree on
a column's type (a whole read fails on such a column as well: ``dtype_coercion="strict"``) or on
the columns the grid spans, or a window fastexcel refuses.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from itertools import pairwise

import fastexcel
import pyarrow as pa

from rmrp_pipeline.read.limits import column_letter
from rmrp_pipeline.read.sheet_xml import ROW_NUMBER_FIRST, sheet_parts

#: Cells (rows x columns the sheet spans) above which a sheet is read in windows of about as many.
#: A window of a million cells holds about 90 MB in fastexcel while it is parsed.
WINDOW_CELLS = 1_000_000
#: An empty worksheet: stands for the workbook's other sheets in each window's workbook.
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
_DEFAULT_NAMESPACE_ROOT = re.compile(rb'<worksheet\b[^>]*\bxmlns="')
_SHEET_DATA_OPEN = re.compile(rb"<sheetData\s*>\s*$")
#: The row number of a cell's reference.
_CELL_ROW = re.compile(rb'<c\b[^>]*?\br="[A-Z]{1,3}([0-9]+)"')


@dataclass
class WindowedSheet:
    """A sheet read in windows: its table (all windows' rows, from the first row under the header,
    as one read of the whole sheet gives them), the header cells (None: an empty header cell), the
    0-based index of its first column and its visibility (``visible``, ``hidden``, ``veryhidden``)."""

    arrow: pa.Table
    header_cells: list[str | None]
    first_col: int
    visible: str


def read_in_windows(path, member: str, sheet: str, *, header_row: int, first_row: int,
                    columns: int) -> WindowedSheet | None:
    """Read the sheet ``sheet`` (its XML is the zip part ``member`` of the xlsx ``path``) in windows of
    about ``WINDOW_CELLS`` cells (``columns``: the columns it spans; ``first_row``: the number of its
    first row holding a value, where the grid begins); ``header_row``: as for fastexcel's
    ``load_sheet`` (counted from the sheet's row 1). None: read it whole instead (see the module
    docstring)."""
    rows_per_window = max(1, WINDOW_CELLS // max(1, columns))
    above = max(0, header_row - first_row + 1)   # the rows of the grid above its header (header_row counts from row 1)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: _EMPTY_SHEET if _other_sheet(info.filename, member) else archive.read(info)
                 for info in archive.infolist()
                 if info.filename != member and info.filename.endswith((".xml", ".rels"))
                 and not info.filename.startswith(_NOT_READ_FOR_CELLS)}
        windows = _WindowReader(parts, member, sheet, header_row, first_row)
        with archive.open(member) as stream:
            pending: list[bytes] = []
            for number, part in enumerate(sheet_parts(stream)):
                pieces = part.split(b"<row ")
                if number > 0 and pieces[0].strip():
                    return None
                if number == 0:
                    if not _DEFAULT_NAMESPACE_ROOT.search(pieces[0]) or not _SHEET_DATA_OPEN.search(pieces[0]):
                        return None
                    windows.head = pieces[0]
                pending += pieces[1:]
                # The first window holds the title rows and the header too. The last piece is kept
                # back: it may end the sheet.
                while len(pending) > (size := rows_per_window + (above + 1 if windows.first is None else 0)):
                    if not windows.read(pending[:size]):
                        return None
                    del pending[:size]
            if pending:
                end = pending[-1].find(b"</sheetData>")
                if end == -1:
                    return None
                pending[-1] = pending[-1][:end]
                if not windows.read(pending):
                    return None
    return windows.joined()


_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
#: 1 January 1980, the first date a zip entry can carry (MS-DOS format).
_DOS_DATE = (1 << 5) | 1


def _stored_zip(parts: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` (name, content), stored: its bytes made in one join (``zipfile`` would copy
    each part into its buffer and the buffer again into bytes)."""
    chunks, directory, offset = [], [], 0
    for name, data in parts:
        encoded, crc = name.encode("utf-8"), zlib.crc32(data)
        flags = 0 if name.isascii() else 0x800   # the name in UTF-8
        header = _LOCAL.pack(b"PK\x03\x04", 20, flags, 0, 0, _DOS_DATE, crc, len(data), len(data), len(encoded), 0)
        directory.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, 0, 0, _DOS_DATE, crc, len(data), len(data),
                                       len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        chunks += (header, encoded, data)
        offset += len(header) + len(encoded) + len(data)
    size = sum(map(len, directory))
    return b"".join([*chunks, *directory, _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), size, offset, 0)])


#: Parts a sheet's cells are read without (pivot caches, drawings, charts, links): left out of the
#: windows' workbooks, where each would be copied once per window.
_NOT_READ_FOR_CELLS = ("xl/pivotCache/", "xl/pivotTables/", "xl/drawings/", "xl/charts/", "xl/media/",
                       "xl/externalLinks/", "xl/queryTables/", "xl/slicerCaches/", "xl/slicers/", "customXml/",
                       "xl/printerSettings/", "xl/comments", "xl/threadedComments/", "xl/persons/")


def _other_sheet(name: str, member: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and name != member


class _WindowReader:
    """Parses the windows of one sheet in order and checks each against the first."""

    def __init__(self, parts: dict[str, bytes], member: str, sheet: str, header_row: int, first_row: int) -> None:
        self.parts, self.member, self.sheet, self.header_row, self.first_row = parts, member, sheet, header_row, first_row
        self.head = b""
        self.tables: list[pa.RecordBatch] = []
        self.last_row = 0           # the number of the last row given to a window
        self.grid_end = 0           # the number of the last row of the windows' grids so far
        self.first: WindowedSheet | None = None
        self.width = 0

    def read(self, pieces: list[bytes]) -> bool:
        """Parse the rows ``pieces`` (each the XML after its ``<row ``); False: read the sheet whole."""
        found = [ROW_NUMBER_FIRST.match(piece) for piece in pieces]
        if None in found:   # a row without a number first, or a "<row " that is no row's (in a comment)
            return False
        numbers = [int(number.group(1)) for number in found]
        if numbers[0] <= self.last_row or any(a >= b for a, b in pairwise(numbers)):
            return False
        self.last_row = numbers[-1]
        header_row = self.header_row if self.first is None else 0
        chunks = [self.head] if self.first is None else [self.head, self._pinning_row()]
        for piece in pieces:
            chunks += (b"<row ", piece)
        chunks.append(b"</sheetData></worksheet>")
        try:
            book = fastexcel.read_excel(self.workbook(b"".join(chunks)))
            loaded = book.load_sheet(self.sheet, header_row=header_row, schema_sample_rows=None, dtype_coercion="strict")
            columns = loaded.selected_columns
            table = loaded.to_arrow()
        except Exception:  # noqa: BLE001 - a type mix in the window, a cell fastexcel refuses: read whole
            return False
        first_col = min((c.absolute_index for c in columns), default=0)
        if self.first is None:
            # The header fastexcel takes: with header_row 0, the first row of its grid (the sheet's first
            # row holding a value, checked); above 0, the sheet's row header_row + 1, wherever the values begin.
            if self.header_row == 0 and not _begins_at_first_row(self, pieces, numbers):
                return False
            header_number = self.first_row if self.header_row == 0 else self.header_row + 1
            self.width = len(columns)
            self.first = WindowedSheet(pa.table({}), [None if c.name.startswith("__UNNAMED__") else c.name
                                                      for c in columns], first_col, str(loaded.visible))
            self.grid_end = header_number + table.num_rows
        else:
            if len(columns) != self.width or first_col != self.first.first_col:
                return False
            # The pinning row is the header, alone: no cell of the window put on its row or above it by
            # a reference naming an earlier row than its row tag's.
            if [None if c.name.startswith("__UNNAMED__") else c.name for c in columns] != self._pinned_names():
                return False
            table = table.rename_columns(self.tables[0].schema.names)
            self.grid_end += table.num_rows
        if self.grid_end > numbers[-1]:
            return False
        self.tables.append(table)
        return True

    def _pinned_names(self) -> list[str | None]:
        first, last = self.first.first_col, self.first.first_col + self.width - 1
        return [f"c{first}"] if first == last else [f"c{first}", *[None] * (self.width - 2), f"c{last}"]

    def _pinning_row(self) -> bytes:
        """The header row of a window after the first: two text cells, at the first and the last column
        of the first window, on the last row of the windows' grids so far."""
        first, last = self.first.first_col, self.first.first_col + self.width - 1
        cells = [first] if first == last else [first, last]
        return b'<row r="%d">' % self.grid_end + b"".join(
            b'<c r="%s%d" t="inlineStr"><is><t>c%d</t></is></c>' % (column_letter(c + 1).encode(), self.grid_end, c)
            for c in cells) + b"</row>"

    def workbook(self, sheet_xml: bytes) -> bytes:
        """An xlsx zip (parts stored, not compressed) of the original's parts, ``sheet_xml`` as the sheet's:
        the window's XML is copied once into it."""
        return _stored_zip([*self.parts.items(), (self.member, sheet_xml)])

    def joined(self) -> WindowedSheet | None:
        """The windows' tables as one, or None when a column holds values of one type in a window
        and of another in the next. A window in which a column is empty gives it fastexcel's type
        of an empty column (text); such a column takes the type of the other windows."""
        if self.first is None:
            return None
        tables = [pa.Table.from_batches([t]) if isinstance(t, pa.RecordBatch) else t for t in self.tables]
        kinds = []
        for index in range(tables[0].num_columns):
            types = {t.column(index).type for t in tables if t.column(index).null_count < t.num_rows}
            if len(types) > 1:
                return None
            kinds.append(types.pop() if types else tables[0].schema.field(index).type)
        schema = pa.schema([pa.field(name, kind) for name, kind in zip(tables[0].schema.names, kinds)])
        # A column empty in a window made of the type of the others (Arrow casts no text to a duration).
        tables = [pa.table([column if column.type == kind or column.null_count < t.num_rows else pa.nulls(t.num_rows, kind)
                            for column, kind in zip(t.columns, kinds)], schema=schema) for t in tables]
        try:
            table = pa.concat_tables([t.cast(schema) for t in tables])
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            return None
        return WindowedSheet(table, self.first.header_cells, self.first.first_col, self.first.visible)


def _begins_at_first_row(reader: _WindowReader, pieces: list[bytes], numbers: list[int]) -> bool:
    """Whether fastexcel's grid of ``reader``'s sheet begins at its ``first_row``, the XML scan's first row
    holding a value: the two do not count the same cells as values (a formula saved with an
    empty result, ``<v></v>``, is one for the scan, not for calamine; ``<is/>`` the other way).
    The first window's rows up to that one and an error cell (read as empty) on the row under
    it, parsed without a header, make two rows exactly when the grid begins there, unless a cell of
    a later row names a row above it in its reference (looked for when the sheet begins below row 1)."""
    below = reader.first_row + 1
    chunks = [reader.head]
    for number, piece in zip(numbers, pieces):
        if number > reader.first_row:
            break
        chunks += (b"<row ", piece)
    if reader.first_row > 1 and any(int(row) < reader.first_row for number, piece in zip(numbers, pieces)
                                    if number > reader.first_row for row in _CELL_ROW.findall(piece)):
        return False   # a cell of a later row tag whose reference names a row above: the grid begins there
    chunks.append(b'<row r="%d"><c r="A%d" t="e"><v>#N/A</v></c></row></sheetData></worksheet>' % (below, below))
    try:
        book = fastexcel.read_excel(reader.workbook(b"".join(chunks)))
        probe = book.load_sheet(reader.sheet, header_row=None, schema_sample_rows=None, dtype_coercion="strict")
        return probe.to_arrow().num_rows == 2
    except Exception:  # noqa: BLE001 - a cell fastexcel refuses: read whole
        return False

"""A sheet read and recognised as a template, its header looked for below title rows and in
two-row headers (group titles over sub-headers). Raises ``ReadError`` when the sheet cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rmrp_pipeline.read.templates import Recognition, recognise
from rmrp_pipeline.read.workbook import SheetData, first_rows, read_table

#: How far below the top of a sheet the header may sit (title rows, notes above it).
MAX_TITLE_ROWS = 10



def read_and_recognise(path: Path, sheet_name: str, name: str) -> tuple[SheetData, Recognition]:
    """Read a sheet and recognise its template. When the first row is not a known header, the
    header is looked for in the next rows (titles or notes above the table); the sheet is then
    read again from the header found. Raises ReadError when the sheet cannot be read."""
    sheet = read_table(path, sheet_name, source_file=name)
    recognition = recognise(sheet.headers, sheet.hxl_tags)
    if recognition.template is not None or not sheet.headers:  # an empty sheet has no header to look for
        return sheet, recognition
    rows = first_rows(path, sheet_name, MAX_TITLE_ROWS + 1)
    for offset, row in enumerate(rows):
        if offset and recognise([str(v) for v in row if v not in (None, "")]).template is not None:
            sheet = read_table(path, sheet_name, source_file=name, header_row=offset)
            return sheet, recognise(sheet.headers, sheet.hxl_tags)
        if offset + 1 < len(rows):
            combined = two_row_header(row, rows[offset + 1])
            if recognise([h for h in combined if h]).template is not None:
                sheet = read_table(path, sheet_name, source_file=name, header_row=offset + 1, headers=combined)
                return sheet, recognise(sheet.headers, sheet.hxl_tags)
    return sheet, recognition



def two_row_header(upper: list[object], lower: list[object]) -> list[str]:
    """One header per column from a two-row header: a group header (often merged across the
    columns below it, so only its first cell holds the text) over sub-headers such as
    ``Niñas | Niños | Mujeres | Hombres``. A column takes its sub-header when it has one, else
    its own upper cell (a header merged down over both rows); a sub-header that repeats under
    several groups is prefixed with its group."""
    width = max(len(upper), len(lower))
    upper = list(upper) + [None] * (width - len(upper))
    lower = list(lower) + [None] * (width - len(lower))
    text = lambda v: "" if v is None else str(v).strip()  # noqa: E731
    groups, current = [], ""
    for index, cell in enumerate(upper):
        if text(cell):
            current = text(cell)
        elif not text(lower[index]):
            current = ""
        groups.append(current)
    subs = [text(v) for v in lower]
    repeated = {s for s, count in Counter(subs).items() if s and count > 1}
    return [
        (f"{groups[i]} {subs[i]}" if subs[i] in repeated else subs[i]) if subs[i] else text(upper[i])
        for i in range(width)
    ]


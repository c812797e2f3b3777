"""Writing workbooks and CSV files for people: safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as
a formula by spreadsheet programs when the file is opened (``=HYPERLINK(...)`` in a partner's
activity name). Every export of this project goes through ``write_workbook`` or ``write_csv``,
which store such text with a leading apostrophe, the convention spreadsheets use for "this is
text". Numbers are written as numbers, so a real negative number is never touched. Source:
OWASP, "CSV Injection".
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limits on sheet names.
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def escape_text(value: str) -> str:
    """``=1+1`` -> ``'=1+1``; other text unchanged."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell_value(value: object) -> object:
    """A value ready for a spreadsheet cell: text escaped, missing as empty, numbers as numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (int, float, bool, dt.date, dt.datetime)):
        return value
    return escape_text(str(value))


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``name`` (31 characters, no ``[]:*?/\\``)."""
    base = name.translate(_SHEET_NAME_FORBIDDEN).strip().strip("'") or "Sheet"
    candidate = base[:_SHEET_NAME_MAX]
    number = 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write one sheet per frame (header in bold, frozen, columns sized); returns ``path``.

    Sheet names are made valid and unique (``sheet_name``); text is escaped (module docstring).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(sheet_name(name, taken))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))]) if len(frame) else len(str(column))
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=escape_text(str(column)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for record in frame.itertuples(index=False, name=None):
            cells = []
            for value in record:
                prepared = cell_value(value)
                cell = WriteOnlyCell(sheet, value=prepared)
                if isinstance(prepared, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                cells.append(cell)
            sheet.append(cells)
    book.save(path)
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with a byte-order mark (Excel opens it with the right
    accents), text escaped (module docstring); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([escape_text(str(c)) for c in frame.columns])
        for record in frame.itertuples(index=False, name=None):
            writer.writerow(["" if (v := cell_value(value)) is None else v for value in record])
    return path

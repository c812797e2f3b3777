"""Writing workbooks and CSV files for people: safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as
a formula by spreadsheet programs when the file is opened (``=HYPERLINK(...)`` in a partner's
activity name). Every export of this project goes through ``write_workbook`` or ``write_csv``:

- in a workbook, such text is a text cell (XlsxWriter ``write_string``: never a formula) shown as
  it is, with Excel's quote-prefix style (the hidden apostrophe Excel keeps when one types
  ``'=1+1``), so editing the cell does not turn it into a formula either;
- in a CSV file, which has no types, it gets a leading apostrophe and every text field is quoted,
  as OWASP's "CSV Injection" page recommends (prefix a single quote, wrap the field in double
  quotes, double the quotes inside).

Control characters in text are shown as escapes (``\\x07``; ``text.printable_cell``: a cell keeps
its line breaks and tabs). Numbers are written as numbers, so a real negative number is never
touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pandas as pd
import xlsxwriter

from rmrp_pipeline.text.printable import printable_cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limits on sheet names.
_SHEET_NAME_MAX = 31
#: Characters a sheet name cannot hold (Excel's), and control characters and bidirectional marks
#: (``text.printable``), each made a space.
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\" + "".join(
    map(chr, [*range(0x20), *range(0x7F, 0xA0), 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
              *range(0x2066, 0x206A)]))})


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (it starts with FORMULA_TRIGGERS)."""
    return text.startswith(FORMULA_TRIGGERS)


def escape_text(value: str) -> str:
    """Text for a CSV field: ``=1+1`` -> ``'=1+1``; other text unchanged."""
    return "'" + value if formula_like(value) else value


def cell_value(value: object) -> object:
    """A value ready for a spreadsheet cell: missing as None, numbers as numbers, dates as
    datetimes, anything else as text with its control characters escaped (``printable_cell``);
    formula-like text is left to the writer (module docstring)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return printable_cell(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (int, float, bool, dt.date, dt.datetime)):
        return value
    return printable_cell(str(value))


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``name`` (31 characters, no ``[]:*?/\\`` nor control
    characters: each a space)."""
    base = name.translate(_SHEET_NAME_FORBIDDEN).strip().strip("'") or "Sheet"
    candidate = base[:_SHEET_NAME_MAX]
    number = 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, persons: bool = False) -> Path:
    """Write one sheet per frame (header in bold, frozen, with filters, columns sized); returns
    ``path``. With ``persons``, numbers are counts for people: thousands separated (``148,088``;
    fractions, as in R4V's apportioned 2021 breakdowns, with two decimals).

    Written with XlsxWriter in constant-memory mode (a QA workbook of a large cycle holds hundreds
    of thousands of rows; openpyxl took minutes). Text is always written as text, never parsed as
    a formula, number or link; formula-like text gets the quote-prefix style and control
    characters are escaped (module docstring); sheet names made valid and unique.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "nan_inf_to_errors": False,
    })
    bold = book.add_format({"bold": True, "quote_prefix": True})
    quoted = book.add_format({"quote_prefix": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    whole = book.add_format({"num_format": "#,##0"}) if persons else None
    fraction = book.add_format({"num_format": "#,##0.00"}) if persons else None
    taken: set[str] = set()
    for name, frame in sheets.items():
        sheet = book.add_worksheet(sheet_name(name, taken))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        for index, column in enumerate(frame.columns):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))]) if len(frame) else len(str(column))
            sheet.set_column(index, index, min(max(10, longest + 2), 60))
            sheet.write_string(0, index, printable_cell(str(column)), bold)
        for number, record in enumerate(frame.itertuples(index=False, name=None), start=1):
            for index, value in enumerate(record):
                prepared = cell_value(value)
                if prepared is None:
                    continue
                if isinstance(prepared, str):
                    sheet.write_string(number, index, prepared, quoted if formula_like(prepared) else None)
                elif isinstance(prepared, bool):
                    sheet.write_boolean(number, index, prepared)
                elif isinstance(prepared, (int, float)):
                    sheet.write_number(number, index, prepared,
                                       whole if float(prepared).is_integer() else fraction)
                else:
                    sheet.write_datetime(number, index, prepared, date)
    book.close()
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with a byte-order mark (Excel opens it with the right
    accents): numbers bare, text fields quoted, formula-like text with a leading apostrophe
    (module docstring); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow([escape_text(printable_cell(str(c))) for c in frame.columns])
        for record in frame.itertuples(index=False, name=None):
            writer.writerow([_csv_field(value) for value in record])
    return path


def _csv_field(value: object) -> object:
    """One CSV field: a number as it is (written bare), anything else as text, escaped."""
    prepared = cell_value(value)
    if prepared is None:
        return ""
    if isinstance(prepared, (int, float)):  # bool included: written as True/False
        return prepared
    return escape_text(prepared if isinstance(prepared, str) else str(prepared))

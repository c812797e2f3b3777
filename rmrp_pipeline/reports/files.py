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
import xlsxwriter

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


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, persons: bool = False) -> Path:
    """Write one sheet per frame (header in bold, frozen, with filters, columns sized); returns
    ``path``. With ``persons``, numbers are counts for people: thousands separated (``148,088``;
    fractions, as in R4V's apportioned 2021 breakdowns, with two decimals).

    Written with XlsxWriter in constant-memory mode (a QA workbook of a large cycle holds hundreds
    of thousands of rows; openpyxl took minutes). Text is always written as text, never parsed as
    a formula, number or link, and escaped (module docstring); sheet names made valid and unique.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "nan_inf_to_errors": False,
    })
    bold = book.add_format({"bold": True})
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
            sheet.write_string(0, index, escape_text(str(column)), bold)
        for number, record in enumerate(frame.itertuples(index=False, name=None), start=1):
            for index, value in enumerate(record):
                prepared = cell_value(value)
                if prepared is None:
                    continue
                if isinstance(prepared, str):
                    sheet.write_string(number, index, prepared)
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
    accents), text escaped (module docstring); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([escape_text(str(c)) for c in frame.columns])
        for record in frame.itertuples(index=False, name=None):
            writer.writerow(["" if (v := cell_value(value)) is None else v for value in record])
    return path

"""Writing workbooks and CSV files for people: safe against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as
a formula by spreadsheet programs when the file is opened (``=HYPERLINK(...)`` in a partner's
activity name). Every export of this project goes through ``write_workbook``, ``write_table_workbook``
or ``write_csv``:

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
import decimal
import math
import os
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
import xlsxwriter.exceptions

from rmrp_pipeline.text.printable import os_reason, printable_cell

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
    """A value ready for a spreadsheet cell: missing as None, numbers as numbers (NumPy's too: a
    nullable ``Int64`` column gives ``numpy.int64``; a DECIMAL's ``decimal.Decimal`` too), dates as datetimes, anything else as text
    with its control characters escaped (``printable_cell``); formula-like text is left to the
    writer (module docstring)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic) and not isinstance(value, (np.datetime64, np.timedelta64)):
        value = value.item()   # numpy.int64 is no int, numpy.bool_ no bool
    if isinstance(value, decimal.Decimal):
        value = float(value)   # a DECIMAL column (value_usd): a number, as Excel keeps every number
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
        _write_rows(sheet, frame, 1, text=None, quoted=quoted,
                    number_format=lambda _i, v: whole if float(v).is_integer() else fraction,
                    date_format=lambda _i: date)
    _close(book)
    return path


def _close(book: xlsxwriter.Workbook) -> None:
    """Close (write) an XlsxWriter workbook.

    Raises:
        OSError: the file cannot be created (the error behind XlsxWriter's ``FileCreateError``:
            a folder without write permission, a full disk).
    """
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise cause from exc


def folder_problem(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (created if missing), in a few words for one line
    (``cannot write <folder>: Permission denied``); None when a file can be created there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".rmrp-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"cannot write {folder}: {os_reason(exc)}"
    return None


def _write_rows(sheet, frame: pd.DataFrame, start: int, *, text, quoted, number_format, date_format) -> None:
    """Write the rows of ``frame`` from sheet row ``start`` (cells through ``cell_value``; blanks
    left empty): text always as a text cell in format ``text`` (formula-like text in ``quoted``),
    booleans, numbers in ``number_format(column index, value)``, dates in ``date_format(column index)``."""
    for number, record in enumerate(frame.itertuples(index=False, name=None), start=start):
        for index, value in enumerate(record):
            prepared = cell_value(value)
            if prepared is None:
                continue
            if isinstance(prepared, str):
                sheet.write_string(number, index, prepared, quoted if formula_like(prepared) else text)
            elif isinstance(prepared, bool):
                sheet.write_boolean(number, index, prepared)
            elif isinstance(prepared, (int, float)):
                sheet.write_number(number, index, prepared, number_format(index, prepared))
            else:
                sheet.write_datetime(number, index, prepared, date_format(index))


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
    """One CSV field: a number as it is (written bare; a DECIMAL with its digits, ``215.00``),
    anything else as text, escaped."""
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return value
    prepared = cell_value(value)
    if prepared is None:
        return ""
    if isinstance(prepared, (int, float)):  # bool included: written as True/False
        return prepared
    return escape_text(prepared if isinstance(prepared, str) else str(prepared))


def write_table_workbook(frame: pd.DataFrame, path: Path, title: str, number_formats: dict[str, str] | None = None,
                         tags: list[str] | None = None, readme: list[list[object]] | None = None) -> Path:
    """Write one table for people to read and print; returns ``path``. Sheet ``title``: the header
    (bold, wrapped), the HXL ``tags`` row under it if given, frozen and repeated on every printed
    page; filters, columns sized, landscape, fitted to one page wide. ``number_formats``: column ->
    Excel format of its numbers (a fraction in a ``#,##0`` column shows two decimals); dates
    ``yyyy-mm-dd`` unless given. Then a ``README`` sheet of the ``readme`` rows (its first row bold),
    when given. Cells are written as by ``write_workbook`` (text always a text cell, formula-like text
    with the quote-prefix style, control characters escaped)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "nan_inf_to_errors": False,
    })
    taken: set[str] = set()
    sheet = book.add_worksheet(sheet_name(title, taken))
    head = 1 + (tags is not None)
    formats = {c: book.add_format({"num_format": f}) for c, f in (number_formats or {}).items()}
    _table_layout(book, sheet, frame, title, head, tags)
    fraction, date = book.add_format({"num_format": "#,##0.00"}), book.add_format({"num_format": "yyyy-mm-dd"})
    text = book.add_format({"indent": 1})   # apart from a number right-aligned in the column before
    quoted = book.add_format({"indent": 1, "quote_prefix": True})
    column_formats = [formats.get(str(c)) for c in frame.columns]
    whole_columns = [(number_formats or {}).get(str(c)) == "#,##0" for c in frame.columns]

    def number_format(index: int, value: float):
        return fraction if whole_columns[index] and not float(value).is_integer() else column_formats[index]

    _write_rows(sheet, frame, head, text=text, quoted=quoted, number_format=number_format,
                date_format=lambda index: column_formats[index] or date)
    if readme:
        _readme_sheet(book, book.add_worksheet(sheet_name("README", taken)), readme)
    _close(book)
    return path


def _table_layout(book, sheet, frame: pd.DataFrame, title: str, head: int, tags: list[str] | None) -> None:
    """Header and tag rows, widths, frozen panes, filters and print setup of a table sheet."""
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#EEEEEE",
                              "quote_prefix": True})
    tag_format = book.add_format({"italic": True, "font_color": "#555555", "bottom": 1, "quote_prefix": True})
    widths = [_column_width(str(c), frame[c], tags[i] if tags else None) for i, c in enumerate(frame.columns)]
    lines = [len(textwrap.wrap(str(c), max(1, int(w) - 1)) or [""]) for c, w in zip(frame.columns, widths)]
    sheet.set_row(0, 15 * min(5, max([1, *lines])))
    for index, column in enumerate(frame.columns):
        sheet.set_column(index, index, widths[index])
        sheet.write_string(0, index, printable_cell(str(column)), header)
    for index, tag in enumerate(tags or ()):   # constant-memory mode: a row is complete before the next
        sheet.write_string(1, index, printable_cell(tag or ""), tag_format)
    sheet.freeze_panes(head, 0)
    if len(frame.columns):
        sheet.autofilter(0, 0, max(len(frame) + head - 1, head), len(frame.columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)                      # A4
    sheet.fit_to_pages(1, 0)                # one page wide, as many pages long as needed
    sheet.repeat_rows(0, head - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L&\"Calibri,Bold\"{printable_cell(title).replace('&', '&&')}")
    sheet.set_footer("&LPage &P of &N&R&D")


def _column_width(column: str, values: pd.Series, tag: str | None) -> int:
    """Characters wide enough for the column's values (numbers as they show: ``1,234,567``), its
    tag and its header's longest word (a longer header wraps); between 8 and 45."""
    longest = 0
    for value in values.head(200):
        prepared = cell_value(value)
        if isinstance(prepared, (int, float)) and not isinstance(prepared, bool):
            shown = f"{prepared:,.0f}" if float(prepared).is_integer() or abs(prepared) >= 1000 else f"{prepared:,.2f}"
        elif prepared is None:
            continue
        else:
            shown = str(prepared)[:19]   # dates as yyyy-mm-dd hh:mm:ss at most
        longest = max(longest, len(shown))
    word = min(max((len(w) for w in column.split()), default=4), 24)
    return min(max(8, word + 2, longest + 3, len(tag or "") + 1), 45)


def _readme_sheet(book, sheet, rows: list[list[object]]) -> None:
    """A sheet of rows of text, wrapped, for reading and printing; bold: the first row and each row
    after an empty one (a section's header)."""
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "quote_prefix": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    quoted = book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    widths = [28, 70, 16, 24, 70]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    for number, row in enumerate(rows):
        lines = [len(textwrap.wrap(str(v), widths[i] - 2) or [""]) for i, v in enumerate(row[:len(widths)]) if v]
        if max(lines, default=1) > 1:     # a wrapped cell's height, which not every program works out
            sheet.set_row(number, 15 * max(lines))
        for index, value in enumerate(row):
            prepared = cell_value(value)
            if prepared is not None:
                heading = number == 0 or not any(v is not None and v != "" for v in rows[number - 1])
                shown = str(prepared)
                sheet.write_string(number, index, shown, bold if heading else quoted if formula_like(shown) else wrap)
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)

"""Strict parsers of typed cells shared by every source: numbers (a number cell as is, text in the
file's convention, anything uncertain a failure rule id), months and Yes/No. Each works on a column
or on its distinct cells and returns values with a failure per cell, never a guess."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from rmrp_pipeline.text.cells import clean_text, distinct_cells, normalise_key
from rmrp_pipeline.text.numbers import NumberParseError, parse_published_number

_YES = {"yes", "si", "sim", "y", "true"}



_NO = {"no", "nao", "n", "false"}



_MONTH_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T]00:00(?::00)?)?$")



# Excel serial dates from 1990 to 2100: anything else in a month column is not a date.
_SERIAL_RANGE = (32874, 73051)



#: Reporting years that can be real (R4V exists since 2018; plans run a few years ahead).
PLAUSIBLE_YEARS = range(2015, 2051)



#: Conventions a number typed as text could have been written in (decimal comma or point).
_CONVENTIONS = ("en", "es")



def _parse_number_cell(cell: object, language: str, whole: bool) -> tuple[float, str | None]:
    """(value, failure rule id or None) of one cell of a number column (see parse_numbers)."""
    if isinstance(cell, float) and np.isnan(cell):
        return np.nan, None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return (float(cell), None) if math.isfinite(cell) else (np.nan, "number_unreadable")
    if isinstance(cell, str):
        if not cell.strip():
            return np.nan, None
        readings = {}
        for convention in _CONVENTIONS:
            try:
                readings[convention] = parse_published_number(cell, convention)
            except NumberParseError:
                continue
        if not readings:
            return np.nan, "number_unreadable"
        if language in ("es", "pt"):
            # Spanish or Portuguese headers: the partner wrote the file in that language, and
            # its numbers with a decimal comma (1,56 is 1.56; 1.560 is 1560).
            readings = {language: readings["es"]} if "es" in readings else {}
            if not readings:
                return np.nan, "number_unreadable"
        elif len({r.value for r in readings.values()}) > 1 or language not in readings:
            # English headers are the export's language, not necessarily the partner's: "1,000"
            # is one thousand in English and one in Spanish. We do not guess (``number_ambiguous``).
            return np.nan, "number_ambiguous"
        parsed = readings[language]
        if parsed.unit == "fraction" or (whole and parsed.unit == "usd"):
            return np.nan, "number_unreadable"
        if whole and not parsed.is_exact:
            return np.nan, "number_ambiguous"
        return parsed.value, None
    return np.nan, "number_unreadable"



def parse_numbers(column: pd.Series, language: str, *, whole: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers of a column: (float values, failure rule id per cell or None).

    Number cells are taken as they are (a non-finite one is unreadable). Text cells go through
    the one strict parser of the project (``numbers.parse_published_number``); a text that the
    English and the Spanish/Portuguese conventions read differently (``1,000``, ``12.000``), or
    that only the Spanish convention reads, is ``number_ambiguous`` in a file with English
    headers (the export's language, not necessarily the partner's); a file with Spanish or
    Portuguese headers is read with the decimal comma (``1,56`` is 1.56, ``1.560`` is 1560). Percentages,
    and ``$`` amounts in a count of people, are unreadable. For counts (``whole=True``) a text
    number must be a plain integer. Booleans, dates and other text are unreadable.
    """
    if column.dtype.kind in "fi":
        values, unreadable = numbers_of_floats(column.to_numpy(dtype="float64"))
        failures = np.full(len(column), None, dtype=object)
        failures[unreadable] = "number_unreadable"
        return pd.Series(values, index=column.index), pd.Series(failures, index=column.index, dtype=object)
    # One parse per distinct value: partner sheets repeat the same few numbers.
    codes, cells = distinct_cells(column)
    values, failures = numbers_of_cells(cells, language, whole)
    return pd.Series(values[codes], index=column.index), pd.Series(failures[codes], index=column.index, dtype=object)



def numbers_of_floats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values, unreadable) of a column of number cells: a non-finite number is unreadable and
    read as NaN (an empty cell is NaN, not unreadable)."""
    finite = np.isfinite(values)
    return np.where(finite, values, np.nan), ~finite & ~np.isnan(values)



def numbers_of_cells(cells: list, language: str, whole: bool) -> tuple[np.ndarray, np.ndarray]:
    """(value, failure rule id or None) of each distinct cell (``_parse_number_cell``); a None
    cell is empty: NaN, no failure."""
    parsed = [(np.nan, None) if cell is None else _parse_number_cell(cell, language, whole) for cell in cells]
    failures = np.empty(len(parsed), dtype=object)
    failures[:] = [failure for _value, failure in parsed]
    return np.array([value for value, _failure in parsed], dtype="float64"), failures



#: Month names (normalised: no accents, lower case) in English, Spanish and Portuguese.
MONTH_NAMES = {
    **{n: i for i, n in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"], start=1)},
    **{n: i for i, n in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"], start=1)},
    **{n: i for i, n in enumerate(["janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto",
                                   "setembro", "outubro", "novembro", "dezembro"], start=1)},
    "setiembre": 9,
}



_NAMED_MONTH = re.compile(r"^(?:(\d{1,2})[_ .-]*)?([a-z]+)\.?(?:[ _/.-]*(?:de[ _])?(\d{2}|\d{4}))?$")



_SLASH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")



def day_first_convention(texts: list[str], language: str) -> bool:
    """Whether ``dd/mm/yyyy`` (True) or ``mm/dd/yyyy`` (False) is the file's convention for text
    dates: proven by a first part above 12 (day first) or a second part above 12 (month first),
    else the convention of the file's language (Spanish, Portuguese: day first; English: month
    first). Decided once per file, never row by row."""
    firsts, seconds = [], []
    for text in texts:
        match = _SLASH_DATE.match(text)
        if match:
            firsts.append(int(match.group(1)))
            seconds.append(int(match.group(2)))
    if any(f > 12 for f in firsts) and not any(s > 12 for s in seconds):
        return True
    if any(s > 12 for s in seconds) and not any(f > 12 for f in firsts):
        return False
    return language in {"es", "pt"}



def parse_months(column: pd.Series, *, language: str = "en", default_year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Reporting months as first-of-month Timestamps: (months, unreadable mask).

    Accepts date cells, Excel serial numbers, ``YYYY-MM`` (or ``YYYY-MM-DD``) text, text dates
    ``dd/mm/yyyy`` or ``mm/dd/yyyy`` read by the file's convention (``day_first_convention``),
    and month names in English, Spanish or Portuguese with an optional year: ``04_Abril``,
    ``Abril 2021``, ``abr-21``, ``marzo de 2021``; a name without a year takes ``default_year``
    (the template's). An empty cell is missing (reported by the reject schema); anything else,
    or a number prefix that contradicts the name (``05_Abril``), is unreadable.
    """
    # One parse per distinct value (a 5W column holds a handful of months).
    codes, cells = distinct_cells(column)
    months = months_of_cells(cells, day_first_convention(texts_of(cells), language), default_year)
    return pd.Series(months[codes], index=column.index), pd.Series(unreadable_months(cells, months)[codes], index=column.index)



def unreadable_months(cells: list, months: np.ndarray) -> np.ndarray:
    """Whether each distinct cell holds something (not None) that is no month (NaT)."""
    return np.array([cell is not None for cell in cells], dtype=bool) & np.isnat(months)



def texts_of(cells: list) -> list[str]:
    """The text cells among distinct cells, cleaned (what ``day_first_convention`` looks at)."""
    return list({clean_text(v) for v in cells if isinstance(v, str)})



def months_of_cells(cells: list, day_first: bool, default_year: int | None) -> np.ndarray:
    """``_month_of_cell`` of each distinct cell (a None cell is empty), as datetime64[ns] (NaT
    where there is no month or it cannot be known)."""
    parsed = pd.Series([None if cell is None else _month_of_cell(cell, day_first, default_year) for cell in cells], dtype=object)
    return pd.to_datetime(parsed, errors="coerce").astype("datetime64[ns]").to_numpy()



def _month_of_cell(cell: object, day_first: bool, default_year: int | None) -> pd.Timestamp | None:
    """The month of one cell of a month column, or None when it cannot be known."""
    if cell is pd.NaT:
        return None
    if isinstance(cell, (dt.date, pd.Timestamp)):
        return _month(cell.year, cell.month)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]:
            date = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(cell))
            return _month(date.year, date.month)
        return None
    if isinstance(cell, str):
        return _month_from_text(clean_text(cell), day_first, default_year)
    return None



def _month(year: int, month: int) -> pd.Timestamp | None:
    """First day of the month, or None when the year cannot be a reporting year (a typo such
    as 3021, or a year pandas cannot even store)."""
    if year not in PLAUSIBLE_YEARS or not 1 <= month <= 12:
        return None
    return pd.Timestamp(year, month, 1)



def _month_from_text(text: str, day_first: bool, default_year: int | None) -> pd.Timestamp | None:
    match = _MONTH_TEXT.match(text)
    if match:
        return _month(int(match.group(1)), int(match.group(2)))
    match = _SLASH_DATE.match(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (first, second) if day_first else (second, first)
        if year not in PLAUSIBLE_YEARS:
            return None
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return _month(year, month)
    match = _NAMED_MONTH.match(normalise_key(text))
    if match:
        number, name, year = match.groups()
        month = MONTH_NAMES.get(name)
        if month is None or (number is not None and int(number) != month):
            return None
        if year is None:
            if default_year is None:
                return None
            return _month(default_year, month)
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        return _month(full_year, month)
    return None



def parse_yes_no(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/No (Sí/No, Sim/Não) as nullable booleans: (values, unreadable mask)."""
    codes, cells = distinct_cells(column)
    values, unreadable = yes_no_of_cells(cells)
    return pd.Series(values.take(codes), index=column.index), pd.Series(unreadable[codes], index=column.index)



def yes_no_of_cells(cells: list) -> tuple[pd.arrays.BooleanArray, np.ndarray]:
    """(Yes/No as nullable booleans, unreadable) of each distinct cell (None for the blank)."""
    keys = ["" if cell is None else normalise_key(str(cell)) for cell in cells]
    yes = np.array([key in _YES for key in keys], dtype=bool)
    no = np.array([key in _NO for key in keys], dtype=bool)
    return pd.arrays.BooleanArray(yes, ~(yes | no)), ~(yes | no | np.array([key == "" for key in keys], dtype=bool))



#: Spanish and Portuguese "no data" markers (normalised keys): an explicitly empty cell. ``NA``
#: and ``None`` are not among them: they are values (Namibia's ISO2 code, a name, ...).
MISSING_MARKERS = {"n/d", "nd", "s/d", "sd", "-", "--", "no aplica", "nao se aplica", "nao aplica",
                   "sin dato", "sin datos", "sem dado", "sem dados"}



def is_missing_marker(cell: object) -> bool:
    """Whether a cell is a Spanish/Portuguese "no data" marker (``N/D``, ``s/d``, ``-``,
    ``no aplica``, ``sin dato``): an explicitly empty cell."""
    return isinstance(cell, str) and normalise_key(cell) in MISSING_MARKERS


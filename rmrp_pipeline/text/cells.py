"""Cell text: the one way every reader shows, cleans and matches a cell (``cell_text``,
``clean_text``, ``normalise_key``), and columns as codes into their distinct cells, so that
parsing and lookups run once per distinct value (``distinct_cells``, ``spread``, ``map_distinct``)."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd


def clean_text(value: str) -> str:
    """NFC-normalise text, turn no-break and other exotic spaces into spaces, fold runs, strip."""
    value = unicodedata.normalize("NFC", value)
    value = re.sub(r"[\u00a0\u2007\u202f\u2000-\u200b\t\r\n]+", " ", value)
    return re.sub(r" {2,}", " ", value).strip()



@lru_cache(maxsize=65536)
def normalise_key(value: str) -> str:
    """Matching key for headers and names: compatibility-decomposed (NFKD), accents removed,
    spaces cleaned, case-folded. ``"País "`` and ``"pais"`` give the same key;
    ``"Sector...Subsector...WG"`` keeps its dots. Idempotent: the key of a key is itself
    (decomposition runs first, since it can turn a spacing accent or a wide space into spaces)."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return clean_text(stripped).casefold()



def cell_text(value: object) -> str | None:
    """One cell as text, the way every reader of the project shows and matches cells: None for a
    blank (empty, NaN, NaT, white space only); a whole-number cell ``2023.0`` as ``"2023"``, other
    numbers as their shortest exact text; text cleaned (NFC, spaces; ``clean_text``)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float):   # numpy's float64 too: repr(float(...)) is 446.2, never np.float64(446.2)
        return str(int(value)) if value.is_integer() else repr(float(value))
    return clean_text(str(value)) or None



def distinct_cells(column: pd.Series) -> tuple[np.ndarray, list]:
    """A column as codes into its distinct cells: ``(codes, cells)`` with ``cells[codes[i]]`` the
    cell of row ``i``. ``cells`` lists the distinct non-blank cells in order of first appearance,
    then ``None``: the last code stands for every blank (None, NaN, NaT). Cells are keyed by
    (type, value): in Python ``True == 1`` and ``1 == 1.0``, and a TRUE cell must never share the
    code of a number cell. Cells are Python objects (``float``, ``bool``, ``str``, ``Timestamp``).
    Columns of one type (numbers, booleans, dates, text only) are hashed in C; a column mixing
    types (the typed-cell fallback of ``read_workbook_sheet``) is keyed cell by cell.
    """
    if column.dtype.kind in "fiubM" or pd.api.types.infer_dtype(column, skipna=True) in {"string", "empty"}:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        cells = list(uniques.tolist()) + [None]
        codes[codes < 0] = len(cells) - 1
        return codes, cells
    index: dict[tuple[type, object], int] = {}
    cells = []
    codes = np.empty(len(column), dtype=np.intp)
    blank = -1
    for row, cell in enumerate(column.tolist()):
        if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NaT:
            codes[row] = blank
            continue
        key = (type(cell), cell)
        code = index.get(key)
        if code is None:
            code = index[key] = len(cells)
            cells.append(cell)
        codes[row] = code
    codes[codes == blank] = len(cells)
    return codes, cells + [None]



def spread(values: list | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per-row values from per-distinct-cell ``values`` (aligned with the cells of
    ``distinct_cells``, which gave ``codes``); an object array unless ``values`` is an array."""
    if not isinstance(values, np.ndarray):
        array = np.empty(len(values), dtype=object)
        for position, value in enumerate(values):  # element by element: tuples stay tuples
            array[position] = value
        values = array
    return values[codes]



def map_distinct(column: pd.Series, function) -> pd.Series:
    """``function`` applied once per distinct cell (``distinct_cells``; object dtype out, blanks
    give None)."""
    codes, cells = distinct_cells(column)
    return pd.Series(spread([function(cell) for cell in cells[:-1]] + [None], codes), index=column.index, dtype=object)



def text_values(column: pd.Series) -> pd.Series:
    """``cell_text`` of every cell of a column (one call per distinct value)."""
    return map_distinct(column, cell_text)


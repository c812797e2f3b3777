"""The issue frame: one row per failing cell and rule (:data:`ISSUE_COLUMNS`), built from
``quality.rules`` so that every issue has a rule id, a severity and a partner message; and the one
split of issues into rows of ``meta.rejected_rows`` and ``meta.quality_findings``
(:data:`ISSUE_TABLE_COLUMNS`).

Every input builds its issues with :func:`issue_frame` (or :func:`sheet_issues` for a mask over the
rows of one sheet): the value shown is ``cell_text`` of the cell, computed once per distinct value,
and the message is formatted once per distinct (column, value), then completed with each row
number, so a million failing cells cost a few distinct formats.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.text.cells import cell_text, map_distinct

#: Columns of the issue frames every stager returns.
ISSUE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"]

#: Columns of ``meta.rejected_rows`` / ``meta.quality_findings``.
ISSUE_TABLE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "value", "message", "produced_by"]


def empty_issues() -> pd.DataFrame:
    """An issue frame without rows."""
    return pd.DataFrame(columns=ISSUE_COLUMNS)


def issue_frame(source_file: str | Sequence[str], sheet: str | Sequence[str], row_numbers: Sequence[int],
                column: str | Sequence[str], rule_id: str, values: Sequence[object]) -> pd.DataFrame:
    """Issue rows (:data:`ISSUE_COLUMNS`) of one rule: one per failing cell.

    Args:
        source_file, sheet: the file and sheet of every row, or one name for all of them.
        row_numbers: Excel row numbers.
        column: the column as the partner sees it (the file's own header), one for all the rows
            or one per row.
        rule_id: a key of ``rules.RULES`` (gives the severity and the message).
        values: the value shown for each row (None for free text: it is never copied), shown as
            ``cell_text`` of it.
    """
    rule = rules.RULES[rule_id]
    row_numbers = np.asarray(row_numbers, dtype=np.int64)
    headers = np.full(len(row_numbers), column, dtype=object) if isinstance(column, str) else np.asarray(column, dtype=object)
    shown = map_distinct(pd.Series(values, dtype=object), cell_text).tolist()   # once per distinct cell
    return pd.DataFrame(
        {
            "source_file": source_file if isinstance(source_file, str) else np.asarray(source_file, dtype=object),
            "sheet": sheet if isinstance(sheet, str) else np.asarray(sheet, dtype=object),
            "row_number": row_numbers,
            "column": headers,
            "rule": rule_id,
            "severity": rule.severity,
            "value": shown,
            "message": _messages(rule_id, row_numbers, headers, shown),
        },
        columns=ISSUE_COLUMNS,
    )


def sheet_issues(sheet: SheetData, rule_id: str, column: str, mask: np.ndarray | pd.Series, shown: pd.Series) -> pd.DataFrame:
    """:func:`issue_frame` of the rows of ``sheet`` where ``mask`` is True (positions among the
    sheet's rows), with the values of ``shown`` at the same positions."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return empty_issues()
    rows = np.asarray(sheet.row_numbers, dtype=np.int64)[positions]
    return issue_frame(sheet.source_file, sheet.sheet, rows, column, rule_id, [shown.iloc[p] for p in positions])


def concat_issues(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One issue frame from parts, sorted by file, sheet and row (stable); empty frame when none."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_issues()
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["source_file", "sheet", "row_number"], kind="stable").reset_index(drop=True)


def issues_for_table(issues: pd.DataFrame, severity: str, produced_by: str) -> pd.DataFrame:
    """The ``issues`` of one severity (``rules.REJECT`` -> ``meta.rejected_rows``, ``rules.FINDING``
    -> ``meta.quality_findings``) as rows of that table (:data:`ISSUE_TABLE_COLUMNS`, ``produced_by``
    the staging table the rows belong to), the issues' index kept, copied once."""
    chosen = (issues["severity"] == severity).to_numpy()
    columns = {c: issues[c].to_numpy()[chosen] for c in ISSUE_TABLE_COLUMNS if c != "produced_by"}
    return pd.DataFrame({**columns, "produced_by": produced_by}, index=issues.index[chosen], columns=ISSUE_TABLE_COLUMNS,
                        copy=False)   # the columns are fresh arrays: no second copy into one block


#: Columns of an issue table whose values repeat (all but the row number and the message): held as
#: Arrow dictionaries.
_REPEATED = ("source_file", "sheet", "column", "rule", "value", "produced_by")


def issue_arrow(frame: pd.DataFrame | None) -> pa.Table:
    """Rows of an issue table (:data:`ISSUE_TABLE_COLUMNS`) as Arrow: ``row_number`` int64, the
    message text, every other column text as a dictionary (None empty).

    Raises:
        pyarrow.ArrowException: a value that is not text where text is expected.
    """
    frame = frame if frame is not None else pd.DataFrame(columns=ISSUE_TABLE_COLUMNS)
    columns = {}
    for name in ISSUE_TABLE_COLUMNS:
        if name == "row_number":
            columns[name] = pa.array(frame[name].to_numpy(dtype=np.int64))
            continue
        text = pa.array(frame[name].to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        columns[name] = text.dictionary_encode() if name in _REPEATED else text
    return pa.table(columns)


def text_column(table: pa.Table, name: str) -> np.ndarray:
    """A text column of an Arrow table (plain or dictionary, any chunks) as objects, None empty."""
    column = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column.to_numpy(zero_copy_only=False)


#: Stands for the row number while a message is formatted once per distinct (column, value).
_ROW_MARK = "\x00row\x00"


class _RowHole:
    def __format__(self, spec: str) -> str:
        if spec:
            raise ValueError("a message formats its row number")
        return _ROW_MARK


def _messages(rule_id: str, row_numbers: np.ndarray, headers: np.ndarray, values: list[str | None]) -> list[str]:
    """``rules.message`` of each failing cell (Excel row, the file's header, value shown),
    formatted once per distinct (header, value) and completed with each row number."""
    pieces_of: dict[tuple[str, str | None], list[str] | None] = {}
    messages = []
    for row, header, value in zip(row_numbers.tolist(), headers.tolist(), values):
        key = (header, value)
        if key not in pieces_of:
            try:
                if _ROW_MARK in str(header) or _ROW_MARK in str(value):
                    raise ValueError("the mark is in the text")
                pieces_of[key] = rules.message(rule_id, row=_RowHole(), column=header, value=value).split(_ROW_MARK)
            except ValueError:
                pieces_of[key] = None
        pieces = pieces_of[key]
        messages.append(str(row).join(pieces) if pieces is not None else rules.message(rule_id, row=row, column=header, value=value))
    return messages

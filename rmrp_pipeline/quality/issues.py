"""The issue frame: one row per failing cell and rule (ISSUE_COLUMNS), built from ``quality.rules``
so that every issue has a rule id, a severity and a partner message; and the split of issues into
``meta.rejected_rows`` and ``meta.quality_findings`` rows (ISSUE_TABLE_COLUMNS)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.text.cells import cell_text

#: Columns of the issue frames every planning stager returns (same as the 5W's).
ISSUE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"]



#: Columns of ``meta.rejected_rows`` / ``meta.quality_findings``.
ISSUE_TABLE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "value", "message", "produced_by"]



def problem_cell_masks(sheet: SheetData, header_of: dict[str, str], used: Iterable[str]) -> list[tuple[str, str, pd.Series]]:
    """(rule id, canonical column, mask) for the cells of the ``used`` columns that hold an Excel
    error (``cell_error``) or a formula saved without its result (``formula_without_value``): the
    fast readers return them as empty, and an empty cell must never stand for an unknown value.
    Helper columns that the pipeline does not use are left alone."""
    if not sheet.problem_cells:
        return []
    position_of_row = {row: position for position, row in enumerate(sheet.row_numbers)}
    out = []
    for canonical in used:
        if canonical not in header_of:
            continue
        letter = sheet.column_letters[sheet.headers.index(header_of[canonical])]
        for kind, rule_id in (("error", "cell_error"), ("formula_without_value", "formula_without_value")):
            positions = [
                position_of_row[row] for (row, col), (k, _text) in sheet.problem_cells.items()
                if col == letter and k == kind and row in position_of_row
            ]
            if positions:
                mask = pd.Series(False, index=range(len(sheet.row_numbers)))
                mask.iloc[positions] = True
                out.append((rule_id, canonical, mask))
    return out



def shown_cells(sheet: SheetData, header: str) -> pd.Series:
    """The cells of column ``header`` as shown in issue rows: the raw values, with the text of an
    Excel error (``#DIV/0!``) or 'formula without a saved result' where the cell holds one."""
    values = sheet.frame[header].reset_index(drop=True).astype(object).copy()
    if sheet.problem_cells:
        letter = sheet.column_letters[sheet.headers.index(header)]
        for position, row in enumerate(sheet.row_numbers):
            found = sheet.problem_cells.get((row, letter))
            if found:
                values.iloc[position] = found[1]
    return values



def issue_rows(sheet: SheetData, rule_id: str, header: str, row_numbers: list[int], values: list[object]) -> pd.DataFrame:
    """Issue rows for one rule: one per (row, value), with the rule's English message.

    Args:
        sheet: the sheet the rows come from (file and sheet names).
        rule_id: a key of ``rules.RULES`` (gives the severity and the message).
        header: the column as the partner sees it (the sheet's header text).
        row_numbers: Excel row numbers.
        values: the value shown for each row (None for free text: it is never copied).
    """
    return issue_rows_at(sheet.source_file, sheet.sheet, rule_id, header, row_numbers, values)



def issue_rows_at(source_file: str, sheet: str, rule_id: str, header: str, row_numbers: list[int],
                  values: list[object]) -> pd.DataFrame:
    """``issue_rows`` for rows known by their file and sheet names only."""
    rule = rules.RULES[rule_id]
    shown = [cell_text(v) for v in values]
    return pd.DataFrame(
        {
            "source_file": source_file,
            "sheet": sheet,
            "row_number": pd.Series(row_numbers, dtype="int64"),
            "column": header,
            "rule": rule_id,
            "severity": rule.severity,
            "value": pd.Series(shown, dtype=object),
            "message": [rules.message(rule_id, row=r, column=header, value=v) for r, v in zip(row_numbers, shown)],
        },
        columns=ISSUE_COLUMNS,
    )



def concat_issues(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One issue frame (ISSUE_COLUMNS) from parts, sorted by row; empty frame when none."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["source_file", "sheet", "row_number"], kind="stable").reset_index(drop=True)



def split_issues(issues: pd.DataFrame, produced_by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rejects, findings) in the columns of ``meta.rejected_rows`` / ``meta.quality_findings``."""
    out = []
    for severity in (rules.REJECT, rules.FINDING):
        chosen = issues[issues["severity"] == severity].drop(columns=["severity"]).copy()
        chosen["produced_by"] = produced_by
        out.append(chosen[ISSUE_TABLE_COLUMNS])
    return out[0], out[1]



def issues_for_table(issues: pd.DataFrame, severity: str, produced_by: str) -> pd.DataFrame:
    """The ``issues`` of one severity as rows of meta.rejected_rows or meta.quality_findings
    (ISSUE_TABLE_COLUMNS, the issues' index kept), copied once."""
    chosen = (issues["severity"] == severity).to_numpy()
    columns = {c: issues[c].to_numpy()[chosen] for c in ISSUE_TABLE_COLUMNS if c != "produced_by"}
    return pd.DataFrame({**columns, "produced_by": produced_by}, index=issues.index[chosen], columns=ISSUE_TABLE_COLUMNS)


"""Vocabulary and helpers shared by the planning readers (PiN/target tables, proportions, submissions).

* The canonical grain of planning figures (``marts.fct_planning_figures``): population types and
  age/gender groups.
* The cells a planning sheet cannot give with certainty (numbers that cannot be read, Excel
  errors, formulas without a saved result): the checks of those rules, shared by the three inputs.
* Issue rows of a sheet from row checks (``quality.checks``) and cell failures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rmrp_pipeline.quality.checks import RowCheck, check, failing
from rmrp_pipeline.quality.issues import sheet_issues
from rmrp_pipeline.quality.rules import PIN_TARGET, PROPORTIONS, SUBMISSIONS
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.text.parsers import parse_numbers

#: Population types of the planning figures; ``all`` is the total over the five types.
POPULATION_TYPES: tuple[str, ...] = ("all", "in_destination", "in_transit", "host_community", "pendular", "returnees")
#: Age/gender groups of the planning figures (under 18: girls/boys; 18 and over: women/men);
#: ``all`` is the total over the four groups.
AGE_GENDER: tuple[str, ...] = ("all", "girls", "boys", "women", "men")
#: The planning inputs (``quality.rules.INPUTS``).
PLANNING_INPUTS = (PIN_TARGET, PROPORTIONS, SUBMISSIONS)

#: (rule id, canonical column, mask over the sheet's rows) of cells that failed a rule.
CellFailure = tuple[str, str, np.ndarray]


def figure_columns() -> list[str]:
    """The 30 canonical figure columns ``<population type>_<age/gender>`` (``all_all`` first)."""
    return [f"{pop}_{agd}" for pop in POPULATION_TYPES for agd in AGE_GENDER]


@dataclass
class StagedPlanning:
    """Result of staging one planning sheet: ``rows`` (one per input row, with ``is_rejected``)
    and ``issues`` (``quality.issues.ISSUE_COLUMNS``, one per failed rule and cell)."""

    rows: pd.DataFrame
    issues: pd.DataFrame


# -- cells -----------------------------------------------------------------------------------------

def sheet_column(sheet: SheetData, header_of: dict[str, str], name: str) -> pd.Series:
    """The cells of canonical column ``name`` by position (0 to n-1); all None when the sheet
    does not have the column."""
    if name in header_of:
        return sheet.frame[header_of[name]].reset_index(drop=True)
    return pd.Series([None] * len(sheet.frame), dtype=object)


@check("number_unreadable", "number_ambiguous", source=PLANNING_INPUTS)
def parse_number_columns(sheet: SheetData, header_of: dict[str, str], names: Iterable[str], language: str,
                         whole: bool) -> tuple[dict[str, pd.Series], list[CellFailure]]:
    """The numbers of the columns ``names`` (``parse_numbers`` in the template's ``language``;
    ``whole``: counts of persons) and the cells that cannot be read with certainty."""
    values, failures = {}, []
    for name in names:
        values[name], failed = parse_numbers(sheet_column(sheet, header_of, name), language, whole=whole)
        for rule_id in failed.dropna().unique():
            failures.append((rule_id, name, failed.eq(rule_id).to_numpy()))
    return values, failures


@check("cell_error", "formula_without_value", source=PLANNING_INPUTS)
def problem_cells(sheet: SheetData, header_of: dict[str, str], used: Iterable[str]) -> list[CellFailure]:
    """The cells of the ``used`` columns that hold an Excel error (``cell_error``) or a formula
    saved without its result (``formula_without_value``): the fast readers return them as empty,
    and an empty cell must never stand for an unknown value. Helper columns that the pipeline
    does not use are left alone."""
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
                mask = np.zeros(len(sheet.row_numbers), dtype=bool)
                mask[positions] = True
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


def failed_cells(failures: list[CellFailure], columns: Iterable[str], n: int) -> dict[str, np.ndarray]:
    """column -> the rows whose cell already failed (no second issue for the same cell)."""
    failed = {name: np.zeros(n, dtype=bool) for name in columns}
    for _rule, name, mask in failures:
        failed[name] = failed.get(name, np.zeros(n, dtype=bool)) | mask
    return failed


# -- issues ----------------------------------------------------------------------------------------

def failure_issues(sheet: SheetData, header_of: dict[str, str], failures: list[CellFailure],
                   rows: np.ndarray | None = None) -> tuple[list[pd.DataFrame], np.ndarray]:
    """(issue frames, rows hit) of the cell failures, within ``rows`` when given; each cell shown
    as written (``shown_cells``)."""
    parts, hit = [], np.zeros(len(sheet.frame), dtype=bool)
    for rule_id, name, mask in failures:
        if rows is not None:
            mask = mask & rows
        if mask.any():
            parts.append(sheet_issues(sheet, rule_id, header_of.get(name, name), mask, shown_cells(sheet, header_of[name])))
            hit |= mask
    return parts, hit


def check_rows(sheet: SheetData, header_of: dict[str, str], checks: Iterable[RowCheck], frame: pd.DataFrame, *,
               rows: np.ndarray | None = None, skip: dict[str, np.ndarray] | None = None) -> tuple[list[pd.DataFrame], np.ndarray]:
    """(issue frames, rows hit) of the row ``checks`` over ``frame`` (one row per sheet row;
    ``rows`` and ``skip`` as in ``quality.checks.failing``), each issue under the sheet's header
    of the check's column."""
    parts, hit = [], np.zeros(len(frame), dtype=bool)
    for item, mask in failing(checks, frame, rows=rows, skip=skip):
        parts.append(sheet_issues(sheet, item.rule_id, header_of.get(item.column, item.column), mask, item.shown(frame)))
        hit |= mask
    return parts, hit

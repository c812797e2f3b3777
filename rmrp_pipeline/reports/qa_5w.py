"""The per-organisation QA workbook of a reporting cycle (R4V's 5W error reports).

One sheet per appealing organisation with every reject and finding of its 5W rows in the
cycle: the file, sheet and Excel row to open, the column, the rule, the value read and what to
fix (English and Spanish), plus the row's key fields so the partner recognises it. Free text
(activity names and descriptions) is never copied into the workbook, nor quoted in a message: it
may hold personal data (docs/data-protection.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.quality import rules
from rmrp_pipeline.reports.files import write_workbook

#: Columns whose values are partners' free text: shown as a pointer to the cell, not copied.
FREE_TEXT_HEADERS_CANONICAL = {"activity_name", "activity_description"}

_ISSUES_SQL = """
WITH issues AS (
    SELECT 'reject' AS severity, * EXCLUDE (produced_by) FROM meta.rejected_rows WHERE produced_by = 'stg_5w__activities'
    UNION ALL
    SELECT 'finding' AS severity, * EXCLUDE (produced_by) FROM meta.quality_findings WHERE produced_by = 'stg_5w__activities'
)
SELECT
    coalesce(s.appealing_org, '(no appealing organisation)') AS appealing_organisation,
    i.source_file AS file, i.sheet, i.row_number AS "row", i."column", i.rule, i.severity,
    i.value, i.message,
    strftime(s.month, '%Y-%m') AS month, s.country_raw AS country, s.admin1, s.subsector, s.indicator,
    s.total_monthly, s.new_beneficiaries
FROM issues i
JOIN staging.stg_5w__activities s
  ON s.source_file = i.source_file AND s.source_sheet = i.sheet AND s.source_row = i.row_number
WHERE (s.month >= ? AND s.month < ?)
   OR (s.month IS NULL AND s.source_file IN (
        SELECT DISTINCT source_file FROM staging.stg_5w__activities WHERE month >= ? AND month < ?))
ORDER BY appealing_organisation, file, sheet, "row", rule
"""


def qa_frames(con: duckdb.DuckDBPyConnection, cycle: str) -> dict[str, pd.DataFrame]:
    """The QA workbook's sheets: ``Summary`` then one frame per appealing organisation.

    Rows: one per failing cell and rule of the organisation's 5W rows whose month is in the
    cycle (rows without a readable month are included when their file has rows in the cycle).
    """
    start, end = cycle_window(cycle)
    issues = con.execute(_ISSUES_SQL, [start, end, start, end]).df().drop(columns=["message"])
    values, free_text = pointed_values(issues, _free_text_headers(con))
    for language in ("en", "es"):
        issues[f"message_{language}"] = [
            rules.message(r, row=row, column=c, value=v, language=language)
            for r, row, c, v in zip(issues["rule"], issues["row"], issues["column"], values)
        ]
    issues.loc[free_text, "value"] = FREE_TEXT_POINTER
    first = ["appealing_organisation", "file", "sheet", "row", "column", "rule", "severity", "value", "message_en", "message_es"]
    issues = issues[first + [c for c in issues.columns if c not in first]]
    summary = (
        issues.groupby(["appealing_organisation", "severity"]).size().unstack(fill_value=0)
        .reindex(columns=["reject", "finding"], fill_value=0)
        .rename(columns={"reject": "rejected cells", "finding": "findings"})
        .reset_index()
    )
    rows_with = issues.groupby("appealing_organisation")[["file", "sheet", "row"]].apply(
        lambda f: len(f.drop_duplicates())
    )
    summary["rows concerned"] = summary["appealing_organisation"].map(rows_with)
    sheets = {"Summary": summary.sort_values("rows concerned", ascending=False)}
    for organisation, frame in issues.groupby("appealing_organisation", sort=True):
        sheets[organisation] = frame.drop(columns=["appealing_organisation"])
    return sheets


#: What the workbook shows in place of a free-text cell.
FREE_TEXT_POINTER = "(free text: see the cell in your file)"


def pointed_values(issues: pd.DataFrame, free_text_headers: set[str]) -> tuple[list[str | None], pd.Series]:
    """(the value each message may quote, the mask of the issues on free-text cells: their value
    is shown as a pointer to the cell) of issues with columns ``column``, ``rule`` and ``value``.
    A free-text cell is never quoted (None), except by ``personal_data_in_free_text``, whose
    value is the kinds of data found, not the text. Messages are written from these values, not
    copied from the warehouse."""
    free_text = issues["column"].isin(free_text_headers)
    kinds = issues["rule"].eq("personal_data_in_free_text")
    values = [None if (free and not kind) or not isinstance(v, str) else v
              for free, kind, v in zip(free_text, kinds, issues["value"])]
    return values, free_text


def _free_text_headers(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Headers, in every known template, of the free-text columns."""
    from rmrp_pipeline.read.templates import load_templates

    return {
        header for template in load_templates().values()
        for canonical, header in template.columns.items() if canonical in FREE_TEXT_HEADERS_CANONICAL
    }


def write_qa_workbook(con: duckdb.DuckDBPyConnection, cycle: str, path: Path) -> tuple[Path, int]:
    """Write the QA workbook of ``cycle`` to ``path``; returns (path, organisations listed)."""
    sheets = qa_frames(con, cycle)
    write_workbook(sheets, path)
    return path, len(sheets) - 1

"""The per-organisation QA workbook of a reporting cycle (R4V's 5W error reports).

One sheet per appealing organisation with every reject and finding of its 5W rows in the
cycle: the file, sheet and Excel row to open, the column, the rule, the value read and what to
fix (English and Spanish), plus the row's key fields so the partner recognises it. Beside it,
:func:`write_organisation_workbooks` writes one workbook per organisation, in its language, to send. Free
text (activity names and descriptions) is never copied into the workbooks, nor quoted in a message: it
may hold personal data (docs/data-protection.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.quality import rules
from rmrp_pipeline.reports.files import sheet_name, write_workbook

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
    """The QA workbook's sheets: ``Summary`` (with the ``sheet`` each organisation's rows are on:
    a name cut to Excel's 31 characters is made unique) then one frame per appealing organisation.

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
    taken: set[str] = set()
    sheet_name("Summary", taken)
    tabs = {o: sheet_name(o, taken) for o in sorted(summary["appealing_organisation"])}   # the order written
    summary["sheet"] = summary["appealing_organisation"].map(tabs)
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


# ---- one workbook per appealing organisation ------------------------------------------------------

#: Columns of the frame listing the organisation workbooks written.
ORGANISATION_COLUMNS = ["appealing_organisation", "workbook", "language", "files", "rows_concerned",
                        "rejected_cells", "findings"]
#: Languages the partner messages exist in (``quality/rules.py``); a template in another language
#: (Portuguese) gets English.
LANGUAGES = ("en", "es")
_MAX_STEM = 60
_WORDS = {
    "en": {"summary": "Summary", "issues": "Issues", "item": "item", "value": "value",
           "organisation": "appealing organisation", "cycle": "reporting cycle", "files": "files",
           "rows": "rows concerned", "rejects": "rejected cells (row not loaded)", "findings": "findings (row loaded)",
           "file": "file", "sheet": "sheet", "row": "row", "column": "column", "rule": "rule", "severity": "severity",
           "message": "what to fix", "message_en": "what to fix (English)", "month": "month", "country": "country",
           "admin1": "admin1", "subsector": "subsector", "indicator": "indicator", "total_monthly": "total monthly",
           "new_beneficiaries": "new beneficiaries", "reject": "reject (row not loaded)", "finding": "finding (row loaded)"},
    "es": {"summary": "Resumen", "issues": "Problemas", "item": "dato", "value": "valor",
           "organisation": "organización solicitante", "cycle": "ciclo de reporte", "files": "archivos",
           "rows": "filas con problemas", "rejects": "celdas rechazadas (fila no cargada)",
           "findings": "observaciones (fila cargada)", "file": "archivo", "sheet": "hoja", "row": "fila",
           "column": "columna", "rule": "regla", "severity": "gravedad", "message": "qué corregir",
           "message_en": "qué corregir (inglés)", "month": "mes", "country": "país", "admin1": "admin1",
           "subsector": "subsector", "indicator": "indicador", "total_monthly": "total mensual",
           "new_beneficiaries": "nuevos beneficiarios", "reject": "rechazo (fila no cargada)",
           "finding": "observación (fila cargada)"},
}
_LANGUAGE_SQL = """
SELECT coalesce(appealing_org, '(no appealing organisation)') AS appealing_organisation, template_id, count(*) AS n
FROM staging.stg_5w__activities
WHERE month >= ? AND month < ?
GROUP BY ALL
"""


def organisation_folder(cycle_workbook: Path, cycle: str) -> Path:
    """The folder of ``cycle``'s per-organisation workbooks: beside the cycle's QA workbook."""
    return cycle_workbook.parent / f"qa_5w_{cycle}"


def workbook_stem(organisation: str, taken: set[str]) -> str:
    """A file name (without ``.xlsx``) for ``organisation``: its name in lower-case ASCII words
    joined by ``-``; a name longer than 60 characters, or one another organisation already has
    (case aside), ends with six characters of the full name's SHA-1, so two names that share
    their beginning never get the same file. Adds the result to ``taken``."""
    import hashlib
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", organisation)
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(ch for ch in text if not unicodedata.combining(ch)).lower()).strip("-")
    slug = slug or "organisation"
    stem = slug
    digest = hashlib.sha1(organisation.encode("utf-8")).hexdigest()
    number = 0
    while len(stem) > _MAX_STEM or stem in taken:
        suffix = "-" + digest[:6] + (f"-{number}" if number else "")
        stem = slug[: _MAX_STEM - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(stem)
    return stem


def organisation_languages(con: duckdb.DuckDBPyConnection, cycle: str) -> dict[str, str]:
    """Per appealing organisation of ``cycle``, the language of the template of most of its 5W
    rows (``read/layouts/templates.csv``): ``es`` or ``en`` (:data:`LANGUAGES`)."""
    from rmrp_pipeline.read.templates import load_templates

    templates = load_templates()
    start, end = cycle_window(cycle)
    rows = con.execute(_LANGUAGE_SQL, [start, end]).df()
    rows["language"] = [getattr(templates.get(t), "language", None) or "en" for t in rows["template_id"]]
    rows["language"] = rows["language"].where(rows["language"].isin(LANGUAGES), "en")
    by_language = rows.groupby(["appealing_organisation", "language"])["n"].sum().reset_index()
    by_language = by_language.sort_values(["appealing_organisation", "n", "language"], ascending=[True, False, True])
    return dict(by_language.drop_duplicates("appealing_organisation")[["appealing_organisation", "language"]].values)


def write_organisation_workbooks(con: duckdb.DuckDBPyConnection, cycle: str, folder: Path) -> pd.DataFrame:
    """Write one QA workbook per appealing organisation with rejects or findings in ``cycle`` into
    ``folder`` (created; its old ``*.xlsx`` removed first), in the language of its files' template
    (:func:`organisation_languages`): a summary sheet and the issues of :func:`qa_frames` with their
    messages in that language (free text never copied nor quoted: :func:`pointed_values`). Returns one
    row per workbook, columns :data:`ORGANISATION_COLUMNS`."""
    sheets = qa_frames(con, cycle)
    languages = organisation_languages(con, cycle)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    written, taken = [], set()
    for organisation, issues in sheets.items():
        if organisation == "Summary":
            continue
        language = languages.get(organisation, "en")
        stem = workbook_stem(organisation, taken)
        write_workbook(_organisation_sheets(organisation, cycle, issues, language), folder / f"{stem}.xlsx")
        severity = issues["severity"]
        written.append({
            "appealing_organisation": organisation, "workbook": f"{stem}.xlsx", "language": language,
            "files": issues["file"].nunique(), "rows_concerned": len(issues[["file", "sheet", "row"]].drop_duplicates()),
            "rejected_cells": int((severity == "reject").sum()), "findings": int((severity == "finding").sum()),
        })
    return pd.DataFrame(written, columns=ORGANISATION_COLUMNS)


def _organisation_sheets(organisation: str, cycle: str, issues: pd.DataFrame, language: str) -> dict[str, pd.DataFrame]:
    """The summary and issue sheets of one organisation's workbook, headers in ``language``."""
    words = _WORDS[language]
    shown = pd.DataFrame({
        words["file"]: issues["file"], words["sheet"]: issues["sheet"], words["row"]: issues["row"],
        words["column"]: issues["column"], words["rule"]: issues["rule"],
        words["severity"]: issues["severity"].map(lambda s: words.get(s, s)), words["value"]: issues["value"],
        words["message"]: issues[f"message_{language}"],
    })
    if language != "en":
        shown[words["message_en"]] = issues["message_en"]
    for column in ("month", "country", "admin1", "subsector", "indicator", "total_monthly", "new_beneficiaries"):
        shown[words[column]] = issues[column].values
    summary = pd.DataFrame({words["item"]: [words[k] for k in ("organisation", "cycle", "files", "rows", "rejects", "findings")],
                            words["value"]: [organisation, cycle, " | ".join(sorted(issues["file"].unique())),
                                             str(len(issues[["file", "sheet", "row"]].drop_duplicates())),
                                             str(int((issues["severity"] == "reject").sum())),
                                             str(int((issues["severity"] == "finding").sum()))]})
    return {words["summary"]: summary, words["issues"]: shown.reset_index(drop=True)}

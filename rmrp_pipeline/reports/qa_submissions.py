"""Per-organisation QA workbooks for activity submissions: what each appealing organisation must fix.

:func:`write_submission_qa_workbooks`: the staged submission rows and their rejects and findings ->
one workbook per organisation (``Summary``, ``Rules``, ``Issues``, ``Activities``) in the language
of its submission, written with ``reports.files.write_workbook``; returns one row per workbook
(:data:`WORKBOOK_COLUMNS`). Free text from the submissions is never copied nor quoted in a message
(docs/data-protection.md). Sheets and columns: docs/data_dictionary.md, "Activity submissions
(RMRP 2023-2024 template)", QA workbooks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from rmrp_pipeline.quality import rules
from rmrp_pipeline.read.templates import load_templates
from rmrp_pipeline.reports.files import write_workbook
from rmrp_pipeline.reports.qa_5w import pointed_values
from rmrp_pipeline.sources.planning.submissions import FREE_TEXT, SUBMISSION_KIND

#: Columns of the frame listing the workbooks written.
WORKBOOK_COLUMNS = [
    "organisation_key", "organisation", "organisation_id", "workbook", "language", "source_files",
    "rows_read", "rows_loaded", "rows_rejected", "rows_with_findings", "issues",
]
_CONTEXT = ["plan_year", "country", "admin1", "sector", "indicator_code"]
_HEADERS = {
    "en": {"file": "file", "sheet": "sheet", "row": "row", "column": "column", "rule": "rule", "severity": "severity",
           "value": "value", "message": "message", "message_en": "message (English)", "status": "status",
           "rejects": "rejects", "findings": "findings", "plan_year": "year", "country": "country", "admin1": "admin1",
           "sector": "sector", "indicator_code": "indicator code", "indicator_type": "indicator type", "cells": "cells",
           "rows": "rows", "item": "item"},
    "es": {"file": "archivo", "sheet": "hoja", "row": "fila", "column": "columna", "rule": "regla", "severity": "gravedad",
           "value": "valor", "message": "mensaje", "message_en": "mensaje (inglés)", "status": "estado",
           "rejects": "rechazos", "findings": "observaciones", "plan_year": "año", "country": "país", "admin1": "admin1",
           "sector": "sector", "indicator_code": "código de indicador", "indicator_type": "tipo de indicador",
           "cells": "celdas", "rows": "filas", "item": "dato"},
}
_WORDS = {
    "en": {"reject": "reject (row not loaded)", "finding": "finding (row loaded)", "loaded": "loaded", "rejected": "rejected",
           "organisation": "organisation", "id": "R4V id", "files": "files", "read": "rows read", "loaded_rows": "rows loaded",
           "rejected_rows": "rows rejected", "finding_rows": "rows with findings", "pin": "targets vs people in need",
           "checked": "checked against the country PiN of {years}", "unchecked": "not checked: no PiN loaded for {years}",
           "none": "(not in the R4V list)"},
    "es": {"reject": "rechazo (fila no cargada)", "finding": "observación (fila cargada)", "loaded": "cargada",
           "rejected": "rechazada", "organisation": "organización", "id": "id R4V", "files": "archivos", "read": "filas leídas",
           "loaded_rows": "filas cargadas", "rejected_rows": "filas rechazadas", "finding_rows": "filas con observaciones",
           "pin": "metas vs personas con necesidades", "checked": "verificadas contra el PiN del país de {years}",
           "unchecked": "no verificadas: no hay PiN cargado para {years}", "none": "(no está en la lista de R4V)"},
}


#: What the workbook shows in place of a free-text cell.
FREE_TEXT_POINTER = {"en": "(free text: see the cell in your file)", "es": "(texto libre: vea la celda en su archivo)"}


def _free_text_headers() -> set[str]:
    """Headers, in every submission template, of the free-text columns (``submissions.FREE_TEXT``)."""
    return {header for template in load_templates().values() if template.kind == SUBMISSION_KIND
            for canonical, header in template.columns.items() if canonical in FREE_TEXT}


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "organisation"


def _owner(rows: pd.DataFrame) -> pd.Series:
    """The organisation key each row's issues go to: its own, else the file's most frequent one."""
    main = (rows.dropna(subset=["organisation_key"]).groupby("source_file")["organisation_key"]
            .agg(lambda keys: keys.value_counts().index[0]))
    fallback = rows["source_file"].map(main)
    return rows["organisation_key"].where(rows["organisation_key"].notna(), fallback).fillna("unknown organisation")


def write_submission_qa_workbooks(rows: pd.DataFrame, issues: pd.DataFrame, out_dir: Path,
                                  pin_years: set[int] | None = None) -> pd.DataFrame:
    """Write one QA workbook per organisation into ``out_dir`` (its old ``*.xlsx`` are removed first).

    Args:
        rows: ``staging.stg_planning__submissions`` (columns used: source_file, source_sheet,
            source_row, organisation, organisation_id, organisation_key, language, is_rejected and
            the context columns plan_year, country, admin1, sector, indicator_code, indicator_type).
        issues: the submissions' rejects and findings (columns of ``meta.rejected_rows`` plus
            ``severity``: ``reject`` | ``finding``).
        out_dir: the folder of the workbooks (created if missing).
        pin_years: plan years with a loaded country PiN (targets are checked against it).

    Returns:
        One row per workbook written, columns :data:`WORKBOOK_COLUMNS`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.xlsx"):
        old.unlink()
    if rows.empty:
        return pd.DataFrame(columns=WORKBOOK_COLUMNS)
    rows = rows.copy()
    rows["owner"] = _owner(rows)
    located = issues.merge(
        rows[["source_file", "source_sheet", "source_row", "owner", *_CONTEXT]].rename(
            columns={"source_sheet": "sheet", "source_row": "row_number"}),
        on=["source_file", "sheet", "row_number"], how="left",
    )
    located["owner"] = located["owner"].fillna("unknown organisation")
    written, used = [], set()
    for owner, mine in rows.groupby("owner", sort=True):
        names = mine["organisation"].dropna()
        ids = mine["organisation_id"].dropna()
        name = names.value_counts().index[0] if len(names) else owner
        org_id = ids.iloc[0] if len(ids) else None
        language = mine["language"].mode().iloc[0] if mine["language"].notna().any() else "en"
        slug = _slug(org_id or name)
        while slug in used:
            slug += "-2"
        used.add(slug)
        file_name = f"{slug}.xlsx"
        own_issues = located[located["owner"] == owner].sort_values(["source_file", "sheet", "row_number", "rule"])
        years = sorted({int(y) for y in mine["plan_year"].dropna()})
        _write(out_dir / file_name, language, name, org_id, mine, own_issues, years, pin_years or set())
        loaded = ~mine["is_rejected"].astype(bool)
        finding_rows = set(zip(own_issues.loc[own_issues["severity"] == rules.FINDING, "source_file"],
                               own_issues.loc[own_issues["severity"] == rules.FINDING, "row_number"]))
        written.append({
            "organisation_key": owner, "organisation": name, "organisation_id": org_id, "workbook": file_name,
            "language": language, "source_files": " | ".join(sorted(mine["source_file"].unique())),
            "rows_read": len(mine), "rows_loaded": int(loaded.sum()), "rows_rejected": int((~loaded).sum()),
            "rows_with_findings": len(finding_rows), "issues": len(own_issues),
        })
    return pd.DataFrame(written, columns=WORKBOOK_COLUMNS)


def _write(path: Path, language: str, name: str, org_id: str | None, rows: pd.DataFrame, issues: pd.DataFrame,
           years: list[int], pin_years: set[int]) -> None:
    words, head = _WORDS.get(language, _WORDS["en"]), _HEADERS.get(language, _HEADERS["en"])
    checked = [y for y in years if y in pin_years]
    unchecked = [y for y in years if y not in pin_years]
    pin_note = "; ".join(
        [words["checked"].format(years=", ".join(map(str, checked)))] * bool(checked)
        + [words["unchecked"].format(years=", ".join(map(str, unchecked)))] * bool(unchecked)
    )
    loaded = ~rows["is_rejected"].astype(bool)
    finding_rows = issues.loc[issues["severity"] == rules.FINDING, ["source_file", "row_number"]].drop_duplicates()
    facts = [
        (words["organisation"], name), (words["id"], org_id or words["none"]),
        (words["files"], " | ".join(sorted(rows["source_file"].unique()))),
        (words["read"], len(rows)), (words["loaded_rows"], int(loaded.sum())),
        (words["rejected_rows"], int((~loaded).sum())), (words["finding_rows"], len(finding_rows)),
        (words["pin"], pin_note),
    ]
    summary = pd.DataFrame(facts, columns=[head["item"], head["value"]])
    summary[head["value"]] = summary[head["value"]].astype(str)
    per_rule = pd.DataFrame(
        [(rule, words[severity], len(group), len(group[["source_file", "row_number"]].drop_duplicates()))
         for (rule, severity), group in issues.groupby(["rule", "severity"], sort=True)],
        columns=[head["rule"], head["severity"], head["cells"], head["rows"]],
    )
    whole = lambda column: column.map(lambda v: None if pd.isna(v) else int(v)).astype(object)  # noqa: E731

    values, free_text = pointed_values(issues, _free_text_headers())
    messages = {lang: [rules.message(r, row=n, column=c, value=v, language=lang)
                       for r, n, c, v in zip(issues["rule"], issues["row_number"], issues["column"], values)]
                for lang in {language, "en"}}
    issue_sheet = pd.DataFrame({
        head["file"]: issues["source_file"], head["sheet"]: issues["sheet"], head["row"]: issues["row_number"],
        head["column"]: issues["column"], head["rule"]: issues["rule"],
        head["severity"]: issues["severity"].map(words.get),
        head["value"]: issues["value"].where(~free_text, FREE_TEXT_POINTER[language]),
        head["message"]: messages[language],
        **({head["message_en"]: messages["en"]} if language != "en" else {}),
        **{head[c]: whole(issues[c]) if c == "plan_year" else issues[c] for c in _CONTEXT},
    })
    counts = issues.groupby(["source_file", "row_number", "severity"]).size().unstack(fill_value=0)
    ordered = rows.sort_values(["source_file", "source_row"])
    def count(file: str, row: int, severity: str) -> int:
        key = (file, row)
        return int(counts.loc[key, severity]) if key in counts.index and severity in counts.columns else 0
    activities = pd.DataFrame({
        head["file"]: ordered["source_file"], head["sheet"]: ordered["source_sheet"], head["row"]: ordered["source_row"],
        **{head[c]: whole(ordered[c]) if c == "plan_year" else ordered[c] for c in _CONTEXT},
        head["indicator_type"]: ordered["indicator_type"],
        head["status"]: ordered["is_rejected"].map(lambda r: words["rejected"] if r else words["loaded"]),
        head["rejects"]: [count(f, r, rules.REJECT) for f, r in zip(ordered["source_file"], ordered["source_row"])],
        head["findings"]: [count(f, r, rules.FINDING) for f, r in zip(ordered["source_file"], ordered["source_row"])],
    })
    write_workbook({"Summary": summary, "Rules": per_rule, "Issues": issue_sheet, "Activities": activities}, path)


def submission_qa_inputs(con) -> tuple[pd.DataFrame, pd.DataFrame, set[int]]:
    """What :func:`write_submission_qa_workbooks` reads, from the warehouse connection ``con``: the
    staged submission rows, their rejects and findings (column ``severity``: reject or finding), and
    the plan years with a country PiN."""
    rows = con.execute(
        "SELECT source_file, source_sheet, source_row, organisation, organisation_id, organisation_key, language, "
        "is_rejected, plan_year, country, admin1, sector, indicator_code, indicator_type "
        "FROM staging.stg_planning__submissions ORDER BY source_file, source_sheet, source_row"
    ).df()   # in file order, whatever order the warehouse stores the rows in (warehouse.db.sync_table)
    issues = con.execute(
        "SELECT *, 'reject' AS severity FROM meta.rejected_rows WHERE produced_by = 'stg_planning__submissions' "
        "UNION ALL BY NAME "
        "SELECT *, 'finding' AS severity FROM meta.quality_findings WHERE produced_by = 'stg_planning__submissions' "
        "ORDER BY ALL"
    ).df()
    pin_years = {int(y) for (y,) in con.execute(
        "SELECT DISTINCT plan_year FROM staging.stg_planning__pin_target "
        "WHERE measure = 'people_in_need' AND level = 'country' AND NOT is_rejected"
    ).fetchall()}
    return rows, issues, pin_years

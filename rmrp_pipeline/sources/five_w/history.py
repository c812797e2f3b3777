"""The 5W checks that compare rows of several files (``checks.CROSS_FILE_CHECKS``: a row far above
the organisation's own history; :func:`rows_in_other_files`: a row the same as one of another file),
run once every file is staged and the superseded rows are out.

They run over the loaded rows of each template together (as the other checks do,
``stage.stage_five_w_sheets``), whichever run staged each file (a file read again or one whose
staged rows come from the ingest's cache): a row's finding depends on the other files' rows, so
it is never cached with its file. Plain pandas over the staged rows.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from rmrp_pipeline.quality.checks import as_mask
from rmrp_pipeline.quality.checks import check as rule_check
from rmrp_pipeline.quality.issues import concat_issues, empty_issues, issue_frame
from rmrp_pipeline.quality.rules import FIVE_W
from rmrp_pipeline.sources.five_w.checks import CROSS_FILE_CHECKS

#: The staged columns that say where a row comes from, not what it reports: two rows alike in
#: every other column are the same row.
LINEAGE = ("source_file", "source_sheet", "source_row", "template_id", "is_rejected")
#: Columns every staged 5W table has: a table without them is not the whole rows.
_WHOLE_ROW = ("appealing_org", "month", "country_raw", "admin1", "indicator", "total_monthly", "new_beneficiaries")
#: The column a ``row_in_another_file`` finding names (the count both copies add).
COPIED_COLUMN = "new_beneficiaries"


def cross_file_findings(rows: pd.DataFrame | None, headers: dict[tuple[str, str], dict[str, str]]) -> pd.DataFrame:
    """Issue rows (``quality.issues.ISSUE_COLUMNS``) of ``CROSS_FILE_CHECKS`` over the staged 5W
    ``rows`` (``staging.stg_5w__activities`` columns) that are not rejected, template by template.

    Args:
        rows: the staged rows of every file (None or empty: no findings).
        headers: (source_file, sheet) -> canonical column -> the file's own header (the column an
            issue names; the canonical name when the sheet is not listed).
    """
    if rows is None or rows.empty or not CROSS_FILE_CHECKS:
        return empty_issues()
    needs = {name for check in CROSS_FILE_CHECKS for name in check.needs} | {"source_file", "source_sheet", "source_row"}
    columns = list(rows.columns) if any(not check.needs for check in CROSS_FILE_CHECKS) else ["template_id", *sorted(needs)]
    loaded = ~rows["is_rejected"].astype(bool).to_numpy()
    template_ids = rows["template_id"].to_numpy(dtype=object)
    parts = []
    for template in sorted(pd.unique(template_ids[loaded])):
        chosen = loaded & (template_ids == template)
        # the columns as the checks see them, each copied at most once (not at all when every row is chosen)
        every = bool(chosen.all())
        frame = pd.DataFrame({name: _plain(rows[name] if every else rows[name][chosen]) for name in columns}, copy=False)
        for check in CROSS_FILE_CHECKS:
            mask = as_mask(check.fails(frame))
            if not mask.any():
                continue
            files = frame["source_file"].to_numpy(dtype=object)[mask]
            sheets = frame["source_sheet"].to_numpy(dtype=object)[mask]
            columns_hit = [headers.get((f, s), {}).get(check.column, check.column) for f, s in zip(files, sheets)]
            parts.append(issue_frame(files, sheets, frame["source_row"].to_numpy()[mask].astype(np.int64), columns_hit,
                                     check.rule_id, check.shown(frame)[mask].tolist()))
    return concat_issues(parts)


def _plain(column: pd.Series) -> pd.Series:
    """A staged column as the checks see it while staging: counts as floats (NaN empty), text as
    objects (a categorical column from the cache as its values)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(object)
    if column.dtype.kind in "iu" or isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and column.dtype.kind in "iuf":
        return column.astype("float64")
    return column


@rule_check("row_in_another_file", source=FIVE_W)
def rows_in_other_files(rows: pa.Table | pd.DataFrame | None, headers: dict[tuple[str, str], dict[str, str]]
                        ) -> pd.DataFrame:
    """``row_in_another_file`` findings: every loaded 5W row alike, in every column but its
    :data:`LINEAGE`, to a loaded row of another file (a file saved again with an edit, or copied
    into another folder: its unchanged rows would be counted twice), each naming the first such
    row of another file (``file, n``); rows alike within one file are left alone (a report may
    repeat a line). Rows are compared by a 64-bit hash of their columns (DuckDB's ``hash``).

    Args:
        rows: the staged rows with every column (``staging.stg_5w__activities``), Arrow or pandas.
        headers: (source_file, sheet) -> canonical column -> the file's own header.
    """
    if rows is None or len(rows) == 0:
        return empty_issues()
    names = rows.column_names if isinstance(rows, pa.Table) else [str(c) for c in rows.columns]
    if not set(_WHOLE_ROW) <= set(names):
        raise ValueError("rows_in_other_files compares whole rows: it needs every staged column, "
                         f"not {', '.join(names)}")
    if isinstance(rows, pd.DataFrame):   # a column mixing numbers and text (no Arrow table): compared as text
        rows = rows.astype({c: "string" for c in rows.columns if rows[c].dtype == object})
    values = ", ".join(f'"{c}"' for c in names if c not in LINEAGE)
    with duckdb.connect() as con:
        con.register("staged_rows", rows)
        found = con.execute(f"""
            WITH hashed AS (SELECT source_file AS f, source_sheet AS s, source_row AS r, hash({values}) AS d
                            FROM staged_rows WHERE NOT coalesce(is_rejected, false)),
            copied AS (SELECT d, min(f) AS f1, max(f) AS f2 FROM hashed GROUP BY d HAVING min(f) <> max(f)),
            kept AS (SELECT h.*, c.f1, c.f2 FROM hashed h JOIN copied c USING (d)),
            firsts AS (SELECT d, min(r) FILTER (WHERE f = f1) AS r1, min(r) FILTER (WHERE f = f2) AS r2
                       FROM kept GROUP BY d)
            SELECT k.f, k.s, k.r, CASE WHEN k.f = k.f1 THEN k.f2 ELSE k.f1 END,
                   CASE WHEN k.f = k.f1 THEN x.r2 ELSE x.r1 END
            FROM kept k JOIN firsts x USING (d) ORDER BY k.f, k.s, k.r""").fetchall()
    if not found:
        return empty_issues()
    files, sheets, numbers, other_files, other_rows = zip(*found)
    columns = [headers.get((f, s), {}).get(COPIED_COLUMN, COPIED_COLUMN) for f, s in zip(files, sheets)]
    return issue_frame(list(files), list(sheets), np.asarray(numbers, dtype=np.int64), columns, "row_in_another_file",
                       [f"{f}, {r}" for f, r in zip(other_files, other_rows)])

"""The 5W checks that compare rows of several files (``checks.CROSS_FILE_CHECKS``: a row far above
the organisation's own history), run once every file is staged and the superseded rows are out.

They run over the loaded rows of each template together (as the other checks do,
``stage.stage_five_w_sheets``), whichever run staged each file (a file read again or one whose
staged rows come from the ingest's cache): a row's finding depends on the other files' rows, so
it is never cached with its file. Plain pandas over the staged rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rmrp_pipeline.quality.checks import as_mask
from rmrp_pipeline.quality.issues import concat_issues, empty_issues, issue_frame
from rmrp_pipeline.sources.five_w.checks import CROSS_FILE_CHECKS


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

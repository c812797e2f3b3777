"""The staged 5W result of one file, as the ingest's cache keeps it, and the merge of cached files
with the files staged in the run.

What staging one 5W file gives depends on that file alone (its bytes, the code, the reference
lists): its rows (``staging.stg_5w__activities``, as the Arrow table the warehouse gets), its
rejects and its findings other than the cross-file ones (``history``). The ingest keeps that per
file (``read.cache``) and, in a later run, hands it back to the stager for a file whose content
has not changed, instead of reading it again. The steps that compare files (resubmissions, the
history and PiN outliers) run over all rows, cached or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from rmrp_pipeline.sources.staging import Staging
from rmrp_pipeline.warehouse import db as warehouse

#: The issue tables the 5W staging feeds.
ISSUE_TABLES = ("meta.rejected_rows", "meta.quality_findings")
#: The columns of the staged 5W rows the steps after staging read (resubmissions, cross-file
#: checks, PiN outliers): when cached rows are merged, the frame of the table holds only these
#: (the Arrow table, which the warehouse gets, holds every column).
STEP_COLUMNS = ("source_file", "source_sheet", "source_row", "template_id", "month", "country_iso3", "admin1",
                "appealing_org", "appealing_org_id", "sector", "counts_as_reached", "new_beneficiaries",
                "is_rejected")


@dataclass
class CachedFiveW:
    """The staged result of one 5W file: ``rows`` (Arrow, the warehouse's columns), its
    ``issues`` (issue table -> rows of ``quality.issues.ISSUE_TABLE_COLUMNS``) and ``headers``
    ((file, sheet) -> canonical column -> the file's own header)."""

    rows: pa.Table
    issues: dict[str, pd.DataFrame] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def split_by_file(staging: Staging, table: str, names: list[str]) -> dict[str, CachedFiveW]:
    """The staged rows and issues of each file of ``names`` (the files staged in this run), as
    they are in ``staging`` now (call it before any cross-file step); the rows as the Arrow table
    the warehouse gets (``warehouse.db.arrow_table`` when the staging made none). None is kept
    when a column mixes types (no Arrow table): those files are staged again next time."""
    frame = staging.tables.get(table)
    made = staging.arrow.get(table)
    out: dict[str, CachedFiveW] = {}
    if frame is None:
        return out
    arrow = made[1] if made is not None and made[0] is frame else warehouse.arrow_table(frame)
    if arrow is None:
        return out
    positions = _positions(frame["source_file"], names)
    issues = {name: _positions(staging.tables[name]["source_file"], names) if name in staging.tables else {}
              for name in ISSUE_TABLES}
    for name in names:
        rows = arrow.take(pa.array(positions.get(name, np.zeros(0, dtype=np.int64))))
        out[name] = CachedFiveW(rows, {
            t: staging.tables[t].iloc[issues[t][name]].reset_index(drop=True) if name in issues[t]
            else staging.tables.get(t, pd.DataFrame()).iloc[0:0]
            for t in ISSUE_TABLES})
    return out


def _positions(files: pd.Series, names: list[str]) -> dict[str, np.ndarray]:
    """name -> positions of its rows in ``files`` (for the names of ``names`` that have rows)."""
    wanted = set(names)
    codes, uniques = pd.factorize(files.astype(object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {name: order[bounds[i]:bounds[i + 1]] for i, name in enumerate(uniques) if name in wanted}


def merge_cached(staging: Staging, table: str, cached: list[CachedFiveW]) -> None:
    """Add the ``cached`` files' rows and issues to ``staging`` beside the rows staged in this run.
    The table's Arrow table holds every row; its frame the :data:`STEP_COLUMNS` of every row
    (text as objects, counts as floats with NaN empty). When the run's rows have no Arrow table
    (a column of mixed types), the frame holds every column and the warehouse gets the frame."""
    if not cached:
        return
    frame = staging.tables.get(table)
    made = staging.arrow.get(table)
    fresh = frame is not None and len(frame) > 0
    for name in ISSUE_TABLES:
        parts = [staging.tables[name]] if name in staging.tables else []
        parts += [c.issues[name] for c in cached if name in c.issues and len(c.issues[name])]
        if parts:
            staging.tables[name] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if fresh and (made is None or made[0] is not frame):
        staging.tables[table] = pd.concat([frame, *[_objects(c.rows.to_pandas()) for c in cached]], ignore_index=True)
        staging.arrow.pop(table, None)
        return
    tables = ([made[1]] if fresh else []) + [c.rows for c in cached if c.rows.num_rows]
    if not tables:
        return
    combined = pa.concat_tables(tables, promote_options="permissive")
    merged = _objects(combined.select(list(STEP_COLUMNS)).to_pandas())
    staging.tables[table] = merged
    staging.arrow[table] = merged, combined


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns (Arrow dictionaries) as object columns."""
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def rows_schema_ok(rows: pa.Table) -> bool:
    """Whether cached ``rows`` have every column the warehouse table has (an entry made by other
    code is never trusted: the fingerprint covers the code, this guards the table)."""
    return set(STEP_COLUMNS) <= set(rows.column_names)


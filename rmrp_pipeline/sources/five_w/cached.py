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

from rmrp_pipeline.quality.issues import text_column
from rmrp_pipeline.sources.staging import Staging

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
    ``issues`` (issue table -> its rows of ``quality.issues.ISSUE_TABLE_COLUMNS`` as Arrow,
    ``issue_arrow``) and ``headers`` ((file, sheet) -> canonical
    column -> the file's own header)."""

    rows: pa.Table
    issues: dict[str, pa.Table] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def split_by_file(files: pd.Series, arrow: pa.Table | None, issues: dict[str, pa.Table],
                  names: list[str]) -> dict[str, CachedFiveW]:
    """The staged rows and issues of each file of ``names``, from staged rows (``files``: their
    ``source_file``; ``arrow``: the same rows as the Arrow table the warehouse gets) and their
    issue tables as Arrow (``quality.issues.issue_arrow``; call it before any cross-file step).
    Nothing when the rows have no Arrow table (a column mixes types): those files are staged again
    next time."""
    out: dict[str, CachedFiveW] = {}
    if arrow is None:
        return out
    positions = _positions(files, names)
    issue_positions = {t: _positions(pd.Series(text_column(issues[t], "source_file")), names) for t in ISSUE_TABLES}
    none = pa.array(np.zeros(0, dtype=np.int64))
    for name in names:
        rows = arrow.take(pa.array(positions[name]) if name in positions else none)
        out[name] = CachedFiveW(rows, {t: issues[t].take(pa.array(issue_positions[t][name]) if name in issue_positions[t]
                                                         else none) for t in ISSUE_TABLES})
    return out


def _positions(files: pd.Series, names: list[str]) -> dict[str, np.ndarray]:
    """name -> positions of its rows in ``files`` (for the names of ``names`` that have rows)."""
    wanted = set(names)
    codes, uniques = pd.factorize(files.astype(object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {name: order[bounds[i]:bounds[i + 1]] for i, name in enumerate(uniques) if name in wanted}


def add_staged(staging: Staging, table: str, parts: list[tuple[pd.DataFrame | None, pa.Table | None]],
               cached: list[CachedFiveW], steps_only: bool) -> None:
    """Add to ``staging`` the rows staged in this run and the ``cached`` files' rows and issues.

    ``parts``: per staged batch, its frame (None when only its Arrow table is kept) and its rows
    as an Arrow table (None when a column mixes types). The table's Arrow table holds every row;
    its frame every column of every row, or only the :data:`STEP_COLUMNS` (``step_frame``) when
    ``steps_only`` or files come from the cache. When a batch has no Arrow table, the frame holds
    every column of every row and the warehouse gets the frame. Nothing is added without rows."""
    for name in ISSUE_TABLES:
        tables = [c.issues[name] for c in cached if name in c.issues and c.issues[name].num_rows]
        if tables:
            staging.add(name, _concat(tables))
    cached_rows = [c.rows for c in cached if c.rows.num_rows]
    if any(arrow is None for _f, arrow in parts):
        frames = [frame if frame is not None else step_frame(arrow, arrow.column_names) for frame, arrow in parts]
        frames += [step_frame(rows, rows.column_names) for rows in cached_rows]
        staging.tables[table] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        staging.arrow.pop(table, None)
        return
    tables = [arrow for _f, arrow in parts] + cached_rows
    if not tables:
        return
    combined = _concat(tables) if len(tables) > 1 else tables[0]
    if steps_only or cached_rows:
        frame = step_frame(combined)
    else:
        frames = [f for f, _a in parts]
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    staging.tables[table] = frame
    staging.arrow[table] = frame, combined


def _concat(tables: list[pa.Table]) -> pa.Table:
    """The rows of ``tables`` as one table (columns of the first; types unified, a text column
    dictionary-encoded in one and plain in another decoded)."""
    names = tables[0].column_names
    tables = [t.select(names) for t in tables]
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        plain = []
        for t in tables:
            for position, field_ in enumerate(t.schema):
                if pa.types.is_dictionary(field_.type):
                    t = t.set_column(position, field_.name, t.column(position).cast(field_.type.value_type))
            plain.append(t)
        return pa.concat_tables(plain, promote_options="permissive")


def step_frame(table: pa.Table, columns: tuple[str, ...] | list[str] = STEP_COLUMNS) -> pd.DataFrame:
    """The ``columns`` of ``table`` as a frame: text (dictionary columns, whose
    dictionaries may repeat a value) as objects with None empty, the others as Arrow gives them to
    pandas (a count with empty cells as float with NaN, a date as ``datetime.date``)."""
    table = table.select(list(columns))
    coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    frame = table.drop_columns(coded).to_pandas()
    for name in coded:
        parts = []
        for chunk in table.column(name).chunks:
            values = np.array(chunk.dictionary.to_pylist() + [None], dtype=object)
            parts.append(values[chunk.indices.fill_null(len(values) - 1).to_numpy()])
        frame[name] = np.concatenate(parts) if parts else np.array([], dtype=object)
    return frame[list(columns)]


def rows_schema_ok(rows: pa.Table) -> bool:
    """Whether cached ``rows`` have every column the warehouse table has (an entry made by other
    code is never trusted: the fingerprint covers the code, this guards the table)."""
    return set(STEP_COLUMNS) <= set(rows.column_names)


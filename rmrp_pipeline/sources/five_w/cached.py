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

from rmrp_pipeline.quality.issues import ISSUE_TABLE_COLUMNS
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
    ``issues`` (issue table -> its rows of ``quality.issues.ISSUE_TABLE_COLUMNS`` as Arrow,
    ``issue_arrow``) and ``headers`` ((file, sheet) -> canonical
    column -> the file's own header)."""

    rows: pa.Table
    issues: dict[str, pa.Table] = field(default_factory=dict)
    headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def split_by_file(staging: Staging, table: str, names: list[str]) -> dict[str, CachedFiveW]:
    """The staged rows and issues of each file of ``names`` (the files staged in this run), as
    they are in ``staging`` now (call it before any cross-file step); the rows as the Arrow table
    the warehouse gets (``warehouse.db.arrow_table`` when the staging made none). None is kept
    when a column mixes types (no Arrow table) or an issue value is not text: those files are
    staged again next time."""
    frame = staging.tables.get(table)
    made = staging.arrow.get(table)
    out: dict[str, CachedFiveW] = {}
    if frame is None:
        return out
    arrow = made[1] if made is not None and made[0] is frame else warehouse.arrow_table(frame)
    if arrow is None:
        return out
    positions = _positions(frame["source_file"], names)
    try:
        issues = {t: issue_arrow(staging.tables.get(t)) for t in ISSUE_TABLES}
    except (pa.ArrowException, TypeError, ValueError):   # a value Arrow cannot hold as text: read next time
        return out
    issue_positions = {t: _positions(staging.tables[t]["source_file"], names) if t in staging.tables else {}
                       for t in ISSUE_TABLES}
    none = pa.array(np.zeros(0, dtype=np.int64))
    for name in names:
        rows = arrow.take(pa.array(positions[name]) if name in positions else none)
        out[name] = CachedFiveW(rows, {t: issues[t].take(pa.array(issue_positions[t][name]) if name in issue_positions[t]
                                                          else none) for t in ISSUE_TABLES})
    return out


def issue_arrow(frame: pd.DataFrame | None) -> pa.Table:
    """An issue table's rows (``quality.issues.ISSUE_TABLE_COLUMNS``) as Arrow: ``row_number``
    int64, every other column text (None empty).

    Raises:
        pyarrow.ArrowException: a value that is not text where text is expected.
    """
    frame = frame if frame is not None else pd.DataFrame(columns=ISSUE_TABLE_COLUMNS)
    return pa.table({name: pa.array(frame[name].to_numpy(dtype=np.int64)) if name == "row_number"
                     else pa.array(frame[name].to_numpy(dtype=object), type=pa.string(), from_pandas=True)
                     for name in frame.columns})


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
    (``step_frame``). When the run's rows cannot be made an Arrow table (a column of mixed types),
    the frame holds every column of every row and the warehouse gets the frame."""
    if not cached:
        return
    frame = staging.tables.get(table)
    made = staging.arrow.get(table)
    fresh = frame is not None and len(frame) > 0
    for name in ISSUE_TABLES:
        parts = [staging.tables[name]] if name in staging.tables else []
        tables = [c.issues[name] for c in cached if name in c.issues and c.issues[name].num_rows]
        if tables:   # one conversion for all the cached files (text as objects, None empty)
            parts.append(_concat(tables).to_pandas())
        if parts:
            staging.tables[name] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    arrow = None
    if fresh:
        arrow = made[1] if made is not None and made[0] is frame else warehouse.arrow_table(frame)
        if arrow is None:
            full = [step_frame(c.rows, c.rows.column_names) for c in cached]
            staging.tables[table] = pd.concat([frame, *full], ignore_index=True)
            staging.arrow.pop(table, None)
            return
    tables = ([arrow] if fresh else []) + [c.rows for c in cached if c.rows.num_rows]
    if not tables:
        return
    combined = _concat(tables)
    merged = step_frame(combined)
    staging.tables[table] = merged
    staging.arrow[table] = merged, combined


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


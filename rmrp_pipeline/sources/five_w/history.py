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
import pyarrow.compute  # noqa: F401 - pa.compute

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
        rows = pa.Table.from_pandas(rows.astype({c: "string" for c in rows.columns if rows[c].dtype == object}),
                                    preserve_index=False)
    digests = _row_digests(rows, [c for c in names if c not in LINEAGE])
    # each file numbered in the files' sorted order: the same findings whatever order the rows are in
    files = pa.compute.dictionary_encode(rows.column("source_file")).combine_chunks()
    names_of, rank = np.unique(files.dictionary.to_numpy(zero_copy_only=False), return_inverse=True)
    file_codes = rank[files.indices.to_numpy(zero_copy_only=False)]
    row_numbers = rows.column("source_row").to_numpy()
    loaded = ~pa.compute.fill_null(rows.column("is_rejected"), False).to_numpy(zero_copy_only=False)
    found = _in_other_files(np.flatnonzero(loaded), digests, file_codes, row_numbers)
    if found is None:
        return empty_issues()
    positions, other_positions = found
    sheets = rows.column("source_sheet").take(pa.array(positions)).to_pylist()
    file_names = [names_of[c] for c in file_codes[positions]]
    columns = [headers.get((f, s), {}).get(COPIED_COLUMN, COPIED_COLUMN) for f, s in zip(file_names, sheets)]
    return issue_frame(file_names, sheets, row_numbers[positions].astype(np.int64), columns, "row_in_another_file",
                       [f"{names_of[f]}, {r}" for f, r in zip(file_codes[other_positions], row_numbers[other_positions])])


def _row_digests(rows: pa.Table, columns: list[str]) -> np.ndarray:
    """DuckDB's 64-bit ``hash`` of ``columns`` of every row of ``rows``, in row order; a row read
    at a time (no table of the rows is made: a few MB beside the rows)."""
    indexed = rows.select(columns).append_column("_position", pa.array(np.arange(rows.num_rows, dtype=np.int64)))
    with duckdb.connect() as con:
        con.execute("SET threads = 1")
        con.register("staged_rows", indexed)
        quoted = ", ".join(f'"{c}"' for c in columns)
        found = con.sql(f"SELECT _position, hash({quoted}) AS d FROM staged_rows").fetchnumpy()
    digests = np.empty(rows.num_rows, dtype=np.uint64)
    digests[found["_position"]] = found["d"]
    return digests


def _in_other_files(loaded: np.ndarray, digests: np.ndarray, files: np.ndarray, row_numbers: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """(positions of the rows of ``loaded`` whose digest is a row's of another file, sorted by file
    and row; for each, the position of the first such row of another file: of the first file of
    the digest, or, for a row of that file, of the next file), or None. One sort of the loaded
    rows by digest, file and row; the rest on the digests held more than once (few)."""
    if len(loaded) < 2:
        return None
    loaded = loaded.astype(np.int32)
    order = loaded[np.lexsort((row_numbers[loaded].astype(np.int32), files[loaded], digests[loaded]))]
    d = digests[order]
    repeated = np.r_[d[1:] == d[:-1], False] | np.r_[False, d[1:] == d[:-1]]
    order, d = order[repeated], d[repeated]   # the rows whose digest another row has
    if not len(order):
        return None
    f = files[order]
    starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    sizes = np.diff(np.r_[starts, len(d)])
    group = np.repeat(np.arange(len(starts), dtype=np.int32), sizes)
    other_file = f != f[starts][group]                # the rows not of the digest's first file
    second = np.full(len(starts), -1, dtype=np.int64)   # per digest: its first row not of its first file
    hit = np.flatnonzero(other_file)
    if not len(hit):
        return None
    first_hit = hit[np.r_[True, group[hit][1:] != group[hit][:-1]]]
    second[group[first_hit]] = first_hit
    chosen = np.flatnonzero(second[group] >= 0)
    pointer = np.where(other_file[chosen], starts[group[chosen]], second[group[chosen]])
    positions, others = order[chosen], order[pointer]
    by_place = np.lexsort((row_numbers[positions], files[positions]))
    return positions[by_place], others[by_place]

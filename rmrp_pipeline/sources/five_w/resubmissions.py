"""Resubmitted 5W reports: the rows of an earlier version of a report that a newer version replaces.

R4V's 5W reports are one per appealing organisation, country and month (ActivityInfo holds one
report per organisation and month in each country's database; docs/domain.md §3). A partner who
corrects a report sends it again, often under the first name with a version mark (``x_v2.xlsx``
beside ``x.xlsx``): loading both would count every person twice. The rule (docs/input-rules.md §9):

- files are versions of one report when ``read.files.report_version`` gives them the same family
  (same folder, same name without version and copy marks); the newer has the higher rank, and of
  two with the same rank the one whose path sorts last;
- per key (appealing organisation, country, month): the rows of the key come from the newest
  version of the family that has rows of it; the rows of the key in older versions are
  *superseded*: not loaded, counted in the load log with the file that replaced them. A partner
  who splits its report by sector or admin1 over several files of one family keeps every key that
  only one file has;
- a row whose key is incomplete (organisation, country or month not known) is superseded when
  every complete key of its file is (the file as a whole was replaced), else kept.

Plain pandas over the staged rows (``staging.stg_5w__activities`` columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from rmrp_pipeline.quality.issues import text_column
from rmrp_pipeline.read.files import report_version
from rmrp_pipeline.sources.five_w.cached import ISSUE_TABLES
from rmrp_pipeline.sources.staging import Staging
from rmrp_pipeline.text.cells import map_distinct, normalise_key

#: The columns that make a 5W report's key (resolved identifiers; the organisation's name as a
#: matching key when it has no identifier).
KEY_COLUMNS = ("appealing_org_id", "appealing_org", "country_iso3", "month")


@dataclass(frozen=True)
class Superseded:
    """What a resubmission replaces: ``rows``, a mask over the staged rows that are superseded;
    ``by``: for each superseded row, the file that replaced it (None elsewhere)."""

    rows: np.ndarray
    by: np.ndarray


def _keys(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(key code of each row, whether the key is complete): the organisation (identifier, else its
    name's matching key), the country's ISO3 and the month."""
    org = rows["appealing_org_id"].astype(object).where(rows["appealing_org_id"].notna(),
                                                        map_distinct(rows["appealing_org"].astype(object), _text_key))
    parts = [org, rows["country_iso3"].astype(object), pd.Series(pd.to_datetime(rows["month"], errors="coerce"))]
    complete = np.ones(len(rows), dtype=bool)
    code = np.zeros(len(rows), dtype=np.int64)
    for part in parts:
        codes, uniques = pd.factorize(part.reset_index(drop=True))
        complete &= codes >= 0
        code = pd.factorize(code * (len(uniques) + 1) + codes)[0]
    return code, complete


def _text_key(value: object) -> str | None:
    return normalise_key(value) or None if isinstance(value, str) else None


def superseded_rows(rows: pd.DataFrame) -> Superseded | None:
    """The staged 5W ``rows`` that newer versions of their report replace (see the module
    docstring), or None when no family has two files."""
    files = rows["source_file"].astype(object).to_numpy()
    file_codes, names = pd.factorize(files)
    versions = [report_version(name) for name in names]
    family_codes, families = pd.factorize(pd.Series([family for family, _rank in versions]))
    if len(families) == len(names):
        return None
    # position of each file among the versions of its family, newest highest
    order = sorted(range(len(names)), key=lambda i: (versions[i][1], names[i]))
    position = np.empty(len(names), dtype=np.int64)
    position[order] = np.arange(len(names))
    row_family = family_codes[file_codes]
    row_position = position[file_codes]
    key, complete = _keys(rows)
    frame = pd.DataFrame({"family": row_family, "key": key, "position": row_position})
    newest = frame.groupby(["family", "key"], sort=False)["position"].transform("max").to_numpy()
    superseded = complete & (row_position < newest)
    by_position = np.empty(len(names), dtype=object)
    by_position[position] = names
    by = np.full(len(rows), None, dtype=object)
    by[superseded] = by_position[newest[superseded]]
    newest_of_family = pd.Series(row_position).groupby(row_family).transform("max").to_numpy()
    replaced_file = _files_wholly_replaced(file_codes, complete, superseded, row_position < newest_of_family)
    incomplete = ~complete & replaced_file[file_codes]
    if incomplete.any():
        superseded |= incomplete
        by[incomplete] = by_position[newest_of_family[incomplete]]
    return Superseded(superseded, by) if superseded.any() else None


def _files_wholly_replaced(file_codes: np.ndarray, complete: np.ndarray, superseded: np.ndarray,
                           older: np.ndarray) -> np.ndarray:
    """Per file code: whether a newer version of its family exists (``older``: per row, whether its
    file is not the newest of its family) and none of its complete keys is still its own (it has
    no complete key left, or none at all)."""
    n = int(file_codes.max()) + 1 if len(file_codes) else 0
    kept_complete = np.bincount(file_codes[complete & ~superseded], minlength=n)
    has_newer = np.zeros(n, dtype=bool)
    has_newer[file_codes[older]] = True
    return has_newer & (kept_complete == 0)


def drop_superseded(staging: Staging, table: str) -> None:
    """Take the superseded rows (``superseded_rows``) out of ``table`` and their issues out of the
    issue tables, and say so in the load log: each sheet counts its ``rows_superseded`` and names
    the files that replaced them (``superseded_by``); a sheet whose every row is superseded has
    status ``superseded``; the sheets that replaced them name what they replaced in their message."""
    rows = staging.tables.get(table)
    if rows is None or rows.empty:
        return
    found = superseded_rows(rows)
    if found is None:
        return
    keep = ~found.rows
    made = staging.arrow.get(table)
    kept = rows[keep].reset_index(drop=True)
    staging.tables[table] = kept
    if made is not None and made[0] is rows:
        staging.arrow[table] = kept, made[1].filter(keep)
    gone = pd.DataFrame({"source_file": rows["source_file"].to_numpy()[found.rows],
                         "sheet": rows["source_sheet"].to_numpy()[found.rows],
                         "row_number": rows["source_row"].to_numpy()[found.rows].astype(np.int64),
                         "by": found.by[found.rows]})
    for name in ISSUE_TABLES:
        issues = staging.tables.get(name)
        if isinstance(issues, pa.Table):
            if issues.num_rows:
                staging.tables[name] = issues.filter(_not_gone(
                    text_column(issues, "source_file"), text_column(issues, "sheet"), issues.column("row_number").to_numpy(), gone))
        elif issues is not None and not issues.empty:
            keep = _not_gone(issues["source_file"].to_numpy(dtype=object), issues["sheet"].to_numpy(dtype=object),
                             issues["row_number"].to_numpy(dtype=np.int64), gone)
            staging.tables[name] = issues[keep].reset_index(drop=True)
    _log(staging, gone)


def _not_gone(files: np.ndarray, sheets: np.ndarray, row_numbers, gone: pd.DataFrame) -> np.ndarray:
    """Mask of the rows of an issue table (its ``source_file``, ``sheet`` and ``row_number``
    columns, in order) whose key is not a row of ``gone``."""
    keys = pa.table({"source_file": pa.array(files, type=pa.string()),
                     "sheet": pa.array(sheets, type=pa.string()),
                     "row_number": pa.array(row_numbers, type=pa.int64()),
                     "_position": pa.array(np.arange(len(files), dtype=np.int64))})
    gone_keys = pa.table({"source_file": pa.array(gone["source_file"].to_numpy(dtype=object), type=pa.string()),
                          "sheet": pa.array(gone["sheet"].to_numpy(dtype=object), type=pa.string()),
                          "row_number": pa.array(gone["row_number"].to_numpy(dtype=np.int64))})
    hit = keys.join(gone_keys, keys=["source_file", "sheet", "row_number"], join_type="left semi")
    keep = np.ones(len(files), dtype=bool)
    keep[hit.column("_position").to_numpy()] = False
    return keep


def _log(staging: Staging, gone: pd.DataFrame) -> None:
    """The load-log side of ``drop_superseded``: counts and names per sheet."""
    entries = {(e["source_file"], e["sheet"]): e for e in staging.load_log}
    replaced: dict[tuple[str, str], set[str]] = {}
    for (name, sheet), part in gone.groupby(["source_file", "sheet"], sort=True):
        entry = entries[(name, sheet)]
        by = sorted(set(part["by"]))
        entry["rows_superseded"] = len(part)
        entry["superseded_by"] = "; ".join(by)
        whole = len(part) >= (entry.get("rows_read") or 0)
        if whole:
            entry["status"] = "superseded"
        said = (f"superseded by {', '.join(by)}: a newer version of this report, not loaded" if whole else
                f"{len(part):,} row(s) superseded by {', '.join(by)} (the same organisation, country and month "
                f"in a newer version of this report): not loaded")
        entry["message"] = f"{entry['message']}; {said}" if entry.get("message") else said
        for newer in by:
            replaced.setdefault(newer, set()).add(name)
    for newer, older in sorted(replaced.items()):
        for entry in (e for e in staging.load_log if e["source_file"] == newer and e.get("status") == "recognised"):
            said = f"a newer version of {', '.join(sorted(older))}: its rows replace theirs"
            entry["message"] = f"{entry['message']}; {said}" if entry.get("message") else said

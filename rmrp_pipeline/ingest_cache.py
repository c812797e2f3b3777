"""The ingest's cache: the staged result of each 5W file, kept by content, so that a run after one
file changed reads, recognises, stages and validates only that file.

An entry (``read.cache``) is found by the file's SHA-256 and a fingerprint of everything else
that staging depends on and that is known before reading: the package's code and configuration
(``rmrp_pipeline/**/*.py, *.csv, *.sql``), the versions of the libraries that read and parse, and
the read limits (``RMRP_MAX_*``). It holds the file's load-log rows, its staged rows (Arrow), its
rejects and findings, the headers of its sheets, the file's name (an entry of the same bytes under
another name is not used: the rows name their file) and the fingerprint of the reference lists
it was staged with: the SHA-256 of every file of the run with a reference sheet (a changed
registry or admin1 list makes every entry stale). Only files whose every sheet is a 5W sheet,
unknown or left out on purpose are kept; reference, planning and published files are read every
run. What compares files (copies, resubmissions, the outlier checks) is never cached.

The cache folder is ``ingest_cache/`` beside the warehouse file (``cache_dir_for``); each run
removes the entries of files no longer in the raw folder and of other code. It may be deleted at
any time (the next run reads everything). ``RMRP_INGEST_CACHE=off`` turns it off.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rmrp_pipeline.read.cache import Entry, FileCache, fingerprint, package_fingerprint
from rmrp_pipeline.settings import ReadLimits, warehouse_file
from rmrp_pipeline.sources.five_w.cached import ISSUE_TABLES, CachedFiveW, rows_schema_ok
from rmrp_pipeline.sources.five_w.stage import FIVE_W_KIND, FiveWStager
from rmrp_pipeline.sources.reference import REFERENCE_KINDS
from rmrp_pipeline.sources.staging import IGNORED_KIND, Staging

#: Folder of the cache, beside the warehouse file.
CACHE_FOLDER = "ingest_cache"
#: Libraries whose versions change what a file stages to.
LIBRARIES = ("fastexcel", "pandas", "numpy", "pyarrow", "ftfy", "openpyxl", "python-calamine")
#: Load-log statuses of a sheet that may be kept (a 5W sheet, or one that is not data).
KEPT_STATUSES = {"recognised", "unknown_sheet", "unknown_file", "ignored"}
_PACKAGE = Path(__file__).resolve().parent


def cache_dir_for(warehouse: str | os.PathLike | None) -> Path | None:
    """The cache folder of a warehouse file (``ingest_cache/`` beside it); None for an in-memory
    warehouse or when ``RMRP_INGEST_CACHE`` is ``off`` (or ``no``, ``0``, ``false``)."""
    if os.environ.get("RMRP_INGEST_CACHE", "").strip().lower() in ("off", "no", "0", "false"):
        return None
    if warehouse is None or str(warehouse) in ("", ":memory:") or str(warehouse).startswith(":memory:"):
        return None
    return Path(warehouse_file(warehouse)).resolve().parent / CACHE_FOLDER


def code_fingerprint() -> str:
    """The fingerprint of what staging depends on besides the file and the reference lists."""
    limits = ReadLimits.from_environment()
    return package_fingerprint(_PACKAGE, LIBRARIES, {f.name: getattr(limits, f.name) for f in fields(limits)})


class IngestCache:
    """The cache of one ingest (see the module docstring)."""

    def __init__(self, files: FileCache):
        self.files = files
        self.reference = ""

    @classmethod
    def open(cls, folder: Path | None) -> IngestCache | None:
        """The cache in ``folder`` under the current code fingerprint; None when ``folder`` is None."""
        return None if folder is None else cls(FileCache(folder, code_fingerprint()))

    def has(self, sha256: str) -> bool:
        return self.files.has(sha256)

    def take(self, staging: Staging, five_w: FiveWStager, candidates: list[tuple[Path, str, str]],
             read_at: object) -> list[tuple[Path, str, str]]:
        """Hand ``five_w`` the cached result of each of ``candidates`` (path, name, SHA-256) whose
        entry is sound, has the same name and the reference lists of this run (every reference
        sheet is read by now), and log its sheets; returns the others, to be read."""
        self.reference = reference_fingerprint(staging.load_log)
        missed = []
        for path, name, sha256 in candidates:
            entry = self.files.get(sha256)
            part = _usable(entry, name, self.reference)
            if part is None:
                missed.append((path, name, sha256))
                continue
            for logged in entry.meta["entries"]:
                staging.log({**logged, "source_file": name, "sha256": sha256, "read_at": read_at})
            five_w.cached.append(part)
        if candidates:
            staging.progress(f"{len(candidates) - len(missed)} 5W file(s) unchanged: staged rows taken from the cache")
        return missed

    def keep(self, staging: Staging, before: list[dict]) -> Callable[[str, CachedFiveW], None]:
        """What the 5W stager hands each file it stages in this run (``FiveWStager.keep``): writes
        the file's entry when its sheets may be kept (``KEPT_STATUSES``, 5W or ignored: none
        unreadable; the stager hands nothing of a batch in which a sheet failed to stage).
        ``before``: the load log as it was before the steps (its rows as the file alone gives them)."""
        of_file: dict[str, list[dict]] = {}
        for entry in before:
            of_file.setdefault(entry["source_file"], []).append(entry)

        def put(name: str, part: CachedFiveW) -> None:
            self.reference = self.reference or reference_fingerprint(staging.load_log)
            entries = of_file.get(name, [])
            if not entries or not all(_may_keep(e) for e in entries):   # an unreadable sheet is not kept
                return
            meta = {"name": name, "reference": self.reference,
                    "entries": [{k: _plain(v) for k, v in e.items() if k not in ("source_file", "sha256", "read_at")}
                                for e in entries],
                    "headers": [[sheet, mapping] for (_f, sheet), mapping in sorted(part.headers.items())]}
            tables = {"rows": part.rows} | {t: part.issues[t] for t in ISSUE_TABLES}
            self.files.put(entries[0]["sha256"], Entry(meta, tables))

        return put

    def prune(self, staging: Staging) -> None:
        """Remove the entries of files no longer in the raw folder (and of other code)."""
        self.files.prune({e["sha256"] for e in staging.load_log if e.get("sha256")})


def reference_fingerprint(load_log: list[dict]) -> str:
    """The fingerprint of the reference lists of a run: the SHA-256 of every file with a
    recognised reference sheet, sorted."""
    return fingerprint(sorted({e["sha256"] or "" for e in load_log
                               if e.get("status") == "recognised" and e.get("kind") in REFERENCE_KINDS}))


def _may_keep(entry: dict) -> bool:
    return entry.get("status") in KEPT_STATUSES and (
        entry.get("status") != "recognised" or entry.get("kind") in (FIVE_W_KIND, IGNORED_KIND)) and bool(entry.get("sha256"))


def _usable(entry: Entry | None, name: str, reference: str) -> CachedFiveW | None:
    """The cached result an entry holds, when it is of the file ``name`` and of these reference
    lists, and whole; else None."""
    if entry is None or entry.meta.get("name") != name or entry.meta.get("reference") != reference:
        return None
    rows = entry.tables.get("rows")
    if rows is None or not rows_schema_ok(rows) or not all(t in entry.tables for t in ISSUE_TABLES):
        return None
    if not isinstance(entry.meta.get("entries"), list) or not entry.meta["entries"]:
        return None
    issues = {t: entry.tables[t] for t in ISSUE_TABLES}
    if any(table.num_rows and _files_of(table) != [name] for table in (rows, *issues.values())):
        return None
    headers = {(name, sheet): dict(mapping) for sheet, mapping in entry.meta.get("headers", [])}
    return CachedFiveW(rows, issues, headers)


def _plain(value: object) -> object:
    """A load-log value as JSON keeps it (numpy scalars as Python numbers, NaN as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _files_of(table: pa.Table) -> list[str]:
    """The distinct values of the ``source_file`` column of a table (dictionary-encoded or not)."""
    column = table.column("source_file")
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return pc.unique(column).to_pylist()

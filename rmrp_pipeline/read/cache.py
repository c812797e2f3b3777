"""A folder of cache entries: per input file, what reading it gave, keyed by its content.

An entry is one file ``<sha256 of the input>-<fingerprint>.rmrpc``: a JSON header (what the
caller keeps about the file) and Arrow tables (IPC streams), with the SHA-256 of all of it at the
end. ``fingerprint`` names everything else the entry depends on (the code, the settings: the
caller makes it, ``fingerprint``). An entry is written to a temporary file and renamed into place
(a reader never sees half of one); an entry that is truncated, altered, of another format or
unreadable is ignored, as if missing, and removed, never trusted. Nothing here knows what the
tables hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow as pa

#: First bytes of an entry (format and version).
MAGIC = b"RMRPCACHE1\n"
_LENGTH = struct.Struct("<Q")
_DIGEST = 32


@dataclass
class Entry:
    """What was cached for one input file: ``meta`` (JSON-able), ``tables`` (name -> Arrow table)."""

    meta: dict
    tables: dict[str, pa.Table]


def fingerprint(*parts: object) -> str:
    """A short hex digest of ``parts`` (text, bytes or JSON-able values), for entry names."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode()
        digest.update(_LENGTH.pack(len(data)))
        digest.update(data)
    return digest.hexdigest()[:24]


def package_fingerprint(package: Path, libraries: tuple[str, ...], *extra: object) -> str:
    """``fingerprint`` of what results computed by ``package`` depend on besides their data: its
    code and configuration (:func:`source_fingerprint`), the versions of ``libraries`` (None: not
    installed), Python's version, and ``extra``."""
    versions = []
    for name in libraries:
        try:
            versions.append((name, version(name)))
        except PackageNotFoundError:
            versions.append((name, None))
    return fingerprint(source_fingerprint(package), versions, sys.version, *extra)


def source_fingerprint(package: Path, suffixes: tuple[str, ...] = (".py", ".csv", ".sql")) -> str:
    """``fingerprint`` of every file of ``package`` with one of ``suffixes`` (path and bytes): a
    change to any of them makes a new fingerprint."""
    files = sorted(path for path in package.rglob("*") if path.suffix in suffixes and path.is_file())
    return fingerprint(*[item for path in files for item in (path.relative_to(package).as_posix(), path.read_bytes())])


class FileCache:
    """The entries of ``folder`` made under ``fingerprint``."""

    def __init__(self, folder: Path, fingerprint_: str):
        self.folder = Path(folder)
        self.fingerprint = fingerprint_

    def path(self, sha256: str) -> Path:
        """Where the entry of the input file with this SHA-256 is."""
        return self.folder / f"{sha256}-{self.fingerprint}.rmrpc"

    def has(self, sha256: str) -> bool:
        """Whether an entry exists (not whether it is sound: ``get`` says that); False when the
        folder cannot be searched (another user's)."""
        try:
            return self.path(sha256).is_file()
        except OSError:
            return False

    def get(self, sha256: str) -> Entry | None:
        """The entry of the input with this SHA-256, or None when there is none or it is not sound
        (an unsound entry is removed, when the folder can be written)."""
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data)
        if entry is None:
            try:
                path.unlink(missing_ok=True)
            except OSError:   # a folder that cannot be written: the entry stays, missed each time
                pass
        return entry

    def put(self, sha256: str, entry: Entry) -> None:
        """Write the entry atomically (a temporary file in the folder, then renamed); a folder that
        cannot be written leaves the cache as it was (the next run reads the file again)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".rmrpc")
            try:
                with os.fdopen(handle, "wb") as out:   # not synced: an entry cut short by a crash fails its digest
                    _write(entry, out)
                os.replace(temporary, self.path(sha256))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return


    def prune(self, keep: set[str], grace_seconds: float = 3600) -> int:
        """Remove the entries not of ``keep`` (SHA-256s) under this fingerprint (files gone from the
        raw folder, entries of other code) and temporary files older than ``grace_seconds`` (a run
        that stopped while writing); returns how many files were removed."""
        wanted = {self.path(sha256).name for sha256 in keep}
        removed = 0
        try:
            found = list(self.folder.iterdir())
        except OSError:
            return 0
        now = time.time()
        for path in found:
            stale = (path.suffix == ".rmrpc" and not path.name.startswith(".tmp-") and path.name not in wanted)
            try:
                if stale or (path.name.startswith(".tmp-") and now - path.stat().st_mtime > grace_seconds):
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


class _Digesting:
    """A binary file that also adds what is written to it to a SHA-256 digest."""

    def __init__(self, out) -> None:
        self.out, self.digest, self.closed = out, hashlib.sha256(), False

    def write(self, data) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def _write(entry: Entry, out) -> None:
    """Write the entry's bytes to the binary file ``out``: each table serialised straight into it (its
    length first, counted by a serialisation that writes nothing), the digest of it all at the end;
    no copy of the entry is held (a million-row entry is hundreds of MB)."""
    sink = _Digesting(out)
    header = json.dumps({"meta": entry.meta, "tables": list(entry.tables)}, default=str).encode()
    sink.write(MAGIC + _LENGTH.pack(len(header)) + header)
    for table in entry.tables.values():
        counted = pa.MockOutputStream()
        with pa.ipc.new_stream(counted, table.schema) as writer:
            writer.write_table(table)
        sink.write(_LENGTH.pack(counted.size()))
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
    out.write(sink.digest.digest())


def _decode(data: bytes) -> Entry | None:
    """The entry of ``data``, or None when it is not a whole, unaltered entry of this format."""
    if len(data) < len(MAGIC) + _LENGTH.size + _DIGEST or not data.startswith(MAGIC):
        return None
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        return None
    try:
        at = len(MAGIC)
        (length,) = _LENGTH.unpack_from(body, at)
        header = json.loads(body[at + _LENGTH.size: at + _LENGTH.size + length])
        at += _LENGTH.size + length
        tables = {}
        for name in header["tables"]:
            (length,) = _LENGTH.unpack_from(body, at)
            at += _LENGTH.size
            tables[name] = pa.ipc.open_stream(pa.py_buffer(memoryview(body)[at: at + length])).read_all()
            at += length
        if at != len(body):
            return None
        return Entry(header["meta"], tables)
    except (ValueError, KeyError, TypeError, struct.error, pa.ArrowException):
        return None

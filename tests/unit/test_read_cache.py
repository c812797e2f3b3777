"""read/cache.py: entries come back as written; a truncated, altered or foreign entry is ignored
(and removed), never trusted; writes leave no partial file; another fingerprint finds nothing."""

from __future__ import annotations

import pyarrow as pa

from rmrp_pipeline.read.cache import MAGIC, Entry, FileCache, fingerprint, source_fingerprint

SHA = "ab" * 32


def _entry() -> Entry:
    rows = pa.table({"source_file": pa.array(["x.xlsx", "x.xlsx"]).dictionary_encode(),
                     "persons": pa.array([3, None], type=pa.int64())})
    return Entry({"name": "x.xlsx", "entries": [{"sheet": "S", "rows_read": 2}]}, {"rows": rows, "empty": pa.table({})})


def test_an_entry_comes_back_as_written(tmp_path):
    cache = FileCache(tmp_path, "f1")
    cache.put(SHA, _entry())
    got = cache.get(SHA)
    assert got.meta == {"name": "x.xlsx", "entries": [{"sheet": "S", "rows_read": 2}]}
    assert got.tables["rows"].equals(_entry().tables["rows"])
    assert got.tables["rows"].schema.field("source_file").type == pa.dictionary(pa.int32(), pa.string())
    assert list(got.tables) == ["rows", "empty"]
    assert [p.name for p in tmp_path.iterdir()] == [f"{SHA}-f1.rmrpc"]   # no temporary file left


def test_another_fingerprint_finds_nothing(tmp_path):
    FileCache(tmp_path, "f1").put(SHA, _entry())
    assert FileCache(tmp_path, "f2").get(SHA) is None
    assert FileCache(tmp_path, "f1").get("cd" * 32) is None


def test_a_truncated_entry_is_ignored_and_removed(tmp_path):
    cache = FileCache(tmp_path, "f1")
    cache.put(SHA, _entry())
    path = cache.path(SHA)
    whole = path.read_bytes()
    for cut in (len(whole) - 1, len(whole) // 2, len(MAGIC) + 3, 0):
        path.write_bytes(whole[:cut])
        assert cache.get(SHA) is None
        assert not path.exists()


def test_an_altered_entry_is_ignored(tmp_path):
    cache = FileCache(tmp_path, "f1")
    cache.put(SHA, _entry())
    path = cache.path(SHA)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01   # one bit in the Arrow data
    path.write_bytes(bytes(data))
    assert cache.get(SHA) is None


def test_a_file_of_another_format_is_ignored(tmp_path):
    cache = FileCache(tmp_path, "f1")
    cache.path(SHA).write_bytes(b"PK\x03\x04 not an entry" * 10)
    assert cache.get(SHA) is None


def test_a_folder_that_cannot_be_written_leaves_no_entry(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    cache = FileCache(blocked / "cache", "f1")
    cache.put(SHA, _entry())   # no error: the next run reads the file again
    assert cache.get(SHA) is None


def test_fingerprints_change_with_any_part(tmp_path):
    assert fingerprint("a", 1) != fingerprint("a", 2)
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    (tmp_path / "m.py").write_text("x = 1\n")
    first = source_fingerprint(tmp_path)
    (tmp_path / "m.py").write_text("x = 2\n")
    assert source_fingerprint(tmp_path) != first


def test_prune_keeps_the_entries_asked_for(tmp_path):
    cache = FileCache(tmp_path, "f1")
    cache.put(SHA, _entry())
    cache.put("cd" * 32, _entry())
    FileCache(tmp_path, "old").put(SHA, _entry())
    (tmp_path / ".tmp-1.rmrpc").write_bytes(b"half")
    assert cache.prune({SHA}, grace_seconds=3600) == 2   # the other file's entry, the old code's entry
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-1.rmrpc", f"{SHA}-f1.rmrpc"]
    assert cache.prune({SHA}, grace_seconds=0) == 1      # a temporary file left by a stopped run
    assert cache.get(SHA) is not None


def test_a_damaged_entry_that_cannot_be_removed_is_ignored(tmp_path, monkeypatch):
    """A read-only cache folder (a mount, another user's folder) holding an entry cut short: the entry
    is missed, as any damaged one, and the run goes on (its removal failed the whole ingest)."""
    from pathlib import Path

    cache = FileCache(tmp_path, "f1")
    cache.put(SHA, _entry())
    path = cache.path(SHA)
    path.write_bytes(path.read_bytes()[:100])
    real_unlink = Path.unlink

    def read_only(self, missing_ok=False):
        if self == path:
            raise OSError(30, "Read-only file system", str(self))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)   # tests run as root, where chmod does not refuse
    assert cache.get(SHA) is None
    assert path.exists()


def test_a_cache_folder_that_cannot_be_searched_finds_nothing(tmp_path, monkeypatch):
    """A folder made by another user (mode 700): looking for an entry is refused. Nothing is found and
    the file is read again (the refusal failed the whole ingest)."""
    from pathlib import Path

    cache = FileCache(tmp_path / "cache", "f1")
    cache.put(SHA, _entry())
    real_stat = Path.stat

    def refused(self, *args, **kwargs):
        if self.parent == cache.folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", refused)   # tests run as root, where chmod does not refuse
    assert cache.has(SHA) is False

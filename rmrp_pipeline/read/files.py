"""The raw folder's files: which are data (``list_input_files``), their identity (``sha256_file``)
and the error a file or sheet that cannot be read at all raises (``ReadError``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# Files that are never data: office lock files, OS clutter, our own notes.
IGNORED_NAMES = re.compile(r"^(~\$|\.~lock|\.)|^(readme(\.md|\.txt)?|thumbs\.db|desktop\.ini)$", re.I)



class ReadError(Exception):
    """A file or sheet that cannot be read at all (corrupt, encrypted, not a table)."""



def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the load log's identity of a file version)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()



def list_input_files(raw_dir: Path) -> list[Path]:
    """Every file below ``raw_dir`` except lock files and OS clutter, sorted by path."""
    return sorted(
        p for p in raw_dir.rglob("*") if p.is_file() and not IGNORED_NAMES.search(p.name)
    )


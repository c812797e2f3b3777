"""The raw folder's files: which are data and which are never opened (``walk_raw_folder``,
``list_input_files``), their identity (``sha256_file``) and the error a file or sheet that cannot be
read at all raises (``ReadError``)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

# Files that are never data: office lock files, OS clutter, our own notes.
IGNORED_NAMES = re.compile(r"^(~\$|\.~lock|\.)|^(readme(\.md|\.txt)?|thumbs\.db|desktop\.ini)$", re.I)



class ReadError(Exception):
    """A file or sheet that cannot be read at all (corrupt, encrypted, not a table)."""



def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the load log's identity of a file version).

    Raises:
        ReadError: ``path`` is no longer a regular file (it is opened without waiting, so a FIFO
            put in its place is refused, never read).
    """
    digest = hashlib.sha256()
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ReadError(f"{path.name} is not a regular file: not read")
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class NotRead:
    """An entry of the raw folder that is never opened, and why (for the load log)."""

    path: Path
    reason: str


def walk_raw_folder(raw_dir: Path) -> tuple[list[Path], list[NotRead]]:
    """(files to read, entries never opened) below ``raw_dir``, each sorted by path; lock files and
    OS clutter (``IGNORED_NAMES``) are in neither.

    Read: regular files. A symbolic link to a regular file inside the raw folder is a second name
    of a file that is read under its own name: listed, not read again (it is read only when its
    target is not: a file with a lock-file name, say). Never opened, listed with the reason: a
    symbolic link that leads outside the raw folder, nowhere or to a folder (not followed: it could
    loop or lead out), a named pipe (FIFO: opening it would wait forever), a device, a socket, a
    file without read permission, a folder that cannot be listed.
    """
    root = raw_dir.resolve()
    files: list[Path] = []
    skipped: list[NotRead] = []
    links: list[Path] = []  # to a regular file inside the raw folder
    folders = [raw_dir]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            skipped.append(NotRead(folder, f"a folder that cannot be listed ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:  # removed while the folder was listed
                skipped.append(NotRead(path, f"cannot be looked at ({exc.strerror}): not read"))
                continue
            if stat.S_ISDIR(mode):
                folders.append(path)
            elif IGNORED_NAMES.search(entry.name):
                continue
            else:
                reason = _link_refused(path, root) if stat.S_ISLNK(mode) else _kind_refused(path, mode)
                if reason is not None:
                    skipped.append(NotRead(path, reason))
                else:
                    (links if stat.S_ISLNK(mode) else files).append(path)
    read = {path.resolve() for path in files}
    for link in links:
        if link.resolve() in read:
            skipped.append(NotRead(link, f"a symbolic link to {os.readlink(link)}, a file of the raw folder read "
                                         f"under its own name: not read twice"))
        else:
            files.append(link)
    return sorted(files), sorted(skipped, key=lambda entry: entry.path)


def _kind_refused(path: Path, mode: int) -> str | None:
    """Why an entry of this ``mode`` (not a link) is not read, or None for a readable regular file."""
    if stat.S_ISREG(mode):
        return None if os.access(path, os.R_OK) else "a file without read permission: not read"
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    kind = next((text for test, text in kinds if test(mode)), "not a regular file")
    return f"{kind}, not a file: never opened"


def _link_refused(path: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed, or None when it leads to a readable regular file
    inside ``root`` (the raw folder, resolved)."""
    target = Path(os.path.realpath(path))
    shown = os.readlink(path)
    if not target.is_relative_to(root):
        return f"a symbolic link to {shown}, outside the raw folder: not followed"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"a symbolic link to {shown}, which does not exist: not followed"
    except OSError as exc:
        return f"a symbolic link to {shown} that cannot be followed ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return f"a symbolic link to the folder {shown}: not followed (its files are read where they are)"
    refused = _kind_refused(path, mode)
    return None if refused is None else f"a symbolic link to {shown}: {refused}"


def list_input_files(raw_dir: Path) -> list[Path]:
    """The files of ``raw_dir`` that are read, sorted by path (``walk_raw_folder``)."""
    return walk_raw_folder(raw_dir)[0]

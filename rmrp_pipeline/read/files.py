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

from rmrp_pipeline.text.printable import os_reason

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
            skipped.append(NotRead(folder, f"a folder that cannot be listed ({os_reason(exc)})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:  # removed while the folder was listed
                skipped.append(NotRead(path, f"cannot be looked at ({os_reason(exc)}): not read"))
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
        return f"a symbolic link to {shown} that cannot be followed ({os_reason(exc)})"
    if stat.S_ISDIR(mode):
        return f"a symbolic link to the folder {shown}: not followed (its files are read where they are)"
    refused = _kind_refused(path, mode)
    return None if refused is None else f"a symbolic link to {shown}: {refused}"


def list_input_files(raw_dir: Path) -> list[Path]:
    """The files of ``raw_dir`` that are read, sorted by path (``walk_raw_folder``)."""
    return walk_raw_folder(raw_dir)[0]


#: Marks a person's copy of a file leaves in its name (``Copy of x``, ``x - Copy``, ``Copia de x``,
#: ``x (1)``, ``x_copy``): the file without one is the original (docs/input-rules.md §9).
COPY_MARKERS = re.compile(
    r"^(copy[ _]of|copia[ _]de|c[oó]pia[ _]de)[ _-]*|[ _]*-[ _]*(copy|copia|c[oó]pia)(?=[ _]*(\(\d+\))?$)"
    r"|[ _-]*\(\d+\)$|[ _-](copy|copia)$", re.I)


def _stem(name: str) -> str:
    """The file name of ``name`` (a path relative to the raw folder) without its folder and extension."""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base.strip(".") else base


def has_copy_marker(name: str) -> bool:
    """Whether the file name of ``name`` carries a copy mark (``COPY_MARKERS``)."""
    return COPY_MARKERS.search(_stem(name)) is not None


def original_first(names: list[str]) -> list[str]:
    """``names`` (files with the same bytes, paths relative to the raw folder) ordered so that the
    original comes first: a name without a copy mark (``COPY_MARKERS``) before one with it, then the
    shorter file name, then the path in sorted order."""
    return sorted(names, key=lambda name: (has_copy_marker(name), len(name.rsplit("/", 1)[-1]), name))


#: A version mark at the end of a file's name: ``v2``, ``version 3``, ``rev2``, ``final``, a browser's
#: ``(1)`` (the second download of the same name), separated from the rest by a space, ``_`` or ``-``.
VERSION_MARK = re.compile(r"(?:[ _-]*\(\s*(\d+)\s*\)|[ _-]+(?:v|ver|version|rev|revision)[ _.-]?(\d+)"
                          r"|[ _-]+(final|definitiv[oa]))$",
                          re.I)


def report_version(name: str) -> tuple[str, tuple[int, int]]:
    """(family, rank) of a file name: the family is the folder and the file name without its
    extension, copy marks and version marks (lower case); the rank orders the versions of a
    family: ``(final, number)`` where ``number`` is 1 for no number, ``n`` for ``vN``/``version N``/
    ``revN``, and ``n + 1`` for a browser's ``(n)``; ``final`` ranks above every numbered version
    without it. ``x.xlsx`` < ``x_v2.xlsx`` < ``x (2).xlsx`` < ``x_v4.xlsx`` < ``x_final.xlsx``
    < ``x_final_v2.xlsx``."""
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    stem = _stem(name)
    final, number = 0, 1
    while True:
        match = VERSION_MARK.search(stem)
        if match is None or match.start() == 0:
            break
        browser, counted, word = match.groups()
        if word:
            final = 1
        elif browser is not None:
            number = max(number, int(browser) + 1)
        else:
            number = max(number, int(counted))
        stem = stem[: match.start()]
    stem = COPY_MARKERS.sub("", stem)
    return f"{folder}/{stem.strip(' _-').lower()}", (final, number)

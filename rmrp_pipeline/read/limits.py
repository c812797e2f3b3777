"""What a raw file may hold (``settings.ReadLimits``), checked before anything in it is expanded.

A file over a limit is refused with a ``ReadError`` that names what is too big, how big it is,
the limit and the environment variable that sets it. In order: the size on disk; for a workbook,
what its first bytes say it is (an .xlsx zip, an .xls file, a password-protected workbook, text)
and then its zip directory, read from the end of the file: each part's uncompressed size as the
zip declares it and their total (the readers stop at the declared size: a part cannot expand
beyond it); for each sheet, the cells its ``<dimension ref=...>`` declares and the rows and columns
its cells span (``read.workbook.scan_sheet_xml``), since the readers hold a sheet (or a window of its
rows, ``read.windows``) as a full grid of that size. CSV files are checked in ``read.text``.
"""

from __future__ import annotations

import mmap
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from rmrp_pipeline.read.files import ReadError
from rmrp_pipeline.settings import ReadLimits

MB = 1 << 20
#: Bytes read and inflated at a time by the true-size check: below the size from which glibc maps
#: each block afresh (128 KiB, ``ingest.return_freed_memory``), so that its buffers are reused
#: from the heap (1 MiB: 0.30 s for the parts of 40 bench files, 0.09 s of it in the kernel; 64 KiB: 0.21 s).
INFLATE_CHUNK = 64 << 10
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
#: The stream an encrypted (password-protected) Office file keeps its workbook in, as its OLE name.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
#: Largest zip directory (the list of parts) read: about 40,000 parts; real workbooks have 90.
MAX_ZIP_DIRECTORY = 4 * MB
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def refusal(name: str, what: str, size: str, limit: str, variable: str) -> ReadError:
    """The error of a file or sheet over a limit: ``name: what is size, over the limit of limit
    (variable): refused unread; set variable higher to read it``."""
    return ReadError(f"{name}: {what} is {size}, over the limit of {limit} ({variable}): refused unread; "
                     f"set {variable} higher to read it")


def _megabytes(size: int) -> str:
    return f"{size:,} bytes ({size / MB:,.1f} MB)" if size >= MB else f"{size:,} bytes"


def check_file_size(path: Path, name: str, limits: ReadLimits) -> int:
    """The size of ``path`` in bytes.

    Raises:
        ReadError: it is over ``limits.file_mb``.
    """
    size = path.stat().st_size
    if size > limits.file_mb * MB:
        raise refusal(name, "the file", _megabytes(size), f"{limits.file_mb:,} MB per file", "RMRP_MAX_FILE_MB")
    return size


def check_workbook(path: Path, name: str, limits: ReadLimits | None = None) -> str:
    """What kind of workbook ``path`` is, ``"xlsx"`` (also .xlsm) or ``"xls"``, once its size and,
    for an .xlsx, its zip directory are within ``limits`` (default: from the environment). The
    answer for one version of a file is kept (the checks run once per file, not once per sheet).

    Raises:
        ReadError: over a limit, or not a workbook the pipeline reads (the message says what it is:
            password-protected, .xlsb or .ods, text, a workbook of the other kind under this suffix).
    """
    limits = limits or ReadLimits.from_environment()
    stat = path.stat()
    return _checked_workbook(path, name, limits, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _checked_workbook(path: Path, name: str, limits: ReadLimits, _size: int, _mtime: int) -> str:
    size = check_file_size(path, name, limits)
    with open(path, "rb") as handle:
        head = handle.read(512)
    suffix = path.suffix.lower()
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        kind = _zip_workbook(path, name, size, limits)
    elif head.startswith(OLE_MAGIC):
        kind = _ole_workbook(path, name)
    else:
        raise ReadError(f"{name} is not a workbook: {_what_it_is(head)}")
    if suffix in WORKBOOK_SUFFIXES and (suffix == ".xls") != (kind == "xls"):
        shown = "an .xlsx workbook" if kind == "xlsx" else "an old-format .xls workbook"
        raise ReadError(f"{name} is {shown} named {suffix}: save it again as .xlsx (or rename it to its kind)")
    return kind


def _what_it_is(head: bytes) -> str:
    """A few words on what a file that is no workbook holds, from its first bytes."""
    if head.startswith(b"%PDF"):
        return "it is a PDF document"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or (head and b"\x00" not in head
                                                                          and _looks_like_text(head)):
        return "it holds text (a CSV file? one is read when named .csv, .tsv or .txt)"
    return f"it is neither an .xlsx (zip) nor an .xls file (first bytes: {head[:8].hex(' ')})"


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text)


def _ole_workbook(path: Path, name: str) -> str:
    """``"xls"``, unless the OLE file is an encrypted Office package (a password-protected .xlsx)."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(ENCRYPTED_PACKAGE) != -1:
            raise ReadError(f"{name} is password-protected (encrypted): save it again without a password")
    return "xls"


def _zip_workbook(path: Path, name: str, size: int, limits: ReadLimits) -> str:
    """``"xlsx"`` when the zip holds an Excel workbook whose parts are within the limits."""
    _check_zip_directory(path, name, size)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{name} is a damaged zip archive, not a readable workbook ({exc})") from exc
    biggest = max(parts, key=lambda part: part.file_size, default=None)
    if biggest is not None and biggest.file_size > limits.part_mb * MB:
        raise refusal(name, f"part {biggest.filename} (uncompressed)", _megabytes(biggest.file_size),
                      f"{limits.part_mb:,} MB per part", "RMRP_MAX_PART_MB")
    total = sum(part.file_size for part in parts)
    if total > limits.workbook_mb * MB:
        raise refusal(name, f"the workbook's {len(parts):,} parts together (uncompressed; the biggest "
                            f"{biggest.filename}, {_megabytes(biggest.file_size)})", _megabytes(total),
                      f"{limits.workbook_mb:,} MB per workbook", "RMRP_MAX_WORKBOOK_MB")
    names = {part.filename for part in parts}
    if "xl/workbook.xml" in names:
        for part in parts:
            _check_true_size(path, name, part)
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise ReadError(f"{name} is a binary .xlsb workbook, whose size cannot be checked before it is "
                        f"read: save it again as .xlsx")
    if "content.xml" in names:
        raise ReadError(f"{name} is an OpenDocument spreadsheet (.ods), whose size cannot be checked before "
                        f"it is read: save it again as .xlsx")
    raise ReadError(f"{name} is a zip archive but no Excel workbook (it has no xl/workbook.xml)")


def _check_true_size(path: Path, name: str, part: zipfile.ZipInfo) -> None:
    """Inflate ``part`` (:data:`INFLATE_CHUNK` at a time, nothing kept) to prove it holds no more than the size its
    zip directory declares: one of the readers reads a part to its end whatever it declares.

    Raises:
        ReadError: the part holds more, or is stored with a method spreadsheets never use.
    """
    if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError(f"{name}: part {part.filename} is compressed with method {part.compress_type}, which "
                        f"spreadsheet programs never use: not read")
    with open(path, "rb") as handle:
        handle.seek(part.header_offset)
        header = handle.read(30)
        if len(header) < 30 or not header.startswith(ZIP_MAGIC):
            raise ReadError(f"{name} is a damaged zip archive (part {part.filename} is not where its directory "
                            f"says), not a readable workbook")
        name_length, extra_length = struct.unpack_from("<2H", header, 26)
        handle.seek(part.header_offset + 30 + name_length + extra_length)
        left, size = part.compress_size, 0
        inflate = zlib.decompressobj(-15) if part.compress_type == zipfile.ZIP_DEFLATED else None
        while left > 0 and size <= part.file_size and not (inflate and inflate.eof):
            chunk = handle.read(min(left, INFLATE_CHUNK))
            if not chunk:
                break
            left -= len(chunk)
            while size <= part.file_size and not (inflate and inflate.eof):
                try:
                    out = inflate.decompress(chunk, INFLATE_CHUNK) if inflate else chunk
                except zlib.error as exc:
                    raise ReadError(f"{name} is a damaged zip archive (part {part.filename}: {exc}), not a "
                                    f"readable workbook") from exc
                size += len(out)
                chunk = inflate.unconsumed_tail if inflate else b""
                if not chunk and len(out) < INFLATE_CHUNK:  # a full output: the decompressor may hold more
                    break
    if size > part.file_size:
        raise ReadError(f"{name}: part {part.filename} holds more than the {_megabytes(part.file_size)} its zip "
                        f"directory declares (a damaged or malicious file): refused unread")


def _check_zip_directory(path: Path, name: str, size: int) -> None:
    """The zip's end record, read from the last 64 KB: a directory (list of parts) within
    ``MAX_ZIP_DIRECTORY`` and no zip64 record (more than 65,535 parts or 4 GB)."""
    with open(path, "rb") as handle:
        handle.seek(max(0, size - (_END_OF_DIRECTORY.size + 0xFFFF)))
        tail = handle.read()
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at == -1 or at + _END_OF_DIRECTORY.size > len(tail):
        raise ReadError(f"{name} is a damaged zip archive (no end of its directory: cut short?), "
                        f"not a readable workbook")
    _sig, _disk, _start, _here, parts, directory, offset, _comment = _END_OF_DIRECTORY.unpack_from(tail, at)
    if parts == 0xFFFF or directory == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        raise ReadError(f"{name} is a zip64 archive (over 65,535 parts or 4 GB): far over the limits of a "
                        f"workbook; not read")
    if directory > MAX_ZIP_DIRECTORY:
        raise ReadError(f"{name}: its zip directory (list of parts) is {_megabytes(directory)}, over the "
                        f"{MAX_ZIP_DIRECTORY // MB} MB a workbook's can be (about 40,000 parts): not read")


_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


def column_number(letters: str) -> int:
    """Excel column letters -> 1-based number (``A`` 1, ``Z`` 26, ``AA`` 27, ``XFD`` 16,384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(number: int) -> str:
    """1-based column number -> Excel letters, for any width (``16385`` -> ``XFE``)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def declared_span(ref: str) -> tuple[int, int] | None:
    """(rows, columns) of a ``<dimension ref=...>`` (``A1:AB22497`` -> (22497, 28), ``A1`` ->
    (1, 1)); None when it is not a cell or a range."""
    corners = [_CELL_REF.fullmatch(corner) for corner in ref.split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return None
    (col1, row1), (col2, row2) = [(column_number(m.group(1)), int(m.group(2))) for m in (corners[0], corners[-1])]
    return abs(row2 - row1) + 1, abs(col2 - col1) + 1


def check_span(name: str, sheet: str, rows: int, columns: int, limits: ReadLimits, declared: str | None = None) -> None:
    """Raise when a sheet spanning ``rows`` x ``columns`` cells is over the limits; ``declared``:
    the ``<dimension ref>`` the numbers come from, else they are what its cells span.

    Raises:
        ReadError: over ``limits.columns`` or ``limits.cells``.
    """
    what = f"sheet {sheet!r}" + (f" (its declared dimension {declared})" if declared else "")
    if columns > limits.columns:
        raise refusal(name, f"the width of {what}", f"{columns:,} columns", f"{limits.columns:,} columns",
                      "RMRP_MAX_COLUMNS")
    if rows * columns > limits.cells:
        raise refusal(name, f"{what}", f"{rows:,} rows x {columns:,} columns = {rows * columns:,} cells",
                      f"{limits.cells:,} cells per sheet", "RMRP_MAX_CELLS")

"""A CSV file's text checked before it is parsed: its encoding decided and proven on every byte,
no NUL character, its width and length within the limits (``settings.ReadLimits``).

The encoding is decided once per file: a byte-order mark says UTF-8, UTF-16 or UTF-32 (little or
big endian); without one, the pattern of zero bytes in the first 64 KB tells UTF-16 or UTF-32 text
(each ASCII character is one byte and one or three zeros); else UTF-8, and Windows-1252 when the
file is not UTF-8 (an Excel "CSV" saved on Windows). The file is then decoded in pieces of about
1 MB cut after a line break (linear time, bounded memory); a byte that is not valid in the
encoding, or a NUL character (a damaged file, or UTF-16 read as bytes), refuses the file with its
byte offset and line.
"""

from __future__ import annotations

import codecs
import mmap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rmrp_pipeline.read.files import ReadError
from rmrp_pipeline.read.limits import check_file_size, refusal
from rmrp_pipeline.settings import ReadLimits

#: Characters of the start of the file kept as its sample.
SAMPLE_CHARS = 20_000
PIECE_BYTES = 1 << 20
DELIMITERS = ",;\t|"
#: (byte-order mark, codec that reads the file, its name for people), longest marks first.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE with byte-order mark"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE with byte-order mark"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE with byte-order mark"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE with byte-order mark"),
)


@dataclass
class CsvText:
    """What the check of a CSV file found.

    Attributes:
        encoding: the codec that reads the whole file (mark included), for ``open`` or pandas.
        shown: the encoding for people (``UTF-16 LE without byte-order mark``).
        sample: the first ``SAMPLE_CHARS`` characters (where the separator is looked for).
        lines: line breaks + 1 (at least the rows; a quoted cell may hold line breaks).
        first_line_counts: how often each of ``DELIMITERS`` is in the first line.
        blank: nothing but white space in the file.
    """

    encoding: str
    shown: str
    sample: str = ""
    lines: int = 1
    first_line_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DELIMITERS, 0))
    blank: bool = True


def _unit_codec(head: bytes) -> tuple[int, str, str, str]:
    """(mark length, codec of the text after the mark, codec of the whole file, name for people)."""
    for mark, whole, shown in BOMS:
        if head.startswith(mark):
            unit = {"utf-32": "utf-32-le" if mark == codecs.BOM_UTF32_LE else "utf-32-be",
                    "utf-16": "utf-16-le" if mark == codecs.BOM_UTF16_LE else "utf-16-be"}.get(whole, "utf-8")
            return len(mark), unit, whole, shown
    sample = head[: len(head) // 4 * 4]
    if sample.count(0) >= len(sample) // 4:
        zeros = [sample[i::4].count(0) / max(1, len(sample) // 4) for i in range(4)]
        if min(zeros[1:]) > 0.9 and zeros[0] < 0.5:
            return 0, "utf-32-le", "utf-32-le", "UTF-32 LE without byte-order mark"
        if min(zeros[:3]) > 0.9 and zeros[3] < 0.5:
            return 0, "utf-32-be", "utf-32-be", "UTF-32 BE without byte-order mark"
        odd, even = (zeros[1] + zeros[3]) / 2, (zeros[0] + zeros[2]) / 2
        if odd > 0.6 and even < 0.2:
            return 0, "utf-16-le", "utf-16-le", "UTF-16 LE without byte-order mark"
        if even > 0.6 and odd < 0.2:
            return 0, "utf-16-be", "utf-16-be", "UTF-16 BE without byte-order mark"
    return 0, "utf-8", "utf-8", "UTF-8"


def _pieces(data: mmap.mmap | bytes, start: int, unit: str) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of consecutive pieces of ``data`` from ``start``, each about PIECE_BYTES and
    cut just after a line break of the encoding ``unit`` (so each decodes on its own); a line
    longer than a piece makes a longer piece."""
    newline = "\n".encode(unit)
    width = len(newline)
    position = start
    while position < len(data):
        end = min(len(data), position + PIECE_BYTES)
        searched = position
        while end < len(data):
            found = _last_line_break(data, searched, end, newline, start)
            if found != -1:
                end = found + width
                break
            searched = max(position, end - width)
            end = min(len(data), end + PIECE_BYTES)
        yield position, bytes(data[position:end])
        position = end


def _last_line_break(data: mmap.mmap | bytes, low: int, high: int, newline: bytes, start: int) -> int:
    """Offset of the last ``newline`` in ``data[low:high]`` on a character boundary (a multiple of
    its width from ``start``), or -1."""
    found = data.rfind(newline, low, high)
    while found != -1 and (found - start) % len(newline):
        found = data.rfind(newline, low, found + len(newline) - 1)
    return found


class _Undecodable(Exception):
    """A byte the encoding cannot read: its offset, line and the decoder's reason."""

    def __init__(self, at: int, line: int, data: bytes, reason: str) -> None:
        super().__init__(reason)
        self.at, self.line, self.data, self.reason = at, line, data, reason

    def where(self) -> str:
        return f"byte offset {self.at:,} (line {self.line:,}; bytes {self.data.hex(' ')})"


def _decode(name: str, data: mmap.mmap | bytes, start: int, unit: str, shown: str, found: CsvText) -> None:
    """Decode ``data`` from ``start`` in pieces, filling ``found``.

    Raises:
        _Undecodable: a byte the encoding ``unit`` cannot read.
        ReadError: a NUL character (with its byte offset and line).
    """
    lines = 1
    first_line_open = True
    for offset, piece in _pieces(data, start, unit):
        try:
            text = piece.decode(unit)
        except UnicodeDecodeError as exc:
            line = lines + piece[: exc.start].count("\n".encode(unit))
            raise _Undecodable(offset + exc.start, line, piece[exc.start: exc.start + 4], exc.reason) from exc
        nul = text.find("\x00")
        if nul != -1:
            at = offset + len(text[:nul].encode(unit))
            raise ReadError(f"{name}: NUL character at byte offset {at:,} (line {lines + text.count(chr(10), 0, nul):,}, "
                            f"read as {shown}): a CSV holds no NUL; the file is damaged or in another encoding. "
                            f"Save it again as CSV UTF-8")
        if len(found.sample) < SAMPLE_CHARS:
            found.sample += text[: SAMPLE_CHARS - len(found.sample)]
        if first_line_open:
            end = text.find("\n")
            line = text if end == -1 else text[:end]
            for delimiter in DELIMITERS:
                found.first_line_counts[delimiter] += line.count(delimiter)
            first_line_open = end == -1
        if found.blank and not text.isspace():
            found.blank = False
        lines += text.count("\n")
    found.lines = lines


def check_csv(path: Path, name: str, limits: ReadLimits | None = None) -> CsvText:
    """The encoding of the CSV file ``path`` (``name``: as shown in messages) and what
    ``check_shape`` needs, every byte decoded once.

    Raises:
        ReadError: the file is over ``limits.file_mb``, holds a NUL character, or a byte its
            encoding cannot read (UTF-8 and Windows-1252 both tried when it has no mark).
    """
    limits = limits or ReadLimits.from_environment()
    if check_file_size(path, name, limits) == 0:
        return CsvText("utf-8", "UTF-8")
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        mark, unit, whole, shown = _unit_codec(bytes(data[: 1 << 16]))
        found = CsvText(whole, shown)
        try:
            _decode(name, data, mark, unit, shown, found)
            return found
        except _Undecodable as exc:
            if unit != "utf-8":
                raise ReadError(f"{name}: not valid {shown} at {exc.where()}: {exc.reason}. "
                                f"Save it again as CSV UTF-8") from exc
            not_utf8 = exc
        found = CsvText("cp1252", "Windows-1252")
        try:
            _decode(name, data, 0, "cp1252", "Windows-1252", found)
        except _Undecodable as exc:
            where = (f"the byte at {exc.where()} is not UTF-8 and has no character in Windows-1252"
                     if exc.at == not_utf8.at else f"the bytes at {not_utf8.where()} are not UTF-8 and the byte "
                                                   f"at {exc.where()} has no character in Windows-1252")
            raise ReadError(f"{name}: an encoding that is neither UTF-8 nor Windows-1252 ({where}): save it "
                            f"again as CSV UTF-8") from exc
        return found


def check_shape(name: str, found: CsvText, delimiter: str, limits: ReadLimits | None = None) -> None:
    """Refuse, before parsing, a CSV separated by ``delimiter`` whose first line has more fields
    than ``limits.columns``, or whose lines x those fields (an upper bound of its cells) are over
    ``limits.cells``.

    Raises:
        ReadError: over a limit, with the width or the cells counted.
    """
    limits = limits or ReadLimits.from_environment()
    columns = found.first_line_counts.get(delimiter, 0) + 1
    if columns > limits.columns:
        raise refusal(name, "the header line", f"{columns:,} columns wide", f"{limits.columns:,} columns",
                      "RMRP_MAX_COLUMNS")
    if found.lines * columns > limits.cells:
        raise refusal(name, "the file", f"{found.lines:,} lines x {columns:,} columns = "
                                        f"{found.lines * columns:,} cells", f"{limits.cells:,} cells",
                      "RMRP_MAX_CELLS")

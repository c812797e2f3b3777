"""A worksheet's XML read as a stream of parts cut between rows, with its tags made plain: what the
one pass over a sheet (``read.workbook.scan_sheet_xml``) and the reading of a big sheet in windows
(``read.windows``) share. A few hundred KB of XML at a time, however big the sheet."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

#: Bytes of sheet XML decompressed at a time by the scan (cut at row starts). Below the size
#: from which glibc maps each block afresh (128 KiB, ``ingest.return_freed_memory``): the scan's
#: buffers are reused from the heap instead of faulting in new pages at every read (8 MiB parts:
#: 1.41 s, 0.29 s of it in the kernel, for 40 bench files; 96 KiB parts: 0.85 s).
SCAN_CHUNK = 96 << 10
_ROOT = re.compile(rb"<(?:([\w.-]+):)?worksheet\b")
#: A row's number when it is the row tag's first attribute (``<row r="12" ...``, the XML after ``<row ``).
ROW_NUMBER_FIRST = re.compile(rb'r="([0-9]+)"')


def sheet_parts(stream: io.BufferedIOBase) -> Iterator[bytes]:
    """A sheet's XML in parts of about SCAN_CHUNK bytes, each cut just before a row (the first part
    begins with what comes before the first row, the last with what follows it). Tags are made
    plain: a namespace prefix (``<x:row>``, written by some libraries) is taken off, and a row
    tag without attributes (``<row>``, ``<row/>``) or with a line break or tab after its name given
    a space, so that every row starts with ``<row `` and every cell with ``<c``. Each byte is made
    plain and looked at once, however long the XML between two rows."""
    raw, prefix = bytearray(), None
    while prefix is None:   # decided once the root tag is read
        chunk = stream.read(SCAN_CHUNK)
        raw += chunk
        prefix = _root_prefix(raw, complete=not chunk)
    kept = len(prefix) + 6   # "<x:row" and the byte after it: a tag the read may have cut is kept for the next
    buffer, searched, more = bytearray(), 0, True   # buffer: plain XML from a row start (or the sheet's) on
    while more or raw:
        if more:
            chunk = stream.read(SCAN_CHUNK)
            more = bool(chunk)
            raw += chunk
        held = raw.rfind(b"<", max(0, len(raw) - kept)) if more else -1
        ready = raw[:held] if held != -1 else raw
        raw = raw[held:] if held != -1 else bytearray()
        if prefix:  # "<x:" is never text: a "<" in a cell's text is written "&lt;"
            ready = ready.replace(b"<" + prefix + b":", b"<").replace(b"</" + prefix + b":", b"</")
        if _ROW_TAG.search(ready) is not None:  # one pass (two ``in`` tests cost twice as much)
            ready = _ROW_TAG.sub(b"<row ", ready)
        buffer += ready
        cut = buffer.rfind(b"<row ", searched)
        searched = max(0, len(buffer) - 4)
        if cut > 0:
            yield bytes(buffer[:cut])
            del buffer[:cut]
            searched -= cut
    if buffer:
        yield bytes(buffer)


#: A row tag to be given a space after its name: bare (``<row>``, ``<row/>``) or with other white space.
_ROW_TAG = re.compile(rb"<row(?:[\t\r\n]|(?=[>/]))")
#: What may come before a sheet's root tag: white space, the XML declaration, processing instructions,
#: comments and a document type (without internal subset).
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE\b[^>\[]*>)*", re.S)
#: Bytes within which a sheet's root tag is looked for (beyond them the sheet's tags are taken as unprefixed).
ROOT_WITHIN = 1 << 20


def _root_prefix(head: bytearray, complete: bool) -> bytes | None:
    """The namespace prefix of the root tag of a sheet's XML that begins with ``head`` (``b""``: none),
    or None until that tag is read (``complete``: ``head`` is the whole XML)."""
    found = _ROOT.match(head, _PROLOG.match(head).end())
    if found is not None:
        return bytes(found.group(1) or b"")
    return b"" if complete or len(head) >= ROOT_WITHIN else None

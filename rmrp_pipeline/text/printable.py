"""Text from partners' files shown to people, made harmless to show: a control character (a newline
in a file name, a bell, a terminal escape), a line or paragraph separator and the invisible marks
that reverse the direction of text are shown as escapes (``\\n``, ``\\x07``, ``\\x1b``,
``\\u202e``), so a name stays on one line and reads as it is stored.

``printable`` is for one-line displays (the terminal, the run summary, log messages);
``printable_cell`` is for spreadsheet cells, where a line break or a tab is the cell's own text.
"""

from __future__ import annotations

import re

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: DEL and C1 controls; line and paragraph separators; bidirectional marks, embeddings, overrides
#: and isolates (they reorder what follows them on screen). With the C0 controls, all are escaped.
_MARKS = "\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
_LINE = re.compile(f"[\x00-\x1f{_MARKS}]")
#: The same but line breaks (LF, CR) and tabs, a cell's own text.
_CELL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_MARKS}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line, every control character and mark (module docstring) shown as its escape:
    ``"a\\nb\\x07"`` -> ``"a\\\\nb\\\\x07"`` (a backslash and ``n``, a backslash and ``x07``)."""
    return _LINE.sub(_escape, text) if _LINE.search(text) else text


def printable_cell(text: str) -> str:
    """``text`` for a spreadsheet cell: like ``printable`` but line breaks (``\\n``, ``\\r``)
    and tabs kept, which a cell shows as such."""
    return _CELL.sub(_escape, text) if _CELL.search(text) else text


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, on one line: its ``strerror`` (``Permission denied``),
    else its message with line breaks folded (an ``OSError`` raised without an errno)."""
    return exc.strerror or " ".join(str(exc).split())

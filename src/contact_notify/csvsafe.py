"""CSV as the tool writes it: one writer, the formula rule, and its exact undoing.

The rule (documented in docs/exports.md): a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, possibly after apostrophes,
gets one more apostrophe in front, so Excel, WPS and LibreOffice show it as
text instead of running it as a formula.  The same holds for every line
inside a cell: after each line break (CR, LF, and the other breaks Python's
``str.splitlines`` knows), so a program that splits the file on carriage
returns or line feeds without honouring quotes never sees a line that starts
like a formula.  :func:`unprotect` removes exactly those apostrophes, so every
value survives export and import unchanged.

:func:`write_csv` is the only way the tool writes CSV: every cell protected,
RFC 4180 quoting (a cell holding a comma, a double quote or a line break is
quoted, quotes doubled), CRLF after every row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A line break, as str.splitlines knows them; a line start: the start of the cell, or
# the position after a line break.
_BREAKS = "[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
_LINE_START = f"(?:^|(?<={_BREAKS}))"
_FORMULA = re.compile(_LINE_START + r"(?='*[=+\-@\t\r])")
_PROTECTED = re.compile(_LINE_START + r"'(?='*[=+\-@\t\r])")
_BREAK = re.compile(_BREAKS)
_STARTS_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = ',"\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029'  # a comma, a quote, a line break
_NEEDS_QUOTES = re.compile(f"[{_QUOTED}]")
# A cell written as it is (most are): one line, nothing to quote, and not starting like a
# formula (an apostrophe first may be the start of ''=…, which protect() looks into).
# Every character to quote but the comma and the quote is one str.isprintable() refuses,
# so a printable cell without either is plain after one quick look (a message body: 0.3
# instead of 0.8 µs); any other goes to the pattern.
_PLAIN = re.compile(f"[^{_QUOTED}]*")
_PLAIN_FIRST = frozenset("=+-@\t\r'")


def protect(cell: str) -> str:
    """Make a cell safe from spreadsheet formula evaluation, on every line it holds."""
    if _BREAK.search(cell) is None:  # one line (most cells): only its start can need it
        return "'" + cell if _STARTS_FORMULA.match(cell) else cell
    return _FORMULA.sub("'", cell)


def unprotect(cell: str) -> str:
    """Undo :func:`protect`: drop the one apostrophe it added at each line start."""
    return _PROTECTED.sub("", cell) if "'" in cell else cell


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell


def _row(cells: Sequence[str]) -> str:
    if len(cells) == 1 and not cells[0]:
        return '""'  # a row of one empty cell, not an empty line (which readers skip)
    return ",".join(
        [
            cell
            if (not cell or cell[0] not in _PLAIN_FIRST)
            and (
                (cell.isprintable() and "," not in cell and '"' not in cell)
                or _PLAIN.fullmatch(cell)
            )
            else _quoted(protect(cell))
            for cell in cells
        ]
    )


def write_csv(rows: Iterable[Sequence[str]], *, bom: bool = False) -> str:
    """CSV text: every cell protected and quoted as RFC 4180 says, CRLF after every row.

    ``bom`` starts the text with a byte order mark, so Excel and WPS read it as UTF-8.
    """
    lines = list(map(_row, rows))
    text = "\r\n".join(lines) + "\r\n" if lines else ""
    return "\ufeff" + text if bom else text

"""Spreadsheet formula protection for CSV cells, and its exact undoing.

The rule (documented in docs/exports.md): a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, possibly after apostrophes,
gets one more apostrophe in front, so Excel, WPS and LibreOffice show it as
text instead of running it as a formula.  :func:`unprotect` removes exactly
that apostrophe, so every value survives export and import unchanged.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"^'+[=+\-@\t\r]")


def protect(cell: str) -> str:
    """Make a cell safe from spreadsheet formula evaluation."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unprotect(cell: str) -> str:
    """Undo :func:`protect`: drop the one apostrophe it added."""
    return cell[1:] if _PROTECTED.match(cell) else cell

"""Text from files made harmless where it is shown: the terminal and Markdown.

(CSV cells: :mod:`contact_notify.csvsafe`; HTML: ``html.escape``; vCard: the exporter.)

**Terminal.** A value printed raw could drive the terminal: ``\\x1b[2J`` clears
the screen, ``\\x1b]2;…\\x07`` sets the window title, a carriage return
overwrites what was printed before it, and the bidi controls U+202A–U+202E and
U+2066–U+2069 reorder text so that it reads as something else (the marks
U+200E, U+200F and U+061C reorder the digits and punctuation next to them,
so they count as bidi controls too).  :func:`line` shows every such character
as an escape (``\\x1b``, ``\\r``, ``\\n``, ``\\t``, ``\\u202e``), so one value
stays on one line and looks like what it is;
:func:`block` does the same but keeps line feeds (a message body).  Plain
text, Chinese and emoji are left as they are.  Only this module's two
functions decide this; everything printed from report.py goes through them.

**Markdown.** :func:`markdown_cell` makes a value plain text inside a table
cell: line breaks become spaces (a row stays one row), control characters are
shown as in the terminal (NEL, U+2028 as escapes too), and every character with a meaning in CommonMark or
GitHub tables is backslash-escaped (``\\`` `` ` `` ``*`` ``_`` ``[`` ``]``
``<`` ``>`` ``&`` ``|`` ``~``), so no link, image, emphasis, code span,
entity or inline HTML (``<script>``, ``<img onerror>``) can start inside it.
Block syntax (``#``, ``-``, ``>``, ``1.``) has no meaning inside a cell.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls (tab, line feed and carriage return included), DEL, C1 controls, the Unicode
# line and paragraph separators, the bidi embedding, override and isolate controls and marks.
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_BLOCK = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: str) -> str:
    """One line for the terminal: control characters, line breaks and bidi controls as escapes.

    Text Python calls printable holds none of them (they are all Unicode controls, format
    characters or separators): it is left as it is after one quick look, not matched
    character by character.
    """
    return text if text.isprintable() else _UNSAFE_LINE.sub(_visible, text)


def block(text: str) -> str:
    """Several lines for the terminal (a message body): as :func:`line`, but line feeds stay."""
    if text.isprintable() or ("\n" in text and text.replace("\n", "").isprintable()):
        return text
    return _UNSAFE_BLOCK.sub(_visible, text)


# CommonMark's line endings; other breaking characters are shown as escapes by line().
_BREAKS = re.compile("\r\n|[\r\n]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>&|~])")


def markdown_cell(text: str) -> str:
    """A value as literal text in a Markdown table cell (CommonMark, GitHub tables)."""
    return _MARKDOWN.sub(r"\\\1", line(_BREAKS.sub(" ", text)))

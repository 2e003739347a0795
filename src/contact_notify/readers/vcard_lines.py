"""vCard bytes into logical lines: line ends, folds, quoted-printable soft breaks, photos.

Only the properties a contact is built from (:data:`WANTED`) keep their values;
every other line keeps only its name and parameters, and binary data (photos,
logos, sounds, keys) is skipped line by line, never joined or decoded.  A soft
break inside a multi-byte character or an ``=XX`` escape rejoins correctly
because the joining is done on bytes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from contact_notify.readers.encoding import MAX_VALUE

# Properties a contact is built from; every other line is skipped unparsed.
WANTED = frozenset(
    {
        b"FN",
        b"N",
        b"TEL",
        b"EMAIL",
        b"ORG",
        b"NICKNAME",
        b"CATEGORIES",
        b"X-GROUP-MEMBERSHIP",
        b"X-ABLABEL",
        b"X-ANDROID-CUSTOM",
    }
)
# Binary properties: their data is skipped line by line, never joined or decoded.
_BLOBS = frozenset({b"PHOTO", b"LOGO", b"SOUND", b"KEY"})
# Properties that may legitimately start a line right after a value ending in "=".
_KNOWN = WANTED | _BLOBS | frozenset(
    {b"BEGIN", b"END", b"VERSION", b"ADR", b"LABEL", b"NOTE", b"URL", b"BDAY", b"TITLE", b"ROLE",
     b"UID", b"REV", b"PRODID", b"GEO", b"TZ", b"IMPP", b"SORT-STRING", b"SOURCE", b"KIND"}
)  # fmt: skip
# A name, number or e-mail longer than this is not one: the property is skipped with a warning.
MAX_PROPERTY = MAX_VALUE
# A line head's group (``item1``) and NAME.
NAME = re.compile(rb"[ \t]*(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_PROPERTY_START = re.compile(rb"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)[;:]")
_QP = re.compile(rb"QUOTED-PRINTABLE", re.IGNORECASE)


def logical_lines(lines: Iterator[bytes]) -> Iterator[tuple[int, bytes, bytes, bool]]:
    """Join folds and quoted-printable soft breaks of the properties a contact needs.

    Yields (line number, NAME, bytes, too long).  Other properties keep only
    their name and parameters (their values are never joined or held), photos
    and other binary data are skipped line by line, and a wanted property that
    grows past :data:`MAX_PROPERTY` bytes is cut and flagged as too long.
    """
    current: bytes | None = None
    name = b""
    start = 0
    qp = keep = blob = soft = too_long = False
    v21 = False  # vCard 2.1 folds before existing whitespace, which stays part of the value
    heads: dict[bytes, tuple[bytes, bool, bool, bool]] = {}  # see _head; heads repeat
    bom = codecs.BOM_UTF8
    for number, line in enumerate(lines, 1):
        if line[:3] == bom:  # files joined with `cat` keep each one's BOM
            line = line[3:]
        if current is not None:
            if line[:1] in (b" ", b"\t"):
                if keep:
                    current, too_long = _grow(
                        current[:-1] if soft else current, line if v21 else line[1:], too_long
                    )
                soft = qp and line.endswith(b"=")
                continue
            if soft and not _starts_property(line):
                if keep:
                    current, too_long = _grow(current[:-1], line, too_long)
                soft = line.endswith(b"=")
                continue
            if blob and line and b":" not in line:
                continue  # vCard 2.1 base64 data runs on without indentation
            yield start, name, current, too_long
        colon = line.find(b":")
        head = line if colon < 0 else line[:colon]
        known = heads.get(head)
        if known is None:
            known = _head(head)
            if len(head) <= 256:  # a bounded cache of short heads
                if len(heads) >= 4096:
                    heads.clear()
                heads[head] = known
        name, qp, blob, keep = known
        if name == b"VERSION":
            v21 = line.partition(b":")[2].strip() == b"2.1"
        elif name == b"BEGIN":
            v21 = False
        keep = keep or colon < 0
        soft = qp and line.endswith(b"=")
        too_long = keep and len(line) > MAX_PROPERTY
        current = line[: colon + 1] if not keep or too_long else line
        start = number
    if current is not None:
        yield start, name, current, too_long


FRAME = frozenset({b"BEGIN", b"END"})
_KEPT = WANTED | FRAME


def _head(head: bytes) -> tuple[bytes, bool, bool, bool]:
    """What the part of a line before its colon says: NAME, quoted-printable, binary, kept."""
    match = NAME.match(head)
    name = match.group(2).upper() if match else b""
    qp = b";" in head and _QP.search(head) is not None
    return name, qp, name in _BLOBS, name in _KEPT


def unfold(data: bytes) -> bytes:
    """The bytes with folds (a line end and a space or tab) taken out.

    By replacement, not a regular expression: ``re.sub`` holds a piece per fold,
    40 MiB for a megabyte of folds.
    """
    for fold in (b"\r\n ", b"\r\n\t", b"\r ", b"\r\t", b"\n ", b"\n\t"):
        data = data.replace(fold, b"")
    return data


def _grow(current: bytes, more: bytes, too_long: bool) -> tuple[bytes, bool]:
    if too_long or len(current) + len(more) > MAX_PROPERTY:
        return current, True
    return current + more, False


def _starts_property(line: bytes) -> bool:
    """True when a line after a soft break is really the next property (a broken export)."""
    match = _PROPERTY_START.match(line)
    return match is not None and match.group(1).upper() in _KNOWN


def value_is(line: bytes, value: bytes) -> bool:
    """True when the line's value is ``value`` (an upper-case word), in any case and spacing."""
    _, _, rest = line.partition(b":")
    return rest.strip().upper() == value


def split_head(line: bytes) -> tuple[bytes, bytes] | None:
    """Split a content line at the colon that ends its parameters (not one inside quotes)."""
    colon = line.find(b":")
    if colon < 0:
        return None
    if b'"' in line[:colon]:
        quoted = False
        for index, byte in enumerate(line):
            if byte == 0x22:
                quoted = not quoted
            elif byte == 0x3A and not quoted:
                return line[:index], line[index + 1 :]
        return None
    return line[:colon], line[colon + 1 :]

"""vCard reader (2.1, 3.0, 4.0): a byte-level pre-processor in front of vobject's line parser.

vobject (0.9.9) at its defaults fails real exports and is too slow for large
ones: it needs text (not bytes) and so cannot honour a per-property
``CHARSET``, only joins quoted-printable soft line breaks with
``allowQP=True``, dies on a soft break inside a UTF-8 character, and costs
about 175 µs a card.  So this module does what vobject does badly:

* bytes to lines (CRLF, LF, CR), unfolding and quoted-printable soft breaks,
  on bytes, so a break inside a multi-byte character rejoins correctly;
* card boundaries, with repair of a missing ``END:VCARD``;
* photos, logos and sounds skipped line by line, never decoded;
* charsets and quoted-printable decoding per property;

and keeps vobject for what it does well: the content-line grammar (group,
name, parameters with quoting), through ``vobject.base.parseLine``, called
only for the few properties a contact needs.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from vobject.base import ParseError, parseLine

from contact_notify.encoding import Decoder, byte_chunks, split_lines
from contact_notify.errors import InputDataError
from contact_notify.model import Contact, Phone, ReadIssue, Source, join_name

# Properties a contact is built from; every other line is skipped unparsed.
_WANTED = frozenset({"FN", "N", "TEL", "EMAIL", "ORG", "NICKNAME", "CATEGORIES", "X-ABLABEL"})
# Binary properties: their data is skipped line by line, never joined or decoded.
_BLOBS = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_NAME = re.compile(rb"^[ \t]*(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_QP = re.compile(rb"QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_AB_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_TYPE_LABELS = {
    "CELL": "mobile",
    "MOBILE": "mobile",
    "IPHONE": "mobile",
    "WORK": "work",
    "HOME": "home",
    "FAX": "fax",
    "PAGER": "pager",
    "MAIN": "main",
    "OTHER": "other",
    "CAR": "car",
}


@dataclass
class _Card:
    start: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass
class VCardRead:
    """Counters and issues of one vCard read; filled while the contacts are iterated."""

    source: str
    decoder: Decoder
    cards: int = 0
    issues: list[ReadIssue] = field(default_factory=list)
    file_encoding: str | None = None

    def warn(self, line: int, reason: str, *, skipped: bool = False) -> None:
        """Record an issue at a line of this file."""
        self.issues.append(ReadIssue(Source(self.source, line), reason, skipped))

    @property
    def encoding(self) -> str:
        """The encodings the file turned out to use, for the summary."""
        if self.file_encoding and self.file_encoding != "utf-8":
            return self.file_encoding
        return self.decoder.describe()


def read_vcard(stream: BinaryIO, read: VCardRead) -> Iterator[Contact]:
    """Yield the contacts of a vCard byte stream; problems go to ``read.issues``.

    Raises InputDataError when the stream is empty or holds no vCard at all.
    """
    chunks, read.file_encoding = byte_chunks(stream)
    seen_begin = False
    stray = 0
    card: _Card | None = None
    for number, line in _logical_lines(split_lines(chunks)):
        name = _name_of(line)
        if name == "BEGIN" and _value_is(line, b"VCARD"):
            seen_begin = True
            if card is not None:
                read.warn(card.start, "card has no END:VCARD; it ends where the next card begins")
                yield from _finish(card, read)
            card = _Card(number)
        elif name == "END" and _value_is(line, b"VCARD"):
            if card is None:
                read.warn(number, "END:VCARD without BEGIN:VCARD; ignored")
            else:
                yield from _finish(card, read)
                card = None
        elif card is not None:
            card.lines.append((number, line))
        elif line.strip():
            stray += 1
    if card is not None:
        read.warn(card.start, "card has no END:VCARD before the end of the file (truncated?)")
        yield from _finish(card, read)
    if not seen_begin:
        if stray == 0:
            raise InputDataError(
                f"{read.source}: the file is empty",
                hint="export the contact list again and import the new file",
            )
        raise InputDataError(
            f"{read.source}: not a vCard file (no BEGIN:VCARD line found)",
            hint="give a .vcf file exported from a phone or mail program, or a .csv file",
        )


def _logical_lines(lines: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """Join folded lines and quoted-printable soft breaks; drop binary data. Yields (line, bytes)."""
    current: bytes | None = None
    start = 0
    qp = False
    blob = False
    for number, line in enumerate(lines, 1):
        if current is not None:
            if line[:1] in (b" ", b"\t"):
                if blob:
                    continue
                if qp and current.endswith(b"="):
                    current = current[:-1]
                current += line[1:]
                continue
            if qp and current.endswith(b"=") and not _is_card_boundary(line):
                current = current[:-1] + line
                continue
            if blob and line and b":" not in line:
                continue  # vCard 2.1 base64 data runs on without indentation
            if current:
                yield start, current
        head_end = line.find(b":")
        head = line if head_end < 0 else line[:head_end]
        qp = _QP.search(head) is not None
        blob = _name_of(line) in _BLOBS
        current = line[: head_end + 1] if blob else line
        start = number
    if current:
        yield start, current


def _is_card_boundary(line: bytes) -> bool:
    upper = line.strip().upper()
    return upper in (b"END:VCARD", b"BEGIN:VCARD")


def _name_of(line: bytes) -> str:
    match = _NAME.match(line)
    return match.group(2).decode("ascii").upper() if match else ""


def _value_is(line: bytes, value: bytes) -> bool:
    _, _, rest = line.partition(b":")
    return rest.strip().upper() == value


def _finish(card: _Card, read: VCardRead) -> Iterator[Contact]:
    """Build one contact from a card's lines, or skip it with a reason."""
    read.cards += 1
    props: list[tuple[int, str, dict[str, list[str]], list[str], str, str | None]] = []
    for number, line in card.lines:
        name = _name_of(line)
        if b":" not in line:
            if line.strip() and not line.lstrip().startswith(b"#"):
                read.warn(number, "not a vCard property line; ignored")
            continue
        if name not in _WANTED:
            continue
        parsed = _parse(number, line, read)
        if parsed is not None:
            props.append((number, *parsed))
    contact = _build(props, Source(read.source, card.start))
    if contact is None:
        read.warn(card.start, "card has no name, phone number or e-mail address", skipped=True)
        return
    yield contact


def _parse(
    number: int, line: bytes, read: VCardRead
) -> tuple[str, dict[str, list[str]], list[str], str, str | None] | None:
    """Decode and parse one content line: (NAME, params, bare params, value, group)."""
    head_end = line.find(b":")
    charset_match = _CHARSET.search(line, 0, head_end if head_end >= 0 else len(line))
    charset = charset_match.group(1).decode("ascii") if charset_match else None
    qp = head_end >= 0 and _QP.search(line, 0, head_end) is not None
    text, problem = read.decoder.decode(line, None if qp else charset)
    if problem:
        read.warn(number, problem)
    try:
        name, raw_params, value, group = parseLine(text.strip(), number)
    except ParseError:
        read.warn(number, "cannot read this property line; ignored")
        return None
    params: dict[str, list[str]] = {}
    bare: list[str] = []
    for param in raw_params:
        if len(param) == 1:
            bare.extend(part.strip().upper() for part in param[0].split(","))
        else:
            values = [v for item in param[1:] for v in str(item).split(",")]
            params.setdefault(param[0].upper(), []).extend(values)
    encoding = [v.upper() for v in params.get("ENCODING", [])]
    if qp or "QUOTED-PRINTABLE" in encoding:
        value, problem = _decode_qp(value, charset, read.decoder)
        if problem:
            read.warn(number, problem)
    elif any(e in ("B", "BASE64") for e in encoding):
        read.warn(number, f"{name.upper()} is base64-encoded text; ignored")
        return None
    return name.upper(), params, bare, value, group.upper() if group else None


def _decode_qp(value: str, charset: str | None, decoder: Decoder) -> tuple[str, str | None]:
    data = binascii.a2b_qp(value.encode("utf-8"))
    return decoder.decode(data, charset)


_UNESCAPE = re.compile(r"\\([\\,;:nN])")


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _split(text: str, sep: str) -> list[str]:
    """Split a structured value on unescaped separators, then unescape each part."""
    parts = re.split(r"(?<!\\)" + re.escape(sep), text)
    return [_unescape(p).strip() for p in parts]


def _build(
    props: list[tuple[int, str, dict[str, list[str]], list[str], str, str | None]],
    source: Source,
) -> Contact | None:
    labels: dict[str, str] = {}
    for _, name, _, _, value, group in props:
        if name == "X-ABLABEL" and group:
            label = value.strip()
            match = _AB_LABEL.match(label)
            labels[group] = match.group(1).lower() if match else label
    full = family = given = nickname = org = ""
    groups: list[str] = []
    phones: list[Phone] = []
    emails: list[str] = []
    for _, name, params, bare, value, group in props:
        if name == "FN" and not full:
            full = _unescape(value).strip()
        elif name == "N" and not (family or given):
            parts = [*_split(value, ";"), "", ""]
            family, given = parts[0], parts[1]
        elif name == "NICKNAME" and not nickname:
            nickname = _unescape(value).strip()
        elif name == "ORG" and not org:
            org = " ".join(p for p in _split(value, ";") if p)
        elif name == "CATEGORIES":
            groups.extend(g for g in _split(value, ",") if g and g not in groups)
        elif name == "EMAIL":
            email = _unescape(value).strip()
            if email and email not in emails:
                emails.append(email)
        elif name == "TEL":
            raw = value.strip()
            if raw:
                label = labels.get(group or "") or _type_label(params, bare)
                phones.append(Phone(raw=raw, label=label))
    name = full or join_name(family, given) or nickname
    if not (name or phones or emails):
        return None
    return Contact(
        name=name,
        family=family,
        given=given,
        nickname=nickname,
        org=org,
        groups=groups,
        phones=phones,
        emails=emails,
        source=source,
    )


def _type_label(params: dict[str, list[str]], bare: list[str]) -> str:
    types = [t.strip().strip('"').upper() for t in params.get("TYPE", [])] + bare
    labels: list[str] = []
    for kind in types:
        label = _TYPE_LABELS.get(kind)
        if label and label not in labels:
            labels.append(label)
    return " ".join(labels)

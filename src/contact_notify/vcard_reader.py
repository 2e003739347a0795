"""vCard reader (2.1, 3.0, 4.0), working on bytes, built for what phones really export.

vobject (0.9.9) at its defaults fails real exports and is too slow for large
ones: it needs text (not bytes) and so cannot honour a per-property
``CHARSET``, only joins quoted-printable soft line breaks with
``allowQP=True``, dies on a soft break inside an ``=XX`` escape or a UTF-8
character, and costs about 175 µs a card.  So this module reads the file
itself, on bytes:

* lines (CRLF, LF, CR), unfolding and quoted-printable soft breaks, so a break
  inside a multi-byte character rejoins correctly;
* card boundaries, with repair of a missing ``END:VCARD``;
* photos, logos, sounds and keys skipped line by line, never joined or decoded;
* charsets and quoted-printable decoding per property, and quoted-printable
  text that a vendor wrote without ``ENCODING`` (only when plainly so);
* parameters (nameless ones, quoted values, repeated ``TYPE``).

The content-line grammar itself is parsed here by a linear scan (vobject's
``parseLine`` has a regular expression that fuzzing drove into a minute of
backtracking on a 1.3 KB line).  vobject stays the project's vCard writer
(exporters.py) and the reference the tests compare this reader with.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from contact_notify.encoding import (
    MAX_VALUE,
    MAX_VALUES,
    Decoder,
    byte_chunks,
    canonical,
    is_utf8,
    mostly_utf8,
    split_lines,
)
from contact_notify.errors import InputDataError
from contact_notify.model import Contact, IssueLog, Phone, ReadIssue, Source, join_name

# Properties a contact is built from; every other line is skipped unparsed.
_WANTED = frozenset(
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
# Google's label for every contact (and for starred ones), which is not a group of the user's:
# "myContacts"/"starred" in CATEGORIES, "My Contacts"/"Starred in Android" in X-GROUP-MEMBERSHIP.
_NOT_GROUPS = frozenset({"mycontacts", "starred", "starredinandroid"})
# Properties whose values are contact groups: CATEGORIES (a list), and X-GROUP-MEMBERSHIP
# (Huawei/EMUI and other Android builds: one group per line).
_GROUP_PROPS = frozenset({"CATEGORIES", "X-GROUP-MEMBERSHIP"})
# Other properties that look like groups (X-CATEGORIES, vCard 4 and Apple MEMBER of group cards):
# not read, so each is reported once per card rather than dropped silently.
_GROUP_LIKE = re.compile(rb"GROUP|CATEGOR|MEMBER")
_ANDROID_NICKNAME = "vnd.android.cursor.item/nickname"
# Binary properties: their data is skipped line by line, never joined or decoded.
_BLOBS = frozenset({b"PHOTO", b"LOGO", b"SOUND", b"KEY"})
# Properties that may legitimately start a line right after a value ending in "=".
_KNOWN = _WANTED | _BLOBS | frozenset(
    {b"BEGIN", b"END", b"VERSION", b"ADR", b"LABEL", b"NOTE", b"URL", b"BDAY", b"TITLE", b"ROLE",
     b"UID", b"REV", b"PRODID", b"GEO", b"TZ", b"IMPP", b"SORT-STRING", b"SOURCE", b"KIND"}
)  # fmt: skip
# A name, number or e-mail longer than this is not one: the property is skipped with a warning.
MAX_PROPERTY = MAX_VALUE
# No person has more than this many names, numbers, addresses and groups, or this much text in
# them: the rest of such a card is ignored with a warning, so one card cannot fill memory.
MAX_CARD_PROPERTIES = 500
MAX_CARD_BYTES = 1 << 20
_NAME = re.compile(rb"[ \t]*(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_PROPERTY_START = re.compile(rb"(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)[;:]")
_QP = re.compile(rb"QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_AB_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
# Text that reaches a name, nickname, group or label: checked for quoted-printable escapes
# written without ENCODING=QUOTED-PRINTABLE (see _undeclared_qp).
_TEXT_PROPS = frozenset(
    {"FN", "N", "NICKNAME", "ORG", "CATEGORIES", "X-GROUP-MEMBERSHIP", "X-ABLABEL",
     "X-ANDROID-CUSTOM"}
)  # fmt: skip
_QP_ESCAPE = re.compile(r"=([0-9A-Fa-f]{2})")
# A whole value of =XX escapes and printable ASCII, with no other "=".
_QP_SHAPE = re.compile(r"(?:=[0-9A-Fa-f]{2}|[\x20-\x3c\x3e-\x7e])+")
# Two escapes of non-ASCII bytes in a row: encoded text, whatever surrounds it.
_QP_TEXT_RUN = re.compile(r"(?:=[89A-Fa-f][0-9A-Fa-f]){2}")
_TYPE_LABELS = {
    "CELL": "mobile", "MOBILE": "mobile", "IPHONE": "mobile", "WORK": "work", "HOME": "home",
    "FAX": "fax", "PAGER": "pager", "MAIN": "main", "OTHER": "other", "CAR": "car",
}  # fmt: skip

# One parsed property: NAME, TYPE-like parameter values, value text, group.
_Prop = tuple[str, list[str], str, str]


@dataclass
class VCardRead:
    """Counters and issues of one vCard read; filled while the contacts are iterated.

    Issues are kept by an :class:`IssueLog`: the first few of each kind with their
    line, the rest counted, so a card of a million junk lines costs no memory.
    """

    source: str
    decoder: Decoder
    cards: int = 0
    file_encoding: str | None = None
    log: IssueLog = field(init=False)

    def __post_init__(self) -> None:
        self.log = IssueLog(self.source)

    @property
    def issues(self) -> list[ReadIssue]:
        """The issues listed one by one, then a summary of each kind of the others."""
        return self.log.issues

    def warn(
        self, line: int, reason: str, *, skipped: bool = False, kind: str | None = None
    ) -> None:
        """Record an issue at a line of this file; ``kind`` groups reasons that name a property."""
        self.log.add(line, reason, skipped=skipped, kind=kind, unit="cards" if skipped else "lines")

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
    chunks, read.file_encoding, sample = byte_chunks(stream, read.source)
    # A fold may split a UTF-8 character, so judge the sample with its folds joined.
    unfolded = sample if sample.isascii() else _unfold(sample)
    if read.file_encoding is None and not read.decoder.forced and not mostly_utf8(unfolded):
        from contact_notify.encoding import detect

        # Text without CHARSET is in the file's own charset; a few GBK names are also valid UTF-8.
        read.decoder.fallback = detect(sample, read.decoder.fallback)
        read.decoder.fallback_first = True
    seen_begin = False
    stray = 0
    start = 0
    lines: list[tuple[int, bytes]] | None = None
    unread_groups: set[bytes] = set()  # group-like properties of this card already reported
    size = 0  # bytes of the card's wanted lines; past MAX_CARD_BYTES the rest are ignored
    log = read.log
    for number, name, line, too_long in _logical_lines(split_lines(chunks, read.source)):
        if too_long:
            read.warn(
                number,
                f"{name.decode('ascii')} is longer than {MAX_PROPERTY >> 10} KiB; ignored",
                kind=f"a property longer than {MAX_PROPERTY >> 10} KiB; ignored",
            )
        elif name in _FRAME and _value_is(line, b"VCARD"):
            if name == b"BEGIN":
                seen_begin = True
                if lines is not None:
                    read.warn(start, "card has no END:VCARD; it ends where the next card begins")
                    yield from _finish(start, lines, read)
                start, lines, size = number, [], 0
                unread_groups.clear()
            elif lines is None:
                read.warn(number, "END:VCARD without BEGIN:VCARD; ignored")
            else:
                yield from _finish(start, lines, read)
                lines = None
            log.new_record()
        elif lines is None:
            if line.strip():
                stray += 1
        elif name in _WANTED:
            size += len(line)
            if len(lines) < MAX_CARD_PROPERTIES and size <= MAX_CARD_BYTES:
                lines.append((number, line))
            else:
                read.warn(
                    number,
                    f"the card has more than {MAX_CARD_PROPERTIES} names, numbers, e-mail "
                    f"addresses and groups, or more than {MAX_CARD_BYTES >> 20} MiB of them: "
                    "no person does; this line is ignored",
                )
        elif b":" not in line:
            # Kept fast: a file may hold millions of such lines, counted, not kept.
            if line.strip() and line.lstrip()[:1] != b"#":
                log.add(number, _NOT_A_PROPERTY)
        elif name not in unread_groups and _GROUP_LIKE.search(name):
            if len(unread_groups) < MAX_CARD_PROPERTIES:
                unread_groups.add(name)
            read.warn(
                number,
                f"{name.decode('ascii')} looks like a contact group but is not read; ignored "
                "(groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)",
                kind="a property that looks like a contact group is not read; ignored "
                "(groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)",
            )
    if lines is not None:
        read.warn(start, "card has no END:VCARD before the end of the file (truncated?)")
        yield from _finish(start, lines, read)
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


def _logical_lines(lines: Iterator[bytes]) -> Iterator[tuple[int, bytes, bytes, bool]]:
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


_FRAME = frozenset({b"BEGIN", b"END"})
_KEPT = _WANTED | _FRAME
_NOT_A_PROPERTY = "not a vCard property line; ignored"


def _head(head: bytes) -> tuple[bytes, bool, bool, bool]:
    """What the part of a line before its colon says: NAME, quoted-printable, binary, kept."""
    match = _NAME.match(head)
    name = match.group(2).upper() if match else b""
    qp = b";" in head and _QP.search(head) is not None
    return name, qp, name in _BLOBS, name in _KEPT


def _unfold(data: bytes) -> bytes:
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


def _value_is(line: bytes, value: bytes) -> bool:
    _, _, rest = line.partition(b":")
    return rest.strip().upper() == value


def _split_head(line: bytes) -> tuple[bytes, bytes] | None:
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


def _params(head: bytes) -> tuple[str, str | None, list[list[str]]]:
    """Name, group and parameters of a line head such as ``item1.TEL;TYPE="voice,cell";PREF``.

    A linear scan: vobject's ``parseLine`` was used here until fuzzing found a
    1.3 KB line that kept its regular expression busy for a minute.  Each
    parameter is ``[NAME]`` (a nameless one such as ``CELL``) or ``[NAME, value…]``
    with quoted values unquoted and unquoted ones split on commas.
    """
    text = head.decode("ascii", errors="replace")
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    group, _, name = parts[0].strip().rpartition(".")
    params: list[list[str]] = []
    for part in parts[1:]:
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            params.append([key.strip()])
        elif value.strip().startswith('"'):
            params.append([key.strip(), value.strip().strip('"')])
        else:
            params.append([key.strip(), *value.split(",")])
    return name, group or None, params


def _finish(start: int, lines: list[tuple[int, bytes]], read: VCardRead) -> Iterator[Contact]:
    """Build one contact from a card's wanted lines, or skip it with a reason."""
    read.cards += 1
    props = [
        prop for number, line in lines if (prop := _parse(number, line, read, lines)) is not None
    ]
    contact = _build(props, Source(read.source, start))
    if contact is None:
        read.warn(start, "card has no name, phone number or e-mail address", skipped=True)
        return
    for what, values in (
        ("phone numbers", contact.phones),
        ("e-mail addresses", contact.emails),
        ("groups", contact.groups),
    ):
        if len(values) > MAX_VALUES:  # _build keeps one more than that to tell
            read.warn(
                start,
                f"the card has more than {MAX_VALUES} {what}: no person does; only the first "
                f"{MAX_VALUES} are kept",
                kind=f"a card with more than {MAX_VALUES} {what}; the rest are ignored",
            )
            del values[MAX_VALUES:]
    yield contact


def _parse(
    number: int, line: bytes, read: VCardRead, card: list[tuple[int, bytes]] | None = None
) -> _Prop | None:
    """Decode and parse one content line into (NAME, type values, value, GROUP).

    ``card`` is the card's wanted lines, whose ``CHARSET`` decodes quoted-printable
    text that a vendor wrote without ``ENCODING``.  None when the line cannot be
    used: unreadable, or a group or name that cannot be decoded (with a warning).
    """
    split = _split_head(line)
    if split is None:
        read.warn(number, "property line without ':'; ignored")
        return None
    head, raw = split
    types: list[str] = []
    charset = None
    qp = b64 = False
    if b";" in head:
        name, group, params = _params(head)
        for param in params:
            key = param[0].upper()
            if len(param) == 1:  # a nameless parameter such as CELL or QUOTED-PRINTABLE
                types.extend(part.strip().upper() for part in key.split(","))
            elif key == "TYPE":
                types.extend(
                    v.strip().strip('"').upper() for item in param[1:] for v in item.split(",")
                )
            elif key == "CHARSET":
                charset = str(param[1])
            elif key == "ENCODING":
                encoding = str(param[1]).upper()
                if encoding == "QUOTED-PRINTABLE":
                    qp = True
                elif encoding in ("B", "BASE64"):
                    b64 = True
        qp = qp or "QUOTED-PRINTABLE" in types
    else:
        match = _NAME.match(head)
        group_bytes = match.group(1) if match else None
        group = group_bytes.decode("ascii") if group_bytes else None
        name = match.group(2).decode("ascii") if match else ""
    upper = name.upper()
    if b64:
        try:
            data = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            read.warn(number, f"{name.upper()} is base64 text that cannot be decoded; ignored")
            return None
        value, problem = read.decoder.decode(data, charset)
        value = _escape(value)  # base64 text is literal; the common path below unescapes
    elif qp:
        data = binascii.a2b_qp(raw)
        value, problem = read.decoder.decode(data, charset)
        if charset is None and problem is None and not is_utf8(data):
            problem = f"quoted-printable text without CHARSET; read as {read.decoder.last}"
    else:
        value, problem = read.decoder.decode(raw, charset)
        # Of X-ANDROID-CUSTOM only the nickname is read; other Android data is not checked.
        unread = upper == "X-ANDROID-CUSTOM" and not value.startswith(_ANDROID_NICKNAME + ";")
        if "=" in value and upper in _TEXT_PROPS and not unread:
            undeclared = _undeclared_qp(upper, value, charset, card, read, number)
            if undeclared is None:
                return None
            value = undeclared
    if problem and upper in _GROUP_PROPS and "\ufffd" in value:
        # A group name with replaced characters matches no rule and reads as garbage.
        read.warn(number, f"{upper}: the group name is not valid {read.decoder.last}; left out")
        return None
    if problem:
        read.warn(number, problem, kind=_problem_kind(problem))
    return upper, types, value, (group or "").upper()


def _undeclared_qp(
    name: str,
    value: str,
    charset: str | None,
    card: list[tuple[int, bytes]] | None,
    read: VCardRead,
    number: int,
) -> str | None:
    """Decode a value that is plainly quoted-printable although ENCODING does not say so.

    Some vendors write, say, ``X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;=E5=B0=8F…``.
    A value is *plainly* quoted-printable when all of these hold:

    * the whole value is ``=XX`` escapes and printable ASCII, with no other ``=``;
    * it has at least two escapes, at least one of them a non-ASCII byte;
    * the bytes decode, strictly, in the property's ``CHARSET``, else the first
      ``CHARSET`` of the card, else the ``--encoding`` given, else UTF-8.

    Such a value is decoded, with a warning.  A value that holds two non-ASCII
    escapes in a row but fails the rest (a byte sequence that is not text, a
    soft line break left at the end) is left out, with a warning, so raw
    escapes never reach a name, nickname, group or message.  Anything else,
    ``a=b``, ``Tom=4ever`` or an ``=`` in an organisation's name, is returned as it is.
    Returns the value to use, or None to leave the property out.
    """
    escapes = _QP_ESCAPE.findall(value)
    shaped = (
        len(escapes) >= 2
        and any(int(e, 16) >= 0x80 for e in escapes)
        and _QP_SHAPE.fullmatch(value) is not None
    )
    if not shaped and _QP_TEXT_RUN.search(value) is None:
        return value
    declared = charset or (_card_charset(card) if card else None) or read.decoder.forced
    codec = (canonical(declared) if declared else None) or "utf-8"
    if shaped:
        data = _QP_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value).encode("latin-1")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            read.decoder.used.add(codec)
            read.warn(
                number,
                f"{name}: the value looked quoted-printable without ENCODING=QUOTED-PRINTABLE, "
                f"decoded as {codec}",
            )
            return text
    why = f"not valid {codec}" if shaped else "escapes mixed with a bare '=' or other text"
    read.warn(
        number,
        f"{name}: the value looks quoted-printable without ENCODING=QUOTED-PRINTABLE but cannot "
        f"be decoded ({why}); left out",
    )
    return None


def _problem_kind(problem: str) -> str | None:
    """The kind of a decoding problem: one for every unknown charset a file may name."""
    if problem.startswith("unknown charset"):
        return "a property names an unknown charset"
    return None  # the other problems name only charsets Python knows: a few kinds


def _card_charset(card: list[tuple[int, bytes]]) -> str | None:
    """The first CHARSET parameter a line of the card declares."""
    for _, line in card:
        split = _split_head(line)
        match = _CHARSET.search(split[0]) if split else None
        if match:
            return match.group(1).decode("ascii")
    return None


_UNESCAPE = re.compile(r"\\([\\,;:nN])")
_ESCAPE = re.compile(r"([\\,;])")


def _escape(text: str) -> str:
    """The vCard escaping that :func:`_unescape` undoes."""
    return _ESCAPE.sub(r"\\\1", text).replace("\n", "\\n")


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _split(text: str, sep: str) -> list[str]:
    """Split a structured value on unescaped separators, then unescape each part."""
    parts = re.split(r"(?<!\\)" + re.escape(sep), text) if "\\" in text else text.split(sep)
    return [_unescape(p).strip() for p in parts]


def _build(props: list[_Prop], source: Source) -> Contact | None:
    labels: dict[str, str] = {}
    for name, _, value, group in props:
        if name == "X-ABLABEL" and group:
            label = value.strip()
            match = _AB_LABEL.match(label)
            labels[group] = match.group(1).lower() if match else label
    full = family = given = nickname = org = ""
    groups: list[str] = []
    phones: list[Phone] = []
    emails: list[str] = []
    for name, types, value, group in props:
        if name == "TEL":
            raw = value.strip()
            if raw and len(phones) <= MAX_VALUES:
                phones.append(Phone(raw=raw, label=labels.get(group) or _type_label(types)))
        elif name == "FN" and not full:
            # Kept as written (only blank means missing): an exported name reads back exactly.
            full = _unescape(value) if value.strip() else ""
        elif name == "N" and not (family or given):
            parts = [*_split(value, ";"), "", ""]
            family, given = parts[0], parts[1]
        elif name == "NICKNAME" and not nickname:
            nickname = _unescape(value).strip()
        elif name == "ORG" and not org:
            org = " ".join(p for p in _split(value, ";") if p)
        elif name == "CATEGORIES":
            for category in _split(value, ","):
                _add_group(groups, category)
        elif name == "X-GROUP-MEMBERSHIP":
            # One group per line, written whole (a comma is part of the name, as Android reads it).
            _add_group(groups, _unescape(value).strip())
        elif name == "X-ANDROID-CUSTOM" and not nickname:
            parts = _split(value, ";")
            if parts[0] == _ANDROID_NICKNAME and len(parts) > 1:
                nickname = parts[1]
        elif name == "EMAIL":
            email = _unescape(value).strip()
            if email and len(emails) <= MAX_VALUES and email not in emails:
                emails.append(email)
    name = full or join_name(family, given) or nickname
    if not (name or phones or emails):
        return None
    return Contact(name, family, given, nickname, org, groups, phones, emails, source)


def _add_group(groups: list[str], group: str) -> None:
    """Add a group once, leaving out Google's labels that every (or every starred) contact has.

    At most one more than :data:`MAX_VALUES` are kept (the caller reports and drops the extra).
    """
    if len(groups) > MAX_VALUES:
        return
    if group and group not in groups and group.casefold().replace(" ", "") not in _NOT_GROUPS:
        groups.append(group)


def _type_label(types: list[str]) -> str:
    labels: list[str] = []
    for kind in types:
        label = _TYPE_LABELS.get(kind)
        if label and label not in labels:
            labels.append(label)
    return " ".join(labels)

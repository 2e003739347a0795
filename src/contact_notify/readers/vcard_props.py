"""vCard content lines into properties, and a card's properties into a contact.

The content-line grammar is parsed here by a linear scan (vobject's
``parseLine`` has a regular expression that fuzzing drove into a minute of
backtracking on a 1.3 KB line): parameters (nameless ones, quoted values,
repeated ``TYPE``), charsets and quoted-printable or base64 decoding per
property, and quoted-printable text that a vendor wrote without ``ENCODING``
(only when plainly so).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING

from contact_notify.i18n import _
from contact_notify.model import Contact, Phone, Source, join_name
from contact_notify.readers.encoding import MAX_VALUES, Problem, canonical, is_utf8
from contact_notify.readers.vcard_lines import NAME, split_head

if TYPE_CHECKING:  # the reader's state, passed in by the reader (vcard.py imports this module)
    from contact_notify.readers.vcard import VCardRead

# Google's label for every contact (and for starred ones), which is not a group of the user's:
# "myContacts"/"starred" in CATEGORIES, "My Contacts"/"Starred in Android" in X-GROUP-MEMBERSHIP.
_NOT_GROUPS = frozenset({"mycontacts", "starred", "starredinandroid"})
# Properties whose values are contact groups: CATEGORIES (a list), and X-GROUP-MEMBERSHIP
# (Huawei/EMUI and other Android builds: one group per line).
_GROUP_PROPS = frozenset({"CATEGORIES", "X-GROUP-MEMBERSHIP"})
_ANDROID_NICKNAME = "vnd.android.cursor.item/nickname"
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
Prop = tuple[str, list[str], str, str]


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
    group, _dot, name = parts[0].strip().rpartition(".")
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


# What the part of a content line before its colon says: NAME, group, TYPE values and
# nameless parameters, CHARSET, quoted-printable, base64.
_Head = tuple[str, str | None, list[str], str | None, bool, bool]


def _read_params(head: bytes) -> _Head:
    """Name, group, type values, ``CHARSET`` and ``ENCODING`` of a line head with parameters."""
    types: list[str] = []
    charset = None
    qp = b64 = False
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
    return name, group, types, charset, qp or "QUOTED-PRINTABLE" in types, b64


def parse_property(
    number: int, line: bytes, read: VCardRead, card: list[tuple[int, bytes]] | None = None
) -> Prop | None:
    """Decode and parse one content line into (NAME, type values, value, GROUP).

    ``card`` is the card's wanted lines, whose ``CHARSET`` decodes quoted-printable
    text that a vendor wrote without ``ENCODING``.  None when the line cannot be
    used: unreadable, or a group or name that cannot be decoded (with a warning).
    """
    split = split_head(line)
    if split is None:
        read.warn(number, _("property line without ':'; ignored"))
        return None
    head, raw = split
    if b";" in head:
        name, group, types, charset, qp, b64 = _read_params(head)
    else:  # the common case, without parameters
        match = NAME.match(head)
        group_bytes = match.group(1) if match else None
        group = group_bytes.decode("ascii") if group_bytes else None
        name = match.group(2).decode("ascii") if match else ""
        types, charset, qp, b64 = [], None, False, False
    upper = name.upper()
    if b64:
        try:
            data = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            read.warn(
                number,
                _("{name} is base64 text that cannot be decoded; ignored").format(name=upper),
            )
            return None
        value, problem = read.decoder.decode(data, charset)
        value = _escape(value)  # base64 text is literal; the common path below unescapes
    elif qp:
        data = binascii.a2b_qp(raw)
        value, problem = read.decoder.decode(data, charset)
        if charset is None and problem is None and not is_utf8(data):
            problem = Problem(
                _("quoted-printable text without CHARSET; read as {charset}").format(
                    charset=read.decoder.last
                )
            )
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
        read.warn(
            number,
            _("{name}: the group name is not valid {charset}; left out").format(
                name=upper, charset=read.decoder.last
            ),
        )
        return None
    if problem:
        read.warn(number, problem, kind=problem.kind)
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
                _(
                    "{name}: the value looked quoted-printable without "
                    "ENCODING=QUOTED-PRINTABLE, decoded as {charset}"
                ).format(name=name, charset=codec),
            )
            return text
    if shaped:
        reason = _(
            "{name}: the value looks quoted-printable without ENCODING=QUOTED-PRINTABLE but "
            "cannot be decoded (not valid {charset}); left out"
        )
    else:
        reason = _(
            "{name}: the value looks quoted-printable without ENCODING=QUOTED-PRINTABLE but "
            "cannot be decoded (escapes mixed with a bare '=' or other text); left out"
        )
    read.warn(number, reason.format(name=name, charset=codec))
    return None


def _card_charset(card: list[tuple[int, bytes]]) -> str | None:
    """The first CHARSET parameter a line of the card declares."""
    for _number, line in card:
        split = split_head(line)
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


def build_contact(props: list[Prop], source: Source) -> Contact | None:
    labels: dict[str, str] = {}
    for name, _types, value, group in props:
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

"""vCard reader (2.1, 3.0, 4.0), working on bytes, built for what phones really export.

vobject (0.9.9) at its defaults fails real exports and is too slow for large
ones: it needs text (not bytes) and so cannot honour a per-property
``CHARSET``, only joins quoted-printable soft line breaks with
``allowQP=True``, dies on a soft break inside an ``=XX`` escape or a UTF-8
character, and costs about 175 µs a card.  So the project reads the file
itself, on bytes:

* lines (CRLF, LF, CR), unfolding and quoted-printable soft breaks, so a break
  inside a multi-byte character rejoins correctly; photos, logos, sounds and
  keys skipped line by line, never joined or decoded (:mod:`.vcard_lines`);
* card boundaries, with repair of a missing ``END:VCARD``, and the caps of a
  card (this module);
* parameters (nameless ones, quoted values, repeated ``TYPE``), charsets and
  quoted-printable decoding per property, and quoted-printable text that a
  vendor wrote without ``ENCODING`` (only when plainly so) (:mod:`.vcard_props`).

The content-line grammar is parsed by a linear scan (vobject's ``parseLine``
has a regular expression that fuzzing drove into a minute of backtracking on a
1.3 KB line).  vobject stays the project's vCard writer (exporters.py) and the
reference the tests compare this reader with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.i18n import N_, _
from contact_notify.model import Contact, IssueLog, ReadIssue, Source
from contact_notify.readers.charsets import detect
from contact_notify.readers.encoding import (
    MAX_VALUES,
    Decoder,
    byte_chunks,
    mostly_utf8,
    split_lines,
)
from contact_notify.readers.vcard_lines import (
    FRAME,
    MAX_PROPERTY,
    WANTED,
    logical_lines,
    unfold,
    value_is,
)
from contact_notify.readers.vcard_props import build_contact, parse_property

# Other properties that look like groups (X-CATEGORIES, vCard 4 and Apple MEMBER of group cards):
# not read, so each is reported once per card rather than dropped silently.
_GROUP_LIKE = re.compile(rb"GROUP|CATEGOR|MEMBER")
# No person has more than this many names, numbers, addresses and groups, or this much text in
# them: the rest of such a card is ignored with a warning, so one card cannot fill memory.
MAX_CARD_PROPERTIES = 500
MAX_CARD_BYTES = 1 << 20
_NOT_A_PROPERTY = N_("not a vCard property line; ignored")


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
    not_a_property: str = field(init=False)  # the commonest warning, translated once

    def __post_init__(self) -> None:
        self.log = IssueLog(self.source)
        self.not_a_property = _(_NOT_A_PROPERTY)

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


@dataclass(slots=True)
class _Card:
    """The card being read: its first line and its wanted lines so far."""

    start: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    size: int = 0  # bytes of the wanted lines; past MAX_CARD_BYTES the rest are ignored
    unread_groups: set[bytes] = field(default_factory=set)  # group-like properties reported


def read_vcard(stream: BinaryIO, read: VCardRead) -> Iterator[Contact]:
    """Yield the contacts of a vCard byte stream; problems go to ``read.issues``.

    Raises InputDataError when the stream is empty or holds no vCard at all.
    """
    chunks = _chunks(stream, read)
    seen_begin = False
    stray = 0  # non-blank lines outside any card
    card: _Card | None = None
    for number, name, line, too_long in logical_lines(split_lines(chunks, read.source)):
        if too_long:
            _too_long(number, name, read)
        elif name in FRAME and value_is(line, b"VCARD"):
            if name == b"BEGIN":
                seen_begin = True
                if card is not None:
                    read.warn(
                        card.start, _("card has no END:VCARD; it ends where the next card begins")
                    )
                    yield from _finish(card, read)
                card = _Card(number)
            elif card is None:
                read.warn(number, _("END:VCARD without BEGIN:VCARD; ignored"))
            else:
                yield from _finish(card, read)
                card = None
            read.log.new_record()
        elif card is None:
            if line.strip():
                stray += 1
        elif name in WANTED:  # the common case, kept inline: millions of lines may come here
            card.size += len(line)
            if len(card.lines) < MAX_CARD_PROPERTIES and card.size <= MAX_CARD_BYTES:
                card.lines.append((number, line))
            else:
                _card_full(number, read)
        elif b":" not in line:
            # Kept fast: a file may hold millions of such lines, counted, not kept.
            if line.strip() and line.lstrip()[:1] != b"#":
                read.log.add(number, read.not_a_property)
        elif name not in card.unread_groups and _GROUP_LIKE.search(name):
            _unread_group(card, number, name, read)
    if card is not None:
        read.warn(card.start, _("card has no END:VCARD before the end of the file (truncated?)"))
        yield from _finish(card, read)
    if not seen_begin:
        raise _not_a_vcard(read.source, stray)


def _chunks(stream: BinaryIO, read: VCardRead) -> Iterator[bytes]:
    """The stream's bytes in chunks (UTF-16/32 transcoded); the file's charset detected.

    Text without ``CHARSET`` is in the file's own charset: when the file is not
    (mostly) UTF-8, the decoder tries the detected charset first.
    """
    chunks, read.file_encoding, sample = byte_chunks(stream, read.source)
    # A fold may split a UTF-8 character, so judge the sample with its folds joined.
    unfolded = sample if sample.isascii() else unfold(sample)
    if read.file_encoding is None and not read.decoder.forced and not mostly_utf8(unfolded):
        # A few GBK names are also valid UTF-8: the file's own charset goes first.
        read.decoder.fallback = detect(sample, read.decoder.fallback)
        read.decoder.fallback_first = True
    return chunks


def _card_full(number: int, read: VCardRead) -> None:
    """Report a wanted line of a card that already holds all a person can have."""
    read.warn(
        number,
        _(
            "the card has more than {count} names, numbers, e-mail addresses and groups, "
            "or more than {size} MiB of them: no person does; this line is ignored"
        ).format(count=MAX_CARD_PROPERTIES, size=MAX_CARD_BYTES >> 20),
    )


def _too_long(number: int, name: bytes, read: VCardRead) -> None:
    """Report a wanted property longer than :data:`MAX_PROPERTY` (it is ignored)."""
    size = MAX_PROPERTY >> 10
    read.warn(
        number,
        _("{name} is longer than {size} KiB; ignored").format(name=name.decode("ascii"), size=size),
        kind=_("a property longer than {size} KiB; ignored").format(size=size),
    )


def _unread_group(card: _Card, number: int, name: bytes, read: VCardRead) -> None:
    """Report, once per card, a property that looks like a group but is not read."""
    if len(card.unread_groups) < MAX_CARD_PROPERTIES:
        card.unread_groups.add(name)
    read.warn(
        number,
        _(
            "{name} looks like a contact group but is not read; ignored "
            "(groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)"
        ).format(name=name.decode("ascii")),
        kind=_(
            "a property that looks like a contact group is not read; ignored "
            "(groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)"
        ),
    )


def _not_a_vcard(source: str, stray: int) -> InputDataError:
    """The error for a stream without any ``BEGIN:VCARD``: empty, or something else."""
    if stray == 0:
        return InputDataError(
            _("{source}: the file is empty").format(source=source),
            hint=_("export the contact list again and import the new file"),
        )
    return InputDataError(
        _("{source}: not a vCard file (no BEGIN:VCARD line found)").format(source=source),
        hint=_("give a .vcf file exported from a phone or mail program, or a .csv file"),
    )


def _finish(card: _Card, read: VCardRead) -> Iterator[Contact]:
    """Build one contact from a card's wanted lines, or skip it with a reason."""
    read.cards += 1
    start, lines = card.start, card.lines
    props = [
        prop
        for number, line in lines
        if (prop := parse_property(number, line, read, lines)) is not None
    ]
    contact = build_contact(props, Source(read.source, start))
    if contact is None:
        read.warn(start, _("card has no name, phone number or e-mail address"), skipped=True)
        return
    held: tuple[list[Any], ...] = (contact.phones, contact.emails, contact.groups)
    for (reason, kind), values in zip(_TOO_MANY, held, strict=True):
        if len(values) > MAX_VALUES:  # build_contact keeps one more than that to tell
            read.warn(
                start,
                _(reason).format(count=MAX_VALUES),
                kind=_(kind).format(count=MAX_VALUES),
            )
            del values[MAX_VALUES:]
    yield contact


# A card with more numbers, e-mail addresses or groups than anyone has: (warning, kind).
_TOO_MANY = (
    (
        N_(
            "the card has more than {count} phone numbers: no person does; "
            "only the first {count} are kept"
        ),
        N_("a card with more than {count} phone numbers; the rest are ignored"),
    ),
    (
        N_(
            "the card has more than {count} e-mail addresses: no person does; "
            "only the first {count} are kept"
        ),
        N_("a card with more than {count} e-mail addresses; the rest are ignored"),
    ),
    (
        N_(
            "the card has more than {count} groups: no person does; only the first {count} are kept"
        ),
        N_("a card with more than {count} groups; the rest are ignored"),
    ),
)

"""The contact model: plain dataclasses shared by readers, the case and exporters."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from contact_notify import i18n
from contact_notify.i18n import _, ngettext


class Source(NamedTuple):
    """Where a record came from: a file and the line (vCard) or line of the row (CSV).

    A named tuple: one is made for every contact read, and a tuple is made in half the time
    of a frozen dataclass.
    """

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class Phone:
    """One phone number as written, with its E.164 form when it is a valid number."""

    raw: str
    label: str = ""
    e164: str | None = None

    @property
    def valid(self) -> bool:
        """True when the number parsed as a valid number for its region."""
        return self.e164 is not None

    @property
    def key(self) -> str:
        """The identity used to match and merge: E.164 when valid, else the bare digits."""
        return self.e164 or digits_only(self.raw)

    @property
    def number(self) -> str:
        """The number to write out: E.164 when valid, else as written."""
        return self.e164 or self.raw


@dataclass(slots=True)
class Contact:
    """A person from the contact list."""

    name: str
    family: str = ""
    given: str = ""
    nickname: str = ""
    org: str = ""
    groups: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    source: Source | None = None

    @property
    def display_name(self) -> str:
        """The name to show, falling back to the first number for a nameless card."""
        if self.name:
            return self.name
        if self.phones:
            return self.phones[0].raw
        if self.emails:
            return self.emails[0]
        return _("(no name)")


@dataclass(frozen=True)
class ReadIssue:
    """A problem met while reading a file: what, where, and whether a record was skipped.

    A summary (``more`` > 0) stands for that many issues of one kind that were not
    listed one by one (see :class:`IssueLog`): its line is the first of them and its
    reason says how many there were and where the last one was.

    The reason is in the interface language current when the issue is made, and so
    is the label of its line (``skipped``, ``warning``): ``shown`` is fixed then.
    """

    source: Source
    reason: str
    skipped: bool = False
    more: int = 0
    shown: str = field(default="", init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        line = (
            _("{source}: skipped: {reason}") if self.skipped else _("{source}: warning: {reason}")
        )
        object.__setattr__(self, "shown", line)

    def __str__(self) -> str:
        return self.shown.format(source=self.source, reason=self.reason)

    @property
    def count(self) -> int:
        """How many issues this one stands for: 1, or the number a summary counts."""
        return self.more or 1


class _Tally:
    """What an :class:`IssueLog` keeps of one kind of issue: counts and a few lines, never a list."""

    __slots__ = ("first", "hidden", "last", "listed", "reason", "skipped", "unit")

    def __init__(self, reason: str, skipped: bool, unit: str) -> None:
        self.listed = self.hidden = self.first = self.last = 0
        self.reason, self.skipped, self.unit = reason, skipped, unit


class IssueLog:
    """The issues of one file, in memory that does not grow with the file.

    The first :data:`PER_KIND` issues of each kind are listed with their line
    (:data:`PER_KIND_SKIPPED` of a kind that skips records, since each is a card
    or row lost), and at most :data:`PER_RECORD` warnings of one card or row; the
    rest of a kind are counted, and :attr:`issues` ends with one summary per kind
    ("… and 999,997 more lines like this (lines 7 to 1,000,004): …").  A kind is
    a fixed description given by the reader (a reason that names a property is
    still one kind); past :data:`MAX_KINDS` kinds, new ones are counted together.
    """

    PER_KIND = 3
    PER_KIND_SKIPPED = 20
    PER_RECORD = 5
    MAX_KINDS = 64

    def __init__(self, source: str) -> None:
        self.source = source
        self.listed: list[ReadIssue] = []
        self._kinds: dict[str, _Tally] = {}
        self._record_listed = 0
        # The reasons are said in the language of the read: so are the summaries.
        self._language = i18n.language()

    def new_record(self) -> None:
        """A new card or row starts: its warnings are capped afresh."""
        self._record_listed = 0

    def add(
        self,
        line: int,
        reason: str,
        *,
        skipped: bool = False,
        kind: str | None = None,
        unit: str = "lines",
    ) -> None:
        """Record an issue at a line; ``kind`` (default: the reason) groups it for the summary.

        ``unit`` names what a summary counts: "lines", "cards" or "rows".
        """
        key = kind or reason
        tally = self._kinds.get(key)
        if tally is None:
            if len(self._kinds) >= self.MAX_KINDS:
                key = kind = _("other records skipped") if skipped else _("other problems")
                tally = self._kinds.get(key)
            if tally is None:
                tally = self._kinds[key] = _Tally(kind or reason, skipped, unit)
        cap = self.PER_KIND_SKIPPED if skipped else self.PER_KIND
        if tally.listed < cap and (skipped or self._record_listed < self.PER_RECORD):
            tally.listed += 1
            if not skipped:
                self._record_listed += 1
            self.listed.append(ReadIssue(Source(self.source, line), reason, skipped))
            return
        if not tally.hidden:
            tally.first = line
        tally.hidden += 1
        tally.last = line

    @property
    def issues(self) -> list[ReadIssue]:
        """The listed issues in the order met, then a summary of each kind with hidden ones."""
        if i18n.language() == self._language:
            summaries = self._summaries()
        else:
            with i18n.using(self._language):
                summaries = self._summaries()
        return [*self.listed, *summaries]

    def _summaries(self) -> list[ReadIssue]:
        """One issue per kind with hidden ones, at the line of the first hidden one."""
        summaries = []
        for tally in self._kinds.values():
            if not tally.hidden:
                continue
            first, last = f"{tally.first:,}", f"{tally.last:,}"
            where = (
                _("lines {first} to {last}").format(first=first, last=last)
                if tally.last != tally.first
                else _("line {first}").format(first=first)
            )
            summaries.append(
                ReadIssue(
                    Source(self.source, tally.first),
                    _summary(tally.unit, tally.hidden).format(
                        count=f"{tally.hidden:,}", where=where, reason=tally.reason
                    ),
                    tally.skipped,
                    more=tally.hidden,
                )
            )
        summaries.sort(key=lambda issue: issue.source.line)
        return summaries


def _summary(unit: str, count: int) -> str:
    """The sentence of a summary of ``count`` hidden issues counted in ``unit``."""
    if unit == "cards":
        return ngettext(
            "… and {count} more card like this ({where}): {reason}",
            "… and {count} more cards like this ({where}): {reason}",
            count,
        )
    if unit == "rows":
        return ngettext(
            "… and {count} more row like this ({where}): {reason}",
            "… and {count} more rows like this ({where}): {reason}",
            count,
        )
    return ngettext(
        "… and {count} more line like this ({where}): {reason}",
        "… and {count} more lines like this ({where}): {reason}",
        count,
    )


def has_cjk(text: str) -> bool:
    """True when the text holds a CJK ideograph (used to join Chinese names without a space)."""
    return CJK_RUN.search(text) is not None


# A run of CJK ideographs (one pattern for has_cjk and relationships: each costs 3 ms to compile).
CJK_RUN = re.compile("[\u3400-\u9fff\U00020000-\U0002ffff]+")


def join_name(family: str, given: str) -> str:
    """Build a display name: Chinese ``family + given`` with no space, otherwise ``given family``."""
    family, given = family.strip(), given.strip()
    if has_cjk(family + given):
        return family + given
    return " ".join(part for part in (given, family) if part)


def digits_only(text: str) -> str:
    """The ASCII digits of a text, after folding full-width digits."""
    return _NOT_A_DIGIT.sub("", unicodedata.normalize("NFKC", text))


_NOT_A_DIGIT = re.compile("[^0-9]+")  # the ASCII digits are exactly 0-9


@functools.lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, whitespace collapsed.

    Spaces next to a CJK character are dropped (``李 四`` is ``李四``); between
    Latin words one space stays (``Mary Ann`` is not ``Maryann``).
    """
    if text and min(text) >= "\u3400" and max(text) <= "\u9fff":
        return text  # CJK ideographs only (most names): NFKC, folding and splitting keep them
    words = unicodedata.normalize("NFKC", text).casefold().split()
    out = ""
    for word in words:
        if out and not (has_cjk(out[-1]) or has_cjk(word[0])):
            out += " "
        out += word
    return out


def name_keys(names: list[str]) -> list[str]:
    """:func:`name_key` of each name: the names themselves (no new list) when every one is
    CJK ideographs of U+3400-U+9FFF only (what name_key() returns as it stands), found by
    one look at their joined text instead of one call a name.

    CJK_RUN also takes the ideographs beyond the BMP, which take the long way (some are
    compatibility forms NFKC changes): their text is longer in UTF-16 than in characters.
    """
    joined = "".join(names)
    if not joined or (
        CJK_RUN.fullmatch(joined) is not None and len(joined.encode("utf-16-le")) == 2 * len(joined)
    ):
        return names
    return list(map(name_key, names))


CHANNELS = ("call", "sms", "wechat", "visit", "other")


@dataclass(slots=True)
class Reach:
    """One report that a collector reached a contact.

    Not frozen, though nothing changes one once read: a listing builds one per
    contact, and a frozen dataclass takes three times as long to build.
    """

    id: int
    contact_id: int
    at: str  # ISO 8601 date, or date and time with offset, local to the user
    numbers: tuple[str, ...] = ()  # the collector's number(s), E.164 when valid
    note: str = ""
    source: str = "typed"  # typed, file or text
    recorded_at: str = ""
    channel: str = "call"
    org: str = ""  # the organisation or loan platform the collector claimed
    contact_number: str = ""  # which of the contact's numbers was reached, when known (E.164)
    behaviours: tuple[str, ...] = ()  # what the collector did (keys of contact_notify.behaviours)

    @property
    def by(self) -> str:
        """The first collector number, or ""."""
        return self.numbers[0] if self.numbers else ""


@dataclass(slots=True)
class LastReach:
    """What a listing of contacts carries of each one's latest reach: what a message uses.

    The whole record is a :class:`Reach`, read by the commands that show reaches
    (history, the evidence kit, complaint drafts); a listing reads only these cells.
    """

    id: int
    at: str  # as Reach.at
    numbers: tuple[str, ...] = ()  # the collector's number(s), E.164 when valid
    note: str = ""
    contact_number: str = ""  # which of the contact's numbers was reached, when known (E.164)

    @property
    def by(self) -> str:
        """The first collector number, or ""."""
        return self.numbers[0] if self.numbers else ""


@dataclass(frozen=True)
class Attachment:
    """An evidence file recorded with a reach: where it was, its size and SHA-256 then."""

    id: int
    reach_id: int
    path: str
    size: int
    sha256: str
    added_at: str


@dataclass(frozen=True)
class Collector:
    """A collector number with how often and when it was recorded."""

    number: str
    count: int
    first_seen: str
    last_seen: str
    contacts: int


@dataclass(slots=True)
class StoredContact:
    """A contact as kept in the case, with its id and reach summary."""

    id: int
    contact: Contact
    reach_count: int = 0
    last_reach: LastReach | None = None
    exported: bool = False
    salutation: str = ""  # set by the user for this contact; "" derives one from the name
    template: str = ""  # the user's template choice for this contact; "" follows the rules
    sent: bool = False  # a message for the latest reach went out
    ever_sent: bool = False  # some message went out, perhaps for an earlier reach

    @property
    def name(self) -> str:
        """The display name."""
        return self.contact.display_name

    def best_phone(self, is_mobile: Callable[[str], bool]) -> Phone | None:
        """The number to send to: the first valid mobile, else the first valid, else the first."""
        first_valid = None
        for phone in self.contact.phones:
            if phone.e164:
                if is_mobile(phone.e164):
                    return phone
                if first_valid is None:
                    first_valid = phone
        if first_valid is not None:
            return first_valid
        return self.contact.phones[0] if self.contact.phones else None

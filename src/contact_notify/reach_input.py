"""What a mark is given, read and checked: when, how, by whom, whom, and evidence files.

``--at`` times (:func:`parse_when`), channels, collectors' numbers, targets
from a file (lines, or a CSV with details per row) or from pasted text, and
the fingerprint (size, SHA-256) of an evidence file.  Resolving targets to
contacts and recording reaches is :mod:`contact_notify.marking`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from contact_notify import clock
from contact_notify.behaviours import parse_all
from contact_notify.choices import canonical
from contact_notify.errors import InputDataError, UsageError
from contact_notify.i18n import N_, _
from contact_notify.model import CHANNELS, Source, digits_only
from contact_notify.phones import find_numbers, looks_like_number, to_e164
from contact_notify.readers import (
    FIELD_SIZE_LIMIT,
    MAX_TEXT_FILE,
    STDIN,
    fallback_for,
    header_key,
    open_input,
    read_input,
    sniff_delimiter,
)
from contact_notify.store import Case


@dataclass(frozen=True)
class Target:
    """One thing to mark, where it was written, and any details its CSV row carried."""

    text: str
    origin: Source | None = None
    at: str | None = None
    channel: str | None = None
    numbers: tuple[str, ...] = ()
    org: str | None = None
    note: str | None = None
    behaviours: tuple[str, ...] = ()  # what the collector did, from a "did" column or accepted

    def __str__(self) -> str:
        return f"{self.origin}: {self.text}" if self.origin else self.text

    @property
    def has_details(self) -> bool:
        """True for a CSV row that says when, how or by whom: a reach of its own."""
        return any((self.at, self.channel, self.numbers, self.org, self.note, self.behaviours))


# Column names of a CSV given to mark --file.
MARK_COLUMNS: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "number", "mobile", "手机", "手机号", "手机号码", "号码", "电话", "联系电话"),
    "target": ("target", "contact", "name", "姓名", "联系人"),
    "at": ("at", "when", "datetime", "date", "日期", "日期时间"),
    "time": ("time", "时间", "时刻"),
    "channel": ("channel", "via", "方式", "渠道"),
    "by": ("by", "collector", "collector number", "from", "催收号码", "来电号码", "对方号码"),
    "org": ("org", "organisation", "organization", "platform", "company", "平台", "机构", "公司"),
    "note": ("note", "notes", "备注", "内容"),
    "did": ("did", "behaviour", "behaviours", "behavior", "behaviors", "行为", "催收行为", "做了什么"),
}  # fmt: skip


# A reach may be recorded a little ahead (clock skew), not in another year by a typo.
FUTURE_SLACK = timedelta(days=1)

# The forms --at accepts, shown whenever it cannot read what it was given.
ACCEPTED_FORMS = N_(
    "write it as 2026-11-27 or '2026-11-27 21:30', or in Chinese: '2026年11月27日 21:30', "
    "'11月27日 21:30', '昨天 21:30', '今天 9:30', 前天, 晚上9点40, 下午3点"
)

# Words for a day, as days before today (今晚 and the like also say the part of the day).
_DAY_WORDS: dict[str, tuple[int, str | None]] = {
    "今天": (0, None), "今日": (0, None), "昨天": (1, None), "昨日": (1, None),
    "前天": (2, None), "前日": (2, None), "大前天": (3, None),
    "今早": (0, "早上"), "今晨": (0, "早上"), "今晚": (0, "晚上"), "今夜": (0, "晚上"),
    "昨晚": (1, "晚上"), "昨夜": (1, "晚上"), "前晚": (2, "晚上"),
}  # fmt: skip


# Parts of the day: the hours said with each (12-hour clock, lowest to highest as
# people count them) and the hour of the 24-hour clock each is.  晚上12点 is midnight
# at the end of that day (24:00, the next day's 00:00); 凌晨12点 midnight at its start.
# 晚上1点 to 4点 could belong to either night: 凌晨 says which.
def _hours(said: range | tuple[int, ...], add: int) -> dict[int, int]:
    return {hour: hour + add for hour in said}


_MORNING = _hours(range(1, 12), 0)
_AFTERNOON = _hours(range(1, 12), 12)
_EVENING = _hours(range(5, 13), 12)
_PERIODS: dict[str, dict[int, int]] = {
    "凌晨": _hours(range(7), 0) | {12: 0},
    "早上": _MORNING, "早晨": _MORNING, "清晨": _MORNING, "上午": _MORNING,
    "中午": {11: 11, 12: 12, 1: 13, 2: 14},
    "下午": _AFTERNOON, "午后": _AFTERNOON,
    "傍晚": _hours(range(4, 9), 12),
    "晚上": _EVENING, "夜里": _EVENING, "夜间": _EVENING, "晚间": _EVENING,
    "半夜": {11: 23, 12: 24},
}  # fmt: skip

_NUM = "[0-9]{1,2}|[零〇一二两三四五六七八九十]{1,3}"
_SPOKEN = re.compile(
    r"(?:(?P<date>"
    r"(?:(?P<year>[0-9]{4})\s*年\s*)?(?P<month>"
    + _NUM
    + r")\s*月\s*(?P<dom>"
    + _NUM
    + r")\s*[日号]"
    r"|(?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})"
    r"|(?P<word>" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r"))\s*)?"
    r"(?P<period>" + "|".join(_PERIODS) + r")?\s*"
    r"(?:(?P<clock>(?P<ch>[0-9]{1,2}):(?P<cm>[0-9]{2})(?::(?P<cs>[0-9]{2}))?)"
    r"|(?P<spoken>(?P<sh>" + _NUM + r")\s*[点时](?:钟)?\s*"
    r"(?:(?P<sm>" + _NUM + r")\s*分?(?:\s*(?P<ss>" + _NUM + r")\s*秒)?|(?P<half>半)"
    r"|(?P<quarter>[一三])刻|整)?))?"
)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _number(text: str) -> int:
    """1-2 digits, or a Chinese numeral up to 99 (九, 十二, 二十三, 零五); -1 when it is none."""
    if text.isdigit():
        return int(text)
    if len(text) > 1 and text[0] in "零〇":
        text = text[1:]
    tens, ten, ones = text.partition("十")
    if not ten:
        return _DIGITS.get(text, -1) if len(text) == 1 else -1
    high = _DIGITS.get(tens, -1) if tens else 1
    low = _DIGITS.get(ones, -1) if ones else 0
    return -1 if high < 1 or low < 0 or len(tens) > 1 or len(ones) > 1 else high * 10 + low


def _not_a_time(text: str, reason: str | None = None) -> UsageError:
    if reason is None:
        message = _("--at {value} is not a date or time").format(value=repr(text))
    else:
        message = _("--at {value} is not a date or time: {reason}").format(
            value=repr(text), reason=reason
        )
    return UsageError(message, hint=_(ACCEPTED_FORMS))


def _in_the_future(text: str) -> UsageError:
    return UsageError(
        _("--at {value} is in the future or out of range").format(value=repr(text)),
        hint=_("check the year"),
    )


def parse_when(text: str | None) -> str:
    """``--at``: a date, or a date and time, in the local time zone unless an offset is given.

    Times are stored in the local time zone (``2026-11-28T09:30:00+08:00``) so
    that night-time and per-day counts are the user's own; ``2026/11/27`` as
    written by WPS and Excel is accepted too, and so are times written the
    Chinese way (:func:`_spoken_when`).  A time more than a day ahead is
    refused (a year typo would otherwise stay the "latest" reach for good).
    """
    if text is None or text.strip().lower() in ("now", "现在"):
        return clock.stamp()
    # Full-width digits, colons and spaces (typed with a Chinese input method) as ASCII.
    value = unicodedata.normalize("NFKC", text).strip().replace("/", "-")
    try:
        if len(value) <= 10:
            day = date.fromisoformat("-".join(part.zfill(2) for part in value.split("-")))
            if day > clock.today() + FUTURE_SLACK:
                raise OverflowError
            return day.isoformat()
        # astimezone() reads a naive time as local and converts an aware one to local.
        moment_ = datetime.fromisoformat(value).astimezone()
        if moment_ > clock.now() + FUTURE_SLACK:
            raise OverflowError
    except ValueError:
        return _spoken_when(text, value)
    except OverflowError:
        raise _in_the_future(text) from None
    return moment_.isoformat(timespec="seconds")


def _spoken_when(text: str, value: str) -> str:
    """A day and time written the Chinese way, or a time of day alone.

    The day: ``2026年11月30日`` (or ``号``), ``11月30日`` (the latest such date
    that is not after today), a word (``今天``, ``昨天``, ``前天``, ``大前天``,
    ``今晚``, ``昨晚`` …), ``2026-11-30``, or none.  The time: ``21:40``,
    ``21点40分``, ``9点半``, Chinese numerals (``九点四十``), after a part of
    the day that makes a 12-hour time a 24-hour one (``下午3点`` is 15:00,
    ``晚上12点`` midnight at the end of the day).  ``N点`` with N from 1 to 12
    and no part of the day could be morning or evening, and is refused.

    Only a day is a date (like ``2026-11-27``).  A time with a day follows the
    future check of :func:`parse_when`; a time alone is today, and refused when
    that is later than now (it was probably yesterday, which the message says
    how to write) rather than moved to another day unasked.
    """
    found = _SPOKEN.fullmatch(value)
    if not found:
        raise _not_a_time(text)
    today = clock.today()
    period = found["period"]
    if found["word"]:
        back, said = _DAY_WORDS[found["word"]]
        if said and period:
            raise _not_a_time(text)
        period = period or said
        day: date | None = today - timedelta(days=back)
    elif found["iso"] or found["year"]:
        year, month, dom = (
            found["iso"].split("-")
            if found["iso"]
            else (found["year"], found["month"], found["dom"])
        )
        try:
            day = date(int(year), _number(month), _number(dom))
        except ValueError:
            raise _not_a_time(text, _("there is no such day")) from None
    elif found["month"]:
        month, dom = _number(found["month"]), _number(found["dom"])
        # The latest such day not after today: 2月29日 may be up to eight years back.
        day = next(
            (
                candidate
                for year in range(today.year, today.year - 9, -1)
                if (candidate := _day_or_none(year, month, dom)) and candidate <= today
            ),
            None,
        )
        if day is None:
            raise _not_a_time(text, _("there is no such day"))
    else:
        day = None
    if not (found["clock"] or found["spoken"]):
        if period:
            raise _not_a_time(
                text, _("{period} needs an hour after it, such as 下午3点").format(period=period)
            )
        if day is None:  # the pattern said nothing at all
            raise _not_a_time(text)
        if day > today + FUTURE_SLACK:
            raise _in_the_future(text)
        return day.isoformat()
    hour, minute, second = _time_of_day(text, found, period)
    try:
        moment = datetime.combine(day or today, time()) + timedelta(
            hours=hour, minutes=minute, seconds=second
        )
        moment_ = moment.astimezone()  # a naive time is read as local
    except (ValueError, OverflowError):  # at the ends of the calendar (year 1, 9999)
        raise _not_a_time(text) from None
    if day is not None:
        if moment_ > clock.now() + FUTURE_SLACK:
            raise _in_the_future(text)
    elif moment_ > clock.now():
        raise UsageError(
            _("--at {value} is later than now: a time without a day is today's").format(
                value=repr(text)
            ),
            hint=_("if it was yesterday, write --at '{yesterday}'").format(
                yesterday="昨天 " + value
            ),
        )
    return moment_.isoformat(timespec="seconds")


def _day_or_none(year: int, month: int, dom: int) -> date | None:
    try:
        return date(year, month, dom)
    except ValueError:
        return None


def _time_of_day(text: str, found: re.Match[str], period: str | None) -> tuple[int, int, int]:
    """(hour 0-24, minute, second) of a matched time; 24 only for 晚上12点 and the like."""
    if found["clock"]:
        hour, minute = int(found["ch"]), int(found["cm"])
        second = int(found["cs"] or 0)
    else:
        hour = _number(found["sh"])
        if found["half"]:
            minute = 30
        elif found["quarter"]:
            minute = 15 if found["quarter"] == "一" else 45
        else:
            minute = _number(found["sm"]) if found["sm"] else 0
        second = _number(found["ss"]) if found["ss"] else 0
    said = found["clock"] or found["spoken"]
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise _not_a_time(text, _("{time} is not a time of day").format(time=said))
    if period:
        hours = _PERIODS[period]
        if hour not in hours:
            said_hours = [h for h in hours if not (period == "凌晨" and h == 12)]
            raise _not_a_time(
                text,
                _("{period} goes with an hour from {low} to {high}").format(
                    period=period, low=said_hours[0], high=said_hours[-1]
                ),
            )
        hour = hours[hour]
    elif found["spoken"] and 1 <= hour <= 12:
        raise _not_a_time(
            text,
            _(
                "{time} could be morning or evening: put 上午, 下午 or 晚上 before it, "
                "or write {clock} for the 24-hour clock"
            ).format(time=said, clock=f"{hour}:{minute:02d}"),
        )
    return hour, minute, second


def _read_text(path: Path, region: str, what: str = "target list") -> str:
    """The text of a target list or pasted text: a regular file or ``-`` (stdin), at most 10 MiB."""
    data = read_input(path, what, MAX_TEXT_FILE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback_for(region), errors="replace")


def read_targets(path: Path, region: str, label: str | None = None) -> list[Target]:
    """Targets from a file: one per line, or a CSV whose header names the columns (see MARK_COLUMNS).

    Blank lines and ``#`` comments are skipped.  Any line ending (LF, CRLF, CR) works.
    """
    text = _read_text(path, region)
    name = label or str(path)
    lines = text.splitlines()
    first = lines[0] if lines else ""
    header = [header_key(c) for c in first.split(sniff_delimiter(first))]
    target_aliases = MARK_COLUMNS["phone"] + MARK_COLUMNS["target"]
    if len(header) > 1 and any(h in target_aliases for h in header):
        return _csv_targets(lines, name, region)
    targets = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            targets.append(Target(stripped, Source(name, number)))
    return targets


def _csv_targets(lines: list[str], name: str, region: str) -> list[Target]:
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    rows = csv.reader((line + "\n" for line in lines), delimiter=sniff_delimiter(lines[0]))
    header = [header_key(c) for c in next(rows)]
    index = {
        field: next((i for i, h in enumerate(header) if h in aliases), None)
        for field, aliases in MARK_COLUMNS.items()
    }

    def cell(row: list[str], field: str) -> str:
        i = index[field]
        return row[i].strip() if i is not None and i < len(row) else ""

    targets = []
    line = 2
    try:
        for row in rows:
            start, line = line, rows.line_num + 1
            # A number identifies a contact better than a name that others may share.
            target = cell(row, "phone") or cell(row, "target")
            if not target:
                continue
            try:
                at = " ".join(c for c in (cell(row, "at"), cell(row, "time")) if c)
                channel = cell(row, "channel")
                details = {
                    "at": parse_when(at) if at else None,
                    "channel": check_channel(channel) if channel else None,
                }
                written = cell(row, "did")
                did = parse_all([written] if written else [])
            except UsageError as exc:
                raise InputDataError(f"{name}:{start}: {exc.message}", hint=exc.hint) from None
            targets.append(
                Target(
                    target,
                    Source(name, start),
                    numbers=tuple(
                        collector_number(n, region)
                        for n in re.split(r"[;,、]", cell(row, "by"))
                        if n.strip()
                    ),
                    org=cell(row, "org") or None,
                    note=cell(row, "note") or None,
                    behaviours=did,
                    **details,
                )
            )
    except csv.Error as exc:
        raise InputDataError(
            _("{file}:{line}: cannot read this row: {reason}").format(
                file=name, line=line, reason=exc
            )
        ) from None
    return targets


# The channels a mark takes, as its hint lists them (the Chinese words go with them in zh).
CHANNEL_CHOICES = N_("call, sms, wechat, visit, other")


def check_channel(value: str) -> str:
    """A reach channel: call, sms, wechat, visit or other (Chinese names accepted, see choices)."""
    channel = canonical(value)
    if channel not in CHANNELS:
        raise UsageError(
            _("unknown channel {channel}").format(channel=repr(value)),
            hint=_("use one of: {choices}").format(choices=_(CHANNEL_CHOICES)),
        )
    return channel


MIN_COLLECTOR_DIGITS = 5


def collector_number(text: str, region: str) -> str:
    """A collector's number as stored: E.164 when valid, else as written.

    Service and gateway numbers (95555, 1069…) are not valid numbers but are
    real collectors' numbers, so anything written like a number with at least
    five digits is kept; anything else is refused.
    """
    e164 = to_e164(text, region)
    if e164:
        return e164
    if not looks_like_number(text) or len(digits_only(text)) < MIN_COLLECTOR_DIGITS:
        raise UsageError(
            _("{number} is not a phone number").format(number=repr(text)),
            hint=_("give the collector's number as it appeared, e.g. --by 17012345678"),
        )
    return text.strip()


# Numbers of nobody that pasted text shows at most (the most written first); and places
# where a number may have been missed (see phones.find_numbers) it names at most.
UNKNOWN_SHOWN = 20
MISSED_SHOWN = 3


@dataclass(frozen=True)
class UnknownNumber:
    """A number in pasted text that is no contact's: probably a collector's."""

    raw: str  # as first written
    e164: str
    count: int  # how many times the text holds it
    first: Source  # where it is first written


@dataclass(frozen=True)
class UnknownNumbers:
    """What pasted text held besides contacts' numbers, in memory bounded whatever its size.

    ``shown``: the numbers of nobody written most often (at most
    :data:`UNKNOWN_SHOWN`; of equal counts, the first written first), which the
    user adds to a reach with ``--by``; ``others``: how many more distinct numbers
    of nobody there were, and ``other_mentions`` how often they were written.
    The full list is not kept on purpose: a 10 MiB text may hold a million
    numbers, and a front shows these the same way (iterating gives ``shown``).
    ``missed``: the first few places (:data:`MISSED_SHOWN`) where the text had to
    be read in pieces with no safe place to cut, so a number written across one
    may have been missed, and ``missed_count`` how many there were in all.
    """

    shown: tuple[UnknownNumber, ...] = ()
    others: int = 0
    other_mentions: int = 0
    missed: tuple[Source, ...] = ()
    missed_count: int = 0

    def __iter__(self) -> Iterator[UnknownNumber]:
        return iter(self.shown)


class _Lines:
    """Line numbers of offsets met in increasing order in a text (counted once, left to right)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        offset = max(offset, self.offset)
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


# Cues of one behaviour a suggestion shows at most (the first written).
CUES_SHOWN = 3


@dataclass(frozen=True)
class Suggestion:
    """A behaviour pasted text suggests: the words that suggest it, where, and for whom.

    ``contacts``: the contacts whose numbers stand in the same paragraph as the
    words (paragraphs are separated by blank lines); ``everyone``: some of the
    words stand in a paragraph with no contact's number, so they concern every
    contact of the mark.
    """

    behaviour: str
    cues: tuple[tuple[str, Source], ...]  # the first few words and where they are
    count: int  # how many places in the text suggest it
    contacts: frozenset[int]
    everyone: bool

    def concerns(self, contact_id: int) -> bool:
        """True when this suggestion is for that contact."""
        return self.everyone or contact_id in self.contacts


@dataclass(frozen=True)
class TextFound:
    """What pasted text holds: contacts' numbers, numbers of nobody, suggested behaviours."""

    targets: list[Target]
    unknown: UnknownNumbers
    suggestions: tuple[Suggestion, ...] = ()


def read_text_targets(
    path: Path,
    case: Case,
    region: str,
    collectors: Collection[str] = (),
    label: str | None = None,
) -> TextFound:
    """Numbers found in pasted text: targets for contacts' numbers, and numbers of nobody.

    Every number in the text is found (:func:`phones.find_numbers`).  Numbers in
    ``collectors`` (the ``--by`` numbers of this mark, E.164) are already known
    as the collectors', so they are not suggested again.  The behaviours its
    words suggest come with them (:func:`suggest_behaviours`), never recorded here.
    ``label`` names the text in sources (the app's pasted text), else its path.
    """
    text = unicodedata.normalize("NFKC", _read_text(path, region, "text file"))
    # Windows (CR LF) and old Mac (CR) line ends as line feeds: lines and paragraphs count alike.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    label = label or (_("pasted text") if str(path) == STDIN else str(path))
    lines = _Lines(text)
    paragraphs = _Paragraphs(text)
    targets: list[Target] = []
    contacts_in: dict[int, set[int]] = {}  # paragraph -> ids of the contacts whose numbers it has
    # e164 -> (count, raw, line): as many as the text's distinct numbers (the text is capped).
    unknown: dict[str, tuple[int, str, int]] = {}
    missed: list[Source] = []
    missed_count = 0

    def cut(offset: int) -> None:
        nonlocal missed_count
        missed_count += 1
        if len(missed) < MISSED_SHOWN:
            missed.append(Source(label, lines.at(offset)))

    known = set(collectors)
    for found in find_numbers(text, region, on_cut=cut):
        line = lines.at(found.start)
        ids = case.contact_ids_by_phone_key(found.e164)
        if ids:
            targets.append(Target(found.raw, Source(label, line)))
            contacts_in.setdefault(paragraphs.at(found.start), set()).update(ids)
        elif found.e164 in unknown:
            count, raw, first = unknown[found.e164]
            unknown[found.e164] = (count + 1, raw, first)
        elif found.e164 not in known:
            unknown[found.e164] = (1, found.raw, line)
    # Most written first; sorted() is stable, so equal counts keep the order they were met.
    ranked = sorted(unknown.items(), key=lambda item: -item[1][0])
    shown = tuple(
        UnknownNumber(raw, e164, count, Source(label, line))
        for e164, (count, raw, line) in ranked[:UNKNOWN_SHOWN]
    )
    rest = ranked[UNKNOWN_SHOWN:]
    return TextFound(
        targets,
        UnknownNumbers(shown, len(rest), sum(v[0] for _, v in rest), tuple(missed), missed_count),
        suggest_behaviours(text, label, contacts_in),
    )


def suggest_behaviours(
    text: str, label: str, contacts_in: dict[int, set[int]]
) -> tuple[Suggestion, ...]:
    """The behaviours a text's words suggest (:func:`behaviours.cues`), in the vocabulary's order.

    ``contacts_in``: the contacts whose numbers each paragraph holds (by the
    paragraph's index): words there concern those contacts; words in a
    paragraph with none concern every contact of the mark.
    """
    from contact_notify.behaviours import KEYS, cues

    lines = _Lines(text)
    paragraphs = _Paragraphs(text)
    shown: dict[str, list[tuple[str, Source]]] = {}
    counts: dict[str, int] = {}
    contacts: dict[str, set[int]] = {}
    everyone: set[str] = set()
    for cue in cues(text):
        key = cue.behaviour
        counts[key] = counts.get(key, 0) + 1
        first = shown.setdefault(key, [])
        if len(first) < CUES_SHOWN:
            first.append((cue.words, Source(label, lines.at(cue.offset))))
        ids = contacts_in.get(paragraphs.at(cue.offset))
        if ids:
            contacts.setdefault(key, set()).update(ids)
        else:
            everyone.add(key)
    return tuple(
        Suggestion(
            key, tuple(shown[key]), counts[key], frozenset(contacts.get(key, ())), key in everyone
        )
        for key in KEYS
        if key in counts
    )


class _Paragraphs:
    """The index of the paragraph (text between blank lines) of offsets met in increasing order."""

    _BLANK = re.compile(r"\n[ \t\u3000]*\n")

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.index = text, 0, 0

    def at(self, offset: int) -> int:
        if offset > self.offset:
            self.index += len(self._BLANK.findall(self.text, self.offset, offset))
            self.offset = offset
        return self.index


def fingerprint(path: Path) -> tuple[str, int, str]:
    """(absolute path, size, SHA-256) of an evidence file, read without changing it.

    Any size (read as a stream), but only a regular file: a folder, device or pipe
    is refused before it is read (:func:`readers.open_input`).
    """
    digest = hashlib.sha256()
    try:
        with open_input(path, "evidence file") as handle:
            expected = os.fstat(handle.fileno()).st_size
            size = 0
            while size < expected and (chunk := handle.read(min(1 << 20, expected - size))):
                digest.update(chunk)
                size += len(chunk)
            if handle.read(1):  # more than the file said it holds: /proc, or written meanwhile
                raise InputDataError(
                    _(
                        "the evidence file {path} grew while it was read; nothing was recorded"
                    ).format(path=path),
                    hint=_("attach a finished file (a screenshot or recording that is saved)"),
                )
    except OSError as exc:
        raise InputDataError(
            _("cannot read the evidence file {path}: {reason}").format(
                path=path, reason=exc.strerror
            )
        ) from None
    return str(path.resolve()), size, digest.hexdigest()


def attachment_state(path: str, size: int, sha256: str) -> str:
    """unchanged, changed or missing: the evidence file now against what was recorded."""
    file = Path(path)
    if not file.is_file():
        return "missing"
    try:
        _, now_size, now_sha = fingerprint(file)
    except InputDataError:
        return "missing"
    return "unchanged" if (now_size, now_sha) == (size, sha256) else "changed"

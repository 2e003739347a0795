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
from datetime import date, datetime, timedelta
from pathlib import Path

from contact_notify import clock
from contact_notify.errors import InputDataError, UsageError
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

    def __str__(self) -> str:
        return f"{self.origin}: {self.text}" if self.origin else self.text

    @property
    def has_details(self) -> bool:
        """True for a CSV row that says when, how or by whom: a reach of its own."""
        return any((self.at, self.channel, self.numbers, self.org, self.note))


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
}  # fmt: skip


# A reach may be recorded a little ahead (clock skew), not in another year by a typo.
FUTURE_SLACK = timedelta(days=1)


def parse_when(text: str | None) -> str:
    """``--at``: a date, or a date and time, in the local time zone unless an offset is given.

    Times are stored in the local time zone (``2026-11-28T09:30:00+08:00``) so
    that night-time and per-day counts are the user's own; ``2026/11/27`` as
    written by WPS and Excel is accepted too.  A time more than a day ahead is
    refused (a year typo would otherwise stay the "latest" reach for good).
    """
    if text is None or text.strip().lower() == "now":
        return clock.stamp()
    value = text.strip().replace("/", "-")
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
        raise UsageError(
            f"--at {text!r} is not a date or time",
            hint="write it as 2026-11-27 or '2026-11-27 21:30'",
        ) from None
    except OverflowError:
        raise UsageError(
            f"--at {text!r} is in the future or out of range", hint="check the year"
        ) from None
    return moment_.isoformat(timespec="seconds")


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
                    **details,
                )
            )
    except csv.Error as exc:
        raise InputDataError(f"{name}:{line}: cannot read this row: {exc}") from None
    return targets


def check_channel(value: str) -> str:
    """A reach channel: call, sms, wechat, visit or other (Chinese names accepted)."""
    aliases = {"电话": "call", "短信": "sms", "微信": "wechat", "上门": "visit", "其他": "other"}
    channel = aliases.get(value.strip(), value.strip().lower())
    if channel not in CHANNELS:
        raise UsageError(f"unknown channel {value!r}", hint="use one of: " + ", ".join(CHANNELS))
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
            f"{text!r} is not a phone number",
            hint="give the collector's number as it appeared, e.g. --by 17012345678",
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


def read_text_targets(
    path: Path, case: Case, region: str, collectors: Collection[str] = ()
) -> tuple[list[Target], UnknownNumbers]:
    """Numbers found in pasted text: targets for contacts' numbers, and numbers of nobody.

    Every number in the text is found (:func:`phones.find_numbers`).  Numbers in
    ``collectors`` (the ``--by`` numbers of this mark, E.164) are already known
    as the collectors', so they are not suggested again.
    """
    text = unicodedata.normalize("NFKC", _read_text(path, region, "text file"))
    label = "pasted text" if str(path) == STDIN else str(path)
    lines = _Lines(text)
    targets: list[Target] = []
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
        if case.contact_ids_by_phone_key(found.e164):
            targets.append(Target(found.raw, Source(label, line)))
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
    return targets, UnknownNumbers(
        shown, len(rest), sum(v[0] for _, v in rest), tuple(missed), missed_count
    )


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
                    f"the evidence file {path} grew while it was read; nothing was recorded",
                    hint="attach a finished file (a screenshot or recording that is saved)",
                )
    except OSError as exc:
        raise InputDataError(f"cannot read the evidence file {path}: {exc.strerror}") from None
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

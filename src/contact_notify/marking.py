"""Marking who was reached: resolve typed targets to contacts and record reaches.

A target is a phone number in any format, ``id:N``, or a name (compared after
folding width, case and spaces).  Ambiguity is never resolved by guessing: a
name that fits several contacts is an error listing them with their ids.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from contact_notify import clock
from contact_notify.case import Case
from contact_notify.csv_reader import FIELD_SIZE_LIMIT, header_key, sniff_delimiter
from contact_notify.encoding import fallback_for
from contact_notify.errors import InputDataError, UsageError
from contact_notify.model import CHANNELS, Source, digits_only, name_key
from contact_notify.phones import FoundNumber, find_numbers, looks_like_number, to_e164
from contact_notify.readers import MAX_TEXT_FILE, STDIN, open_input, read_input

_ID = re.compile(r"^(?:id:|#)(\d+)$", re.IGNORECASE)
MIN_SUFFIX_DIGITS = 7


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


@dataclass(frozen=True)
class Details:
    """What a mark records with each reach, unless a target's own row says otherwise."""

    at: str
    channel: str = "call"
    numbers: tuple[str, ...] = ()
    org: str = ""
    note: str = ""
    source: str = "typed"
    attachments: tuple[Path, ...] = ()
    at_given: bool = False  # the user gave the time (not "now"): a rerun is the same reach


@dataclass
class MarkReport:
    """What a mark or unmark did."""

    marked: list[tuple[int, str, Target]] = field(default_factory=list)
    repeated: list[tuple[str, Target]] = field(default_factory=list)
    not_found: list[Target] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    reach_ids: list[int] = field(default_factory=list)
    already: list[tuple[str, Target, int]] = field(default_factory=list)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    updated: list[tuple[str, Target, int]] = field(default_factory=list)


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


def read_text_targets(
    path: Path, case: Case, region: str, collectors: Collection[str] = ()
) -> tuple[list[Target], list[FoundNumber]]:
    """Numbers found in pasted text: targets for contacts' numbers, and numbers of nobody.

    Numbers in ``collectors`` (the ``--by`` numbers of this mark, E.164) are
    already known as the collectors', so they are not suggested again.
    """
    text = unicodedata.normalize("NFKC", _read_text(path, region, "text file"))
    label = "pasted text" if str(path) == STDIN else str(path)
    targets: list[Target] = []
    unknown: list[FoundNumber] = []
    seen = set(collectors)
    searched = 0
    line = 1
    for found in find_numbers(text, region):
        position = max(text.find(found.raw, searched), searched)
        line += text.count("\n", searched, position)
        searched = max(searched, position)
        if case.contact_ids_by_phone_key(found.e164):
            targets.append(Target(found.raw, Source(label, line)))
        elif found.e164 not in seen:
            seen.add(found.e164)
            unknown.append(found)
    return targets, unknown


def fingerprint(path: Path) -> tuple[str, int, str]:
    """(absolute path, size, SHA-256) of an evidence file, read without changing it.

    Any size (read as a stream), but only a regular file: a folder, device or pipe
    is refused before it is read (:func:`readers.open_input`).
    """
    digest = hashlib.sha256()
    try:
        with open_input(path, "evidence file") as handle:
            size = 0
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
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


def resolve(case: Case, target: Target, region: str) -> list[int]:
    """The ids of the contacts a target means (empty when none, several when ambiguous)."""
    text = target.text.strip()
    by_id = _ID.match(text)
    if by_id:
        wanted = int(by_id.group(1))
        return [wanted] if any(i == wanted for i, _ in case.contact_names()) else []
    if looks_like_number(text):
        e164 = to_e164(text, region)
        if e164:
            return case.contact_ids_by_phone_key(e164)
        digits = digits_only(text)
        found = case.contact_ids_by_phone_key(digits)
        if not found and len(digits) >= MIN_SUFFIX_DIGITS:
            found = case.contact_ids_by_digits_suffix(digits)
        return found
    key = name_key(text)
    return [i for i, name in case.contact_names() if name_key(name) == key]


def suggest(case: Case, text: str, limit: int = 3) -> list[str]:
    """Contacts whose name contains the typed name (or the other way round): ``id:5 欧阳娜娜（…）``.

    Only a suggestion for the user to choose from: a name that is not exact is never marked.
    """
    key = name_key(text)
    if not key or looks_like_number(text):
        return []
    found = [
        f"id:{i} {name}"
        for i, name in case.contact_names()
        if name and (key in name_key(name) or name_key(name) in key)
    ]
    return found[:limit]


def resolve_one(case: Case, target: Target, region: str, command: str) -> int:
    """The one contact a target means; an error when it means none or several.

    ``command`` is the command being run (``sent``, ``history``…), which the
    hint for an ambiguous name repeats with an id.
    """
    ids = resolve(case, target, region)
    if not ids:
        close = suggest(case, target.text)
        raise InputDataError(
            f"no contact matches {target}",
            hint=("did you mean: " + "; ".join(close))
            if close
            else "see the names and numbers with: contact-notify contacts",
        )
    if len(ids) > 1:
        raise _ambiguous(case, target, ids, command)
    return ids[0]


def _ambiguous(case: Case, target: Target, ids: list[int], command: str) -> InputDataError:
    lines = []
    for contact_id in ids:
        stored = case.contact(contact_id)
        numbers = ", ".join(p.e164 or p.raw for p in stored.contact.phones) or "no number"
        lines.append(f"id:{contact_id} {stored.name} ({numbers})")
    return InputDataError(
        f"{target} matches {len(ids)} contacts: " + "; ".join(lines),
        hint="nothing was changed; name one of them by number or id, e.g. "
        f"contact-notify {command} id:{ids[0]}",
    )


def mark(case: Case, targets: Iterable[Target], *, region: str, details: Details) -> MarkReport:
    """Record a reach for every contact the targets name (the caller holds the transaction).

    A reach identical to one already recorded (same contact, time and channel,
    nothing new) is not recorded twice, so running the same mark again does
    not inflate the evidence; new collector numbers, an organisation or a note
    for the same time and channel are added to that record instead.
    """
    report = MarkReport()
    done: dict[int, str] = {}
    prints = [fingerprint(path) for path in details.attachments]
    for target in targets:
        ids = resolve(case, target, region)
        if not ids:
            report.not_found.append(target)
            report.suggestions[str(target)] = suggest(case, target.text)
            continue
        if len(ids) > 1:
            raise _ambiguous(case, target, ids, "mark")
        contact_id = ids[0]
        name = case.contact(contact_id).name
        if contact_id in done and not target.has_details:
            report.repeated.append((name, target))
            continue
        done[contact_id] = name
        at = target.at or details.at
        channel = target.channel or details.channel
        numbers = list(target.numbers or details.numbers)
        org = target.org if target.org is not None else details.org
        note = target.note if target.note is not None else details.note
        # The same reach again: an explicit time of day, the same channel, and no note or
        # organisation that says otherwise. A date alone is not enough: one day can hold
        # several calls, and losing one would weaken the evidence.
        explicit = (target.at is not None or details.at_given) and len(at) > 10
        same = case.find_reach(contact_id, at, channel) if explicit else None
        if same is not None and (note not in ("", same.note) or org not in ("", same.org)):
            same = None
        if same is not None:
            new = [n for n in numbers if n not in same.numbers]
            recorded = case.attachment_hashes(same.id)
            new_files = [p for p in prints if p[2] not in recorded]
            if (
                not new
                and not new_files
                and (note, org)
                in {(same.note, same.org), ("", ""), (same.note, ""), ("", same.org)}
            ):
                report.already.append((name, target, same.id))
                continue
            case.update_reach(same.id, new, org, note)
            for path, size, sha in new_files:
                case.add_attachment(same.id, path, size, sha)
            report.updated.append((name, target, same.id))
            report.reach_ids.append(same.id)
            continue
        reach_id = case.add_reach(
            contact_id,
            at,
            numbers,
            channel=channel,
            org=org,
            note=note,
            source=details.source,
            contact_number=reached_number(target.text, region),
        )
        report.marked.append((contact_id, name, target))
        for path, size, sha in prints:
            case.add_attachment(reach_id, path, size, sha)
        report.reach_ids.append(reach_id)
    return report


def reached_number(text: str, region: str) -> str:
    """The contact's number a target names (E.164), when the target is a number."""
    return (to_e164(text, region) or "") if looks_like_number(text) else ""


def unmark(
    case: Case, targets: Iterable[Target], *, region: str, records: Iterable[int] = ()
) -> MarkReport:
    """Remove every reach record of the contacts the targets name, and the records given by id."""
    report = MarkReport()
    for record in records:
        reach = case.reach(record)
        if reach is None:
            raise InputDataError(
                f"there is no reach record {record}",
                hint="see the records with: contact-notify history TARGET",
            )
        name = case.contact(reach.contact_id).name
        case.delete_reach(record)
        report.removed[name] = report.removed.get(name, 0) + 1
    for target in targets:
        ids = resolve(case, target, region)
        if not ids:
            report.not_found.append(target)
            continue
        if len(ids) > 1:
            raise _ambiguous(case, target, ids, "unmark")
        name = case.contact(ids[0]).name
        report.removed[name] = report.removed.get(name, 0) + case.delete_reaches(ids[0])
    return report

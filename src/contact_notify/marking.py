"""Marking who was reached: resolve typed targets to contacts and record reaches.

A target is a phone number in any format, ``id:N``, or a name (compared after
folding width, case and spaces).  Ambiguity is never resolved by guessing: a
name that fits several contacts is an error listing them with their ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from contact_notify.case import Case
from contact_notify.encoding import fallback_for
from contact_notify.errors import CaseError, InputDataError, UsageError
from contact_notify.model import Source, digits_only, name_key
from contact_notify.phones import looks_like_number, to_e164

_ID = re.compile(r"^(?:id:|#)(\d+)$", re.IGNORECASE)
MIN_SUFFIX_DIGITS = 7


@dataclass(frozen=True)
class Target:
    """One thing to mark, with where it was written (a file line) if anywhere."""

    text: str
    origin: Source | None = None

    def __str__(self) -> str:
        return f"{self.origin}: {self.text}" if self.origin else self.text


@dataclass
class MarkReport:
    """What a mark or unmark did."""

    marked: list[tuple[int, str, Target]] = field(default_factory=list)
    repeated: list[tuple[str, Target]] = field(default_factory=list)
    not_found: list[Target] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)


def parse_when(text: str | None) -> str:
    """``--at``: a date or date and time (ISO 8601, local time unless an offset is given)."""
    if text is None or text.strip().lower() == "now":
        return datetime.now().astimezone().isoformat(timespec="seconds")
    value = text.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--at {text!r} is not a date or time",
            hint="write it as 2026-11-27 or '2026-11-27 21:30'",
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def read_targets(path: Path, region: str, label: str | None = None) -> list[Target]:
    """One target per line of a text file; blank lines and ``#`` comments are skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaseError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode(fallback_for(region), errors="replace")
    targets = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            targets.append(Target(stripped, Source(label or str(path), number)))
    return targets


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


def resolve_one(case: Case, target: Target, region: str) -> int:
    """The one contact a target means; an error when it means none or several."""
    ids = resolve(case, target, region)
    if not ids:
        raise InputDataError(
            f"no contact matches {target}",
            hint="see the names and numbers with: contact-notify contacts",
        )
    if len(ids) > 1:
        raise _ambiguous(case, target, ids)
    return ids[0]


def _ambiguous(case: Case, target: Target, ids: list[int]) -> InputDataError:
    lines = []
    for contact_id in ids:
        stored = case.contact(contact_id)
        numbers = ", ".join(p.e164 or p.raw for p in stored.contact.phones) or "no number"
        lines.append(f"id:{contact_id} {stored.name} ({numbers})")
    return InputDataError(
        f"{target} matches {len(ids)} contacts: " + "; ".join(lines),
        hint=f"nothing was changed; mark one of them by number or id, e.g. contact-notify mark id:{ids[0]}",
    )


def mark(
    case: Case,
    targets: Iterable[Target],
    *,
    region: str,
    at: str,
    by: str = "",
    note: str = "",
    source: str = "typed",
) -> MarkReport:
    """Record a reach for every contact the targets name (the caller holds the transaction)."""
    report = MarkReport()
    done: dict[int, str] = {}
    collector = (to_e164(by, region) or by.strip()) if by else ""
    for target in targets:
        ids = resolve(case, target, region)
        if not ids:
            report.not_found.append(target)
            continue
        if len(ids) > 1:
            raise _ambiguous(case, target, ids)
        contact_id = ids[0]
        name = case.contact(contact_id).name
        if contact_id in done:
            report.repeated.append((name, target))
            continue
        done[contact_id] = name
        case.add_reach(contact_id, at, collector, note, source)
        report.marked.append((contact_id, name, target))
    return report


def unmark(case: Case, targets: Iterable[Target], *, region: str) -> MarkReport:
    """Remove every reach record of the contacts the targets name."""
    report = MarkReport()
    for target in targets:
        ids = resolve(case, target, region)
        if not ids:
            report.not_found.append(target)
            continue
        if len(ids) > 1:
            raise _ambiguous(case, target, ids)
        name = case.contact(ids[0]).name
        report.removed[name] = report.removed.get(name, 0) + case.delete_reaches(ids[0])
    return report

"""Marking who was reached: resolve typed targets to contacts and record reaches.

A target is a phone number in any format, ``id:N``, or a name (compared after
folding width, case and spaces).  Ambiguity is never resolved by guessing: a
name that fits several contacts is an error listing them with their ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from contact_notify.behaviours import ordered
from contact_notify.errors import InputDataError
from contact_notify.i18n import _
from contact_notify.model import Reach, digits_only, name_key
from contact_notify.phones import looks_like_number, to_e164
from contact_notify.reach_input import Suggestion, Target, fingerprint
from contact_notify.store import Case

_ID = re.compile(r"^(?:id:|#)(\d+)$", re.IGNORECASE)
MIN_SUFFIX_DIGITS = 7


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
    behaviours: tuple[str, ...] = ()  # what the collector did (keys of contact_notify.behaviours)
    accepted: tuple[Suggestion, ...] = ()  # behaviours suggested by pasted text, confirmed
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
    reach_of: dict[int, tuple[int, str]] = field(default_factory=dict)  # contact -> (reach, name)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    updated: list[tuple[str, Target, int]] = field(default_factory=list)


class Names:
    """The case's contacts by folded name (:func:`name_key`), read once when first needed.

    Marking a list of names looks each one up here instead of reading every
    contact again for each target: a mark of N names from a case of M contacts
    costs M + N, not M × N.
    """

    def __init__(self, case: Case) -> None:
        self._case = case
        self._by_key: dict[str, list[int]] | None = None

    @property
    def by_key(self) -> dict[str, list[int]]:
        """Contact ids (lowest first) by folded name."""
        if self._by_key is None:
            self._by_key = {}
            for contact_id, name in sorted(self._case.contact_names()):
                self._by_key.setdefault(name_key(name), []).append(contact_id)
        return self._by_key


# Targets that match nobody get "did you mean" names, the first this many of them: finding
# names like a target reads every name, and a list of thousands of unknown names would
# otherwise read the whole case once for each.
SUGGESTED_TARGETS = 20


def resolve(case: Case, target: Target, region: str, names: Names | None = None) -> list[int]:
    """The ids of the contacts a target means (empty when none, several when ambiguous).

    ``names``: the index of names to look in (one for a whole list of targets).
    """
    text = target.text.strip()
    by_id = _ID.match(text)
    if by_id:
        wanted = int(by_id.group(1))
        return [wanted] if case.has_contact(wanted) else []
    if looks_like_number(text):
        e164 = to_e164(text, region)
        if e164:
            return case.contact_ids_by_phone_key(e164)
        digits = digits_only(text)
        found = case.contact_ids_by_phone_key(digits)
        if not found and len(digits) >= MIN_SUFFIX_DIGITS:
            found = case.contact_ids_by_digits_suffix(digits)
        return found
    return list((names or Names(case)).by_key.get(name_key(text), []))


def suggest(case: Case, text: str, limit: int = 3, names: Names | None = None) -> list[str]:
    """Contacts whose name contains the typed name (or the other way round): ``id:5 欧阳娜娜（…）``.

    Only a suggestion for the user to choose from: a name that is not exact is never marked.
    """
    key = name_key(text)
    if not key or looks_like_number(text):
        return []
    found = []
    for other, ids in (names or Names(case)).by_key.items():
        if other and (key in other or other in key):
            found += [(i, other) for i in ids]
    return [f"id:{i} {case.contact_name(i)}" for i, _key in sorted(found)[:limit]]


def resolve_one(case: Case, target: Target, region: str, command: str) -> int:
    """The one contact a target means; an error when it means none or several.

    ``command`` is the command being run (``sent``, ``history``…), which the
    hint for an ambiguous name repeats with an id.
    """
    contact_id = _match(case, target, region, command)
    if contact_id is None:
        close = suggest(case, target.text)
        raise InputDataError(
            _("no contact matches {target}").format(target=target),
            hint=_("did you mean: {names}").format(names="; ".join(close))
            if close
            else _("see the names and numbers with: contact-notify contacts"),
        )
    return contact_id


def _match(
    case: Case, target: Target, region: str, command: str, names: Names | None = None
) -> int | None:
    """The one contact a target means, None when it means none; an error when it means several."""
    ids = resolve(case, target, region, names)
    if len(ids) > 1:
        raise _ambiguous(case, target, ids, command)
    return ids[0] if ids else None


def _each_match(
    case: Case,
    targets: Iterable[Target],
    region: str,
    command: str,
    report: MarkReport,
    *,
    suggestions: bool = False,
) -> Iterable[tuple[Target, int]]:
    """Each target with the one contact it means, in order.

    A target that means nobody goes to ``report.not_found`` (and names like it to
    ``report.suggestions``, if wanted); one that means several stops the command,
    the hint repeating ``command``.
    """
    names = Names(case)
    for target in targets:
        contact_id = _match(case, target, region, command, names)
        if contact_id is not None:
            yield target, contact_id
            continue
        report.not_found.append(target)
        if suggestions and len(report.suggestions) < SUGGESTED_TARGETS:
            report.suggestions[str(target)] = suggest(case, target.text, names=names)


def _ambiguous(case: Case, target: Target, ids: list[int], command: str) -> InputDataError:
    lines = []
    for contact_id in ids:
        stored = case.contact(contact_id)
        numbers = ", ".join(p.number for p in stored.contact.phones) or _("no number")
        lines.append(f"id:{contact_id} {stored.name} ({numbers})")
    return InputDataError(
        _("{target} matches {count} contacts: {contacts}").format(
            target=target, count=len(ids), contacts="; ".join(lines)
        ),
        hint=_(
            "nothing was changed; name one of them by number or id, e.g. "
            "contact-notify {command} id:{id}"
        ).format(command=command, id=ids[0]),
    )


def mark(case: Case, targets: Iterable[Target], *, region: str, details: Details) -> MarkReport:
    """Record a reach for every contact the targets name (the caller holds the transaction).

    A reach identical to one already recorded (same contact, time and channel,
    nothing new) is not recorded twice, so running the same mark again does
    not inflate the evidence; new collector numbers, an organisation or a note
    for the same time and channel are added to that record instead.
    """
    report = MarkReport()
    done: set[int] = set()
    prints = [fingerprint(path) for path in details.attachments]
    for target, contact_id in _each_match(case, targets, region, "mark", report, suggestions=True):
        name = case.contact_name(contact_id)
        if contact_id in done and not target.has_details:
            report.repeated.append((name, target))
            continue
        done.add(contact_id)
        outcome, reach_id = _record(case, contact_id, target, details, prints, region)
        report.reach_of.setdefault(contact_id, (reach_id, name))
        if outcome == "already":
            report.already.append((name, target, reach_id))
            continue
        if outcome == "updated":
            report.updated.append((name, target, reach_id))
        else:
            report.marked.append((contact_id, name, target))
        report.reach_ids.append(reach_id)
    return report


def _record(
    case: Case,
    contact_id: int,
    target: Target,
    details: Details,
    prints: list[tuple[str, int, str]],
    region: str,
) -> tuple[str, int]:
    """Record one target's reach of a contact; the outcome and the reach's id.

    "marked": a new reach; "updated": new collector numbers, files, organisation
    or a note added to the same reach recorded before; "already": that reach
    again with nothing new, left as it was.
    """
    at = target.at or details.at
    channel = target.channel or details.channel
    numbers = list(target.numbers or details.numbers)
    org = target.org if target.org is not None else details.org
    note = target.note if target.note is not None else details.note
    behaviours = ordered(
        (
            *details.behaviours,
            *target.behaviours,
            *(s.behaviour for s in details.accepted if s.concerns(contact_id)),
        )
    )
    # The same reach again: an explicit time of day, the same channel, and no note or
    # organisation that says otherwise. A date alone is not enough: one day can hold
    # several calls, and losing one would weaken the evidence.
    explicit = (target.at is not None or details.at_given) and len(at) > 10
    same = case.find_reach(contact_id, at, channel) if explicit else None
    if same is not None and (note not in ("", same.note) or org not in ("", same.org)):
        same = None
    if same is not None:
        added = _add_to(case, same, numbers, behaviours, prints, org, note)
        return ("updated" if added else "already"), same.id
    reach_id = case.add_reach(
        contact_id,
        at,
        numbers,
        channel=channel,
        org=org,
        note=note,
        source=details.source,
        contact_number=reached_number(target.text, region),
        behaviours=behaviours,
    )
    for path, size, sha in prints:
        case.add_attachment(reach_id, path, size, sha)
    return "marked", reach_id


def add_to_records(case: Case, records: Iterable[int], details: Details) -> MarkReport:
    """Add collector numbers, behaviours, evidence files, an organisation or a note to reach
    records already made, by their ids (``mark --record N``); no reach is added.

    The organisation and note fill in only what a record left empty.  A record
    that gains nothing is reported as already recorded.
    """
    report = MarkReport()
    prints = [fingerprint(path) for path in details.attachments]
    for record in dict.fromkeys(records):
        reach = _existing(case, record)
        name = case.contact_name(reach.contact_id)
        added = _add_to(
            case, reach, details.numbers, details.behaviours, prints, details.org, details.note
        )
        (report.updated if added else report.already).append((name, Target(name), record))
        if added:
            report.reach_ids.append(record)
    return report


def _existing(case: Case, record: int) -> Reach:
    """The reach record with this id; an error naming the command that lists them if none."""
    reach = case.reach(record)
    if reach is None:
        raise InputDataError(
            _("there is no reach record {record}").format(record=record),
            hint=_("see the records with: contact-notify history TARGET"),
        )
    return reach


def _add_to(
    case: Case,
    reach: Reach,
    numbers: Iterable[str],
    behaviours: Iterable[str],
    prints: list[tuple[str, int, str]],
    org: str,
    note: str,
) -> bool:
    """Add to a reach record what it does not hold yet: collector numbers, behaviours, evidence
    files, and an organisation or note where it has none.  False when nothing was new."""
    new = [n for n in numbers if n not in reach.numbers]
    new_behaviours = [b for b in behaviours if b not in reach.behaviours]
    recorded = case.attachment_hashes(reach.id)
    new_files = [p for p in prints if p[2] not in recorded]
    fills = (org and not reach.org) or (note and not reach.note)
    if not (new or new_behaviours or new_files or fills):
        return False
    case.update_reach(reach.id, new, org, note)
    case.add_behaviours(reach.id, new_behaviours)
    for path, size, sha in new_files:
        case.add_attachment(reach.id, path, size, sha)
    return True


def reached_number(text: str, region: str) -> str:
    """The contact's number a target names (E.164), when the target is a number."""
    return (to_e164(text, region) or "") if looks_like_number(text) else ""


def unmark(
    case: Case, targets: Iterable[Target], *, region: str, records: Iterable[int] = ()
) -> MarkReport:
    """Remove every reach record of the contacts the targets name, and the records given by id."""
    report = MarkReport()
    for record in records:
        name = case.contact_name(_existing(case, record).contact_id)
        case.delete_reach(record)
        report.removed[name] = report.removed.get(name, 0) + 1
    for _target, contact_id in _each_match(case, targets, region, "unmark", report):
        name = case.contact_name(contact_id)
        report.removed[name] = report.removed.get(name, 0) + case.delete_reaches(contact_id)
    return report

"""Who was reached: mark, unmark, a contact's history, evidence files, the collectors' numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session, case_region, changes
from contact_notify.errors import InputDataError, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.marking import MarkReport
    from contact_notify.model import Attachment, Collector, Reach, StoredContact
    from contact_notify.reach_input import Suggestion, Target, UnknownNumbers
    from contact_notify.store import Case


def _targets(
    typed: Sequence[str],
    file: Path | None,
    region: str,
    *,
    required: bool,
    label: str | None = None,
) -> tuple[list[Target], str]:
    """The targets typed and read from a file, and where they came from (typed or file)."""
    from contact_notify.reach_input import Target, read_targets

    if any(not t.strip() for t in typed):
        raise UsageError(_("an empty target was given"), hint=_("give a number, a name or id:N"))
    targets = [Target(t) for t in typed]
    source = "typed"
    if file is not None:
        targets += read_targets(file, region, label)
        source = "file"
    if not targets and required:
        raise UsageError(
            _("nothing to mark: give numbers or names, or --file"),
            hint=_("contact-notify mark 13800138000"),
        )
    return targets, source


@dataclass(frozen=True)
class Suggested:
    """A behaviour pasted text suggests, with the names of the contacts it is for."""

    suggestion: Suggestion
    names: tuple[str, ...]  # the contacts whose numbers stand near the words
    everyone: bool  # for every contact this mark records


@dataclass(frozen=True)
class Marked:
    """What a mark did (or, dry, would do), and the numbers of nobody found in pasted text."""

    report: MarkReport
    unknown: UnknownNumbers  # probably the collectors' numbers (bounded: the most written)
    at: str  # the time recorded, for the hint that adds a number to the same reach
    dry_run: bool
    suggested: tuple[Suggested, ...] = ()  # behaviours the pasted text suggests
    accepted: bool = False  # whether they were recorded (or, dry, would be)
    # When not accepted: each reach recorded, its contact, and the behaviours suggested for it,
    # which ``mark --record N --did …`` adds later (none for a dry run: its records are undone).
    unrecorded: tuple[tuple[int, str, tuple[str, ...]], ...] = ()


# How a front confirms behaviours suggested by pasted text: shown them, it answers yes or no.
Confirm = Callable[[Sequence[Suggested]], bool]


def _suggested(case: Case, suggestions: Sequence[Suggestion]) -> tuple[Suggested, ...]:
    """The suggestions with the names of the contacts they concern."""
    names: dict[int, str] = {}

    def name(contact_id: int) -> str:
        if contact_id not in names:
            names[contact_id] = case.contact_name(contact_id)
        return names[contact_id]

    return tuple(
        Suggested(s, tuple(sorted(name(i) for i in s.contacts)), s.everyone) for s in suggestions
    )


def mark(
    session: Session,
    targets: Sequence[str] = (),
    *,
    file: Path | None = None,
    text: Path | None = None,
    at: str | None = None,
    channel: str = "call",
    by: Sequence[str] = (),
    org: str = "",
    note: str = "",
    attach: Sequence[Path] = (),
    did: Sequence[str] = (),
    accept: bool | Confirm = False,
    records: Sequence[int] = (),
    dry_run: bool = False,
    text_label: str | None = None,
    file_label: str | None = None,
) -> Marked:
    """Record that collectors reached the contacts these targets name.

    Targets come typed, from a file (lines or a CSV with details), and from
    pasted text (every contact's number in it); the reach's ``source`` says
    which: ``text`` only when the pasted text is all there is.  ``did``: what
    the collector did (behaviours in English or Chinese).  Behaviours the
    pasted text suggests are recorded only when ``accept`` is True, or is a
    front's question (shown them before anything is written) answered yes.
    ``records``: instead of targets, reach records already made, to which the
    collector numbers, behaviours, files, organisation or note are added.
    ``text_label`` and ``file_label`` name the pasted text and the targets file in
    sources and warnings (the app's text box and upload), else their paths.
    """
    from contact_notify.behaviours import parse_all
    from contact_notify.marking import Details
    from contact_notify.marking import mark as mark_targets
    from contact_notify.reach_input import (
        UnknownNumbers,
        check_channel,
        collector_number,
        parse_when,
        read_text_targets,
    )

    behaviours, when, how = parse_all(did), parse_when(at), check_channel(channel)
    if accept is True and text is None:
        raise UsageError(
            _("--accept records what --text suggests; no --text was given"),
            hint=_("give the pasted text with --text FILE, or leave out --accept"),
        )
    if records:
        return _add_to_records(session, records, targets, file, text, at, by, org, note, attach,
                               behaviours, dry_run)  # fmt: skip
    with session.open(writes=True) as case:
        region = case_region(case)
        items, source = _targets(targets, file, region, required=text is None, label=file_label)
        numbers = tuple(collector_number(n, region) for n in by)
        unknown = UnknownNumbers()
        suggestions: tuple[Suggestion, ...] = ()
        if text is not None:
            found = read_text_targets(text, case, region, collectors=numbers, label=text_label)
            items += found.targets
            unknown, suggestions = found.unknown, found.suggestions
            source = "text" if file is None and not targets else source
        suggested = _suggested(case, suggestions)
        accepted = bool(suggested) and (accept(suggested) if callable(accept) else accept)
        details = Details(
            at=when, channel=how, numbers=numbers, org=org,
            note=note, source=source, attachments=tuple(attach), behaviours=behaviours,
            accepted=suggestions if accepted else (), at_given=at is not None,
        )  # fmt: skip
        with changes(case, "mark", dry_run=dry_run):
            report = mark_targets(case, items, region=region, details=details)
    unrecorded: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    if suggestions and not accepted and not dry_run:
        unrecorded = tuple(
            (reach, name, tuple(s.behaviour for s in suggestions if s.concerns(contact_id)))
            for contact_id, (reach, name) in report.reach_of.items()
            if any(s.concerns(contact_id) for s in suggestions)
        )
    return Marked(report, unknown, details.at, dry_run, suggested, accepted, unrecorded)


def _add_to_records(
    session: Session,
    records: Sequence[int],
    targets: Sequence[str],
    file: Path | None,
    text: Path | None,
    at: str | None,
    by: Sequence[str],
    org: str,
    note: str,
    attach: Sequence[Path],
    behaviours: tuple[str, ...],
    dry_run: bool,
) -> Marked:
    """``mark --record N``: add details to reach records already made."""
    from contact_notify.marking import Details, add_to_records
    from contact_notify.reach_input import UnknownNumbers, collector_number

    if targets or file is not None or text is not None or at is not None:
        raise UsageError(
            _("--record adds to a reach already recorded: it takes no targets, --file, --text "
              "or --at"),
            hint=_("contact-notify mark --record 3 --did 辱骂"),
        )  # fmt: skip
    with session.open(writes=True) as case:
        region = case_region(case)
        details = Details(
            at="", numbers=tuple(collector_number(n, region) for n in by), org=org, note=note,
            attachments=tuple(attach), behaviours=behaviours,
        )  # fmt: skip
        with changes(case, "mark", dry_run=dry_run):
            report = add_to_records(case, records, details)
    return Marked(report, UnknownNumbers(), "", dry_run)


def unmark(
    session: Session,
    targets: Sequence[str] = (),
    *,
    file: Path | None = None,
    records: Sequence[int] = (),
) -> MarkReport:
    """Remove every reach record of the contacts named, and single records by id."""
    from contact_notify.marking import unmark as unmark_targets

    with session.open(writes=True) as case:
        region = case_region(case)
        items, _source = _targets(targets, file, region, required=not records)
        with changes(case, "unmark"):
            return unmark_targets(case, items, region=region, records=records)


@dataclass(frozen=True)
class Evidence:
    """An evidence file recorded with a reach, and whether it is as it was then."""

    attachment: Attachment
    state: str  # unchanged, changed or missing


@dataclass(frozen=True)
class History:
    """One contact's reach records, oldest first, each with its evidence files."""

    stored: StoredContact
    reaches: list[Reach]
    evidence: dict[int, list[Evidence]]  # by reach id


def history(session: Session, target: str) -> History:
    """Every reach record of one contact, with the evidence files checked against their hash."""
    from contact_notify.marking import resolve_one
    from contact_notify.reach_input import Target, attachment_state

    with session.open() as case:
        contact_id = resolve_one(case, Target(target), case_region(case), "history")
        stored = case.contact(contact_id)
        reaches = case.reaches(contact_id)
        attachments = case.attachments()
    evidence = {
        r.id: [
            Evidence(a, attachment_state(a.path, a.size, a.sha256))
            for a in attachments.get(r.id, [])
        ]
        for r in reaches
    }
    return History(stored, reaches, evidence)


@dataclass(frozen=True)
class Attached:
    """An evidence file recorded with a reach: where it is, its size and SHA-256."""

    record: int
    path: str
    size: int
    sha256: str


def attach(session: Session, record: int, files: Sequence[Path]) -> list[Attached]:
    """Record evidence files with a reach record (their path, size and hash; never copied)."""
    from contact_notify.reach_input import fingerprint

    prints = [fingerprint(f) for f in files]
    with session.open(writes=True) as case:
        if case.reach(record) is None:
            raise InputDataError(
                _("there is no reach record {record}").format(record=record),
                hint=_("see: contact-notify history TARGET"),
            )
        with changes(case, "attach"):
            for path, size, sha in prints:
                case.add_attachment(record, path, size, sha)
    return [Attached(record, path, size, sha) for path, size, sha in prints]


@dataclass(frozen=True)
class CollectorNumber:
    """A collector's number as the user would write it, with its record."""

    display: str
    collector: Collector


def collectors(session: Session) -> list[CollectorNumber]:
    """The collectors' numbers recorded with reaches, most used first."""
    from contact_notify.phones import display

    with session.open() as case:
        found = case.collectors()
        region = case_region(case)
    return [CollectorNumber(display(c.number, region), c) for c in found]


def evidence_folder(session: Session) -> Path:
    """A private folder beside the case for evidence files uploaded in the app (created)."""
    from contact_notify.fileio import private_dirs

    path = session.path
    folder = path.parent / f"{path.stem}-evidence"
    private_dirs(folder)
    return folder

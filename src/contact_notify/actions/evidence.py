"""The evidence kit and complaint drafts, written from the case's reach records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session
from contact_notify.errors import UsageError
from contact_notify.i18n import _
from contact_notify.rules import DEFAULT_MAX_PER_DAY, DEFAULT_NIGHT

if TYPE_CHECKING:
    from contact_notify.bundle import BundledFile
    from contact_notify.evidence import Evidence, Summary
    from contact_notify.store import Case

# What marks a blank the user must fill in, in each language's drafts.
BLANK_MARKS = ("【待填写", "[TO FILL IN")


def _collect(case: Case, night: str, mask: bool, max_per_day: int) -> Evidence:
    """The evidence from a case opened as for a write (``session.open(writes=True)``).

    The kit reads every reach record and the contact it belongs to, so it runs
    the checks of a writing command (SQLite's quick check and the foreign-key
    check): a reach whose contact is gone is refused as damage (exit 5), never
    left out of the evidence.
    """
    from contact_notify.evidence import Masker, collect, masked

    found = collect(case, night, max_per_day)
    return masked(found, Masker(case)) if mask else found


@dataclass(frozen=True)
class EvidenceWritten:
    """Where the evidence kit went, and its summary."""

    path: Path
    summary: Summary


def write_evidence(
    session: Session,
    out: Path,
    *,
    output_format: str | None = None,
    mask: bool = False,
    night: str = DEFAULT_NIGHT,
    max_per_day: int = DEFAULT_MAX_PER_DAY,
    force: bool = False,
) -> EvidenceWritten:
    """Write the timeline and summary as Markdown, CSV or one self-contained HTML page."""
    from contact_notify.evidence import FORMATS, RENDERERS
    from contact_notify.fileio import atomic_write

    chosen = FORMATS.choose(out, output_format)
    with session.open(writes=True) as case:  # checked as for a write: see _collect
        found = _collect(case, night, mask, max_per_day)
    atomic_write(out, RENDERERS[chosen](found).encode("utf-8"), force=force)
    return EvidenceWritten(out, found.summary)


def evidence_text(
    session: Session,
    *,
    output_format: str = "md",
    mask: bool = False,
    night: str = DEFAULT_NIGHT,
    max_per_day: int = DEFAULT_MAX_PER_DAY,
) -> tuple[str, Summary]:
    """The timeline and summary in a format (md, csv or html) without writing a file."""
    from contact_notify.evidence import RENDERERS

    if output_format not in RENDERERS:
        raise UsageError(
            _("unknown format {format}").format(format=repr(output_format)),
            hint=_("use md, csv or html"),
        )
    with session.open(writes=True) as case:  # checked as for a write: see _collect
        found = _collect(case, night, mask, max_per_day)
    return RENDERERS[output_format](found), found.summary


def complaint_kinds() -> dict[str, str]:
    """The kinds of complaint drafts (``--to``), each with where it goes, in the interface
    language (the names are written ``中文 (English)``)."""
    from contact_notify.complaints import KINDS
    from contact_notify.i18n import language

    def said(both: str) -> str:
        chinese, _sep, english = both.partition(" (")
        return chinese if language() == "zh" or not english else english.removesuffix(")")

    return {kind: said(both) for kind, both in KINDS.items()}


def complaint_text(session: Session, *, kind: str, lang: str = "zh", mask: bool = False) -> str:
    """A complaint draft's text, filled with the evidence, without writing a file."""
    from contact_notify.complaints import draft

    with session.open(writes=True) as case:  # checked as for a write: see _collect
        return draft(case, _collect(case, DEFAULT_NIGHT, mask, DEFAULT_MAX_PER_DAY), kind, lang)


def bundle_for_download(session: Session, *, mask: bool = False) -> BundleWritten:
    """The evidence bundle as a zip in the app's exports folder (beside the case), by time."""
    from contact_notify.actions.sending import new_download

    return write_bundle(session, new_download(session, "evidence", ".zip"), folder=False, mask=mask)


# The forms of the evidence bundle (see contact_notify.bundle), for --format.
BUNDLE_FORMS = ("zip", "folder")


def bundle_form(out: Path, output_format: str | None) -> str | None:
    """``zip`` or ``folder`` when ``evidence`` is to write a bundle, None for one timeline file.

    A bundle is a zip file when OUT ends in ``.zip`` or ``--format zip`` is given;
    a folder with ``--format folder``, or when OUT is an existing folder and no
    --format is given.  Any other --format is the timeline's (md, csv, html).
    """
    if output_format:
        return output_format if output_format in BUNDLE_FORMS else None
    if out.suffix.lower() == ".zip":
        return "zip"
    if out.is_dir():
        return "folder"
    return None


@dataclass(frozen=True)
class BundleWritten:
    """Where the evidence bundle went, its summary, and what it holds of the evidence files."""

    path: Path
    summary: Summary
    bundled: int  # evidence files copied into the bundle (changed ones included)
    changed: tuple[BundledFile, ...]  # copied, but not matching what was recorded: flagged
    missing: tuple[BundledFile, ...]  # not found: listed in the manifest, no copy
    masked: bool


def write_bundle(
    session: Session,
    out: Path,
    *,
    folder: bool,
    mask: bool = False,
    night: str = DEFAULT_NIGHT,
    max_per_day: int = DEFAULT_MAX_PER_DAY,
    force: bool = False,
) -> BundleWritten:
    """Write the evidence bundle: timeline, copies of the evidence files, manifest, README.

    The case is read first and closed before the files are copied (a recording
    may take a while).  A copy that no longer matches its recorded SHA-256 is in
    the bundle flagged "changed" and returned in ``changed``; the caller warns.
    """
    from contact_notify.bundle import Source, write
    from contact_notify.evidence import Masker

    with session.open(writes=True) as case:  # checked as for a write: see _collect
        found = _collect(case, night, mask, max_per_day)
        masker = Masker(case) if mask else None
        times = {reach.id: reach.at for reach in case.reaches()}
        sources = [
            Source(attachment, times.get(reach_id, ""))
            for reach_id, attached in case.attachments().items()
            for attachment in attached
        ]
    sources.sort(key=lambda s: s.attachment.id)
    bundle = write(out, found, sources, folder=folder, masker=masker, force=force)
    return BundleWritten(
        out, found.summary, len(bundle.copied), bundle.changed, bundle.missing, masked=mask
    )


@dataclass(frozen=True)
class ComplaintWritten:
    """Where the draft went, and how many blanks it leaves to fill in."""

    path: Path
    blanks: int


def write_complaint(
    session: Session,
    out: Path,
    *,
    kind: str,
    lang: str = "zh",
    mask: bool = False,
    night: str = DEFAULT_NIGHT,
    max_per_day: int = DEFAULT_MAX_PER_DAY,
    force: bool = False,
) -> ComplaintWritten:
    """Write an editable complaint draft filled with the evidence and the user's details."""
    from contact_notify.complaints import draft
    from contact_notify.fileio import atomic_write

    with session.open(writes=True) as case:  # checked as for a write: see _collect
        text = draft(case, _collect(case, night, mask, max_per_day), kind, lang)
    atomic_write(out, text.encode("utf-8"), force=force)
    return ComplaintWritten(out, sum(text.count(mark) for mark in BLANK_MARKS))

"""The evidence kit and complaint drafts, written from the case's reach records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session

if TYPE_CHECKING:
    from contact_notify.evidence import Evidence, Summary
    from contact_notify.store import Case

# What marks a blank the user must fill in, in each language's drafts.
BLANK_MARKS = ("【待填写", "[TO FILL IN")


def _collect(case: Case, night: str, mask: bool) -> Evidence:
    """The evidence from a case opened as for a write (``session.open(writes=True)``).

    The kit reads every reach record and the contact it belongs to, so it runs
    the checks of a writing command (SQLite's quick check and the foreign-key
    check): a reach whose contact is gone is refused as damage (exit 5), never
    left out of the evidence.
    """
    from contact_notify.evidence import Masker, collect, masked

    found = collect(case, night)
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
    night: str = "21:00-08:00",
    force: bool = False,
) -> EvidenceWritten:
    """Write the timeline and summary as Markdown, CSV or one self-contained HTML page."""
    from contact_notify.evidence import FORMATS, RENDERERS
    from contact_notify.fileio import atomic_write

    chosen = FORMATS.choose(out, output_format)
    with session.open(writes=True) as case:  # checked as for a write: see _collect
        found = _collect(case, night, mask)
    atomic_write(out, RENDERERS[chosen](found).encode("utf-8"), force=force)
    return EvidenceWritten(out, found.summary)


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
    night: str = "21:00-08:00",
    force: bool = False,
) -> ComplaintWritten:
    """Write an editable complaint draft filled with the evidence and the user's details."""
    from contact_notify.complaints import draft
    from contact_notify.fileio import atomic_write

    with session.open(writes=True) as case:  # checked as for a write: see _collect
        text = draft(case, _collect(case, night, mask), kind, lang)
    atomic_write(out, text.encode("utf-8"), force=force)
    return ComplaintWritten(out, sum(text.count(mark) for mark in BLANK_MARKS))

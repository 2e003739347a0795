"""What the command line shows: tables, summaries, CSV/JSON listings of the actions' results.

No typer here: functions return strings or lines and the commands print them.
They only format; every decision was made by the action that returned the data.

Everything meant for the terminal passes through :func:`terminal_line` (or
:func:`terminal_block` for a message body): a value from a file never reaches
the terminal with a control character, a line break of its own or a bidi
override in it (see :mod:`contact_notify.textsafe`).  The JSON forms are
escaped by JSON itself and stay exact.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from contact_notify import textsafe
from contact_notify.csvsafe import write_csv

if TYPE_CHECKING:
    from contact_notify.actions.contacts import ContactView
    from contact_notify.actions.reaches import CollectorNumber, History
    from contact_notify.exporters import ExportResult
    from contact_notify.importer import ImportReport, Inspection, Notes
    from contact_notify.marking import MarkReport
    from contact_notify.messages import Message
    from contact_notify.model import Contact, Phone, StoredContact
    from contact_notify.reach_input import UnknownNumbers
    from contact_notify.render import TemplateInfo
    from contact_notify.store import Counts


def terminal_line(text: str) -> str:
    """One line for the terminal: every control character, line break and bidi control visible.

    The one rule for terminal text; the CLI's own lines that carry a value use it too.
    """
    return textsafe.line(text)


def terminal_block(text: str) -> str:
    """Several lines for the terminal (a message body): as :func:`terminal_line`, line feeds kept."""
    return textsafe.block(text)


def _shown(lines: Sequence[str]) -> list[str]:
    """Lines for the terminal, each one line with every control character made visible."""
    return [terminal_line(text) for text in lines]


def width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """Left-align a text in a number of terminal columns."""
    return text + " " * max(0, columns - width(text))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A simple aligned table, one space-separated line per row, every cell made safe to show."""
    header = [terminal_line(h) for h in header]
    rows = [[terminal_line(c) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        "  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _phones(stored: StoredContact) -> str:
    return ", ".join(
        (p.e164 or f"{p.raw} (not valid)") + (f" [{p.label}]" if p.label else "")
        for p in stored.contact.phones
    )


def _reached(stored: StoredContact) -> str:
    if stored.last_reach is None:
        return ""
    return f"{stored.last_reach.at[:16].replace('T', ' ')} (x{stored.reach_count})"


def contacts_table(contacts: Sequence[StoredContact]) -> str:
    """The ``contacts`` listing as a table."""
    rows = [
        (f"{s.id}", s.name, _phones(s), ", ".join(s.contact.groups), _reached(s)) for s in contacts
    ]
    return table(("id", "name", "phones", "groups", "reached"), rows)


def _names(c: Contact) -> dict[str, object]:
    """The name fields both JSON listings share (contacts and inspect)."""
    return {
        "name": c.name, "family": c.family, "given": c.given, "nickname": c.nickname, "org": c.org
    }  # fmt: skip


def _numbers(c: Contact) -> list[dict[str, object]]:
    return [{"raw": p.raw, "e164": p.e164, "label": p.label} for p in c.phones]


def _contact_record(s: StoredContact) -> dict[str, object]:
    c = s.contact
    return {
        "id": s.id,
        **_names(c),
        "name": s.name,
        "groups": c.groups,
        "phones": _numbers(c),
        "emails": c.emails,
        "source": str(c.source) if c.source else None,
        "reach_count": s.reach_count,
        "last_reached": s.last_reach.at if s.last_reach else None,
        "exported": s.exported,
    }


def contacts_json(contacts: Sequence[StoredContact]) -> str:
    """The ``contacts`` listing as a JSON array."""
    return json.dumps([_contact_record(s) for s in contacts], ensure_ascii=False, indent=2)


def contacts_csv(contacts: Sequence[StoredContact]) -> str:
    """The ``contacts`` listing as CSV (without the last row's line end: the CLI prints one).

    A listing for the screen or a pipe: values show control characters as
    escapes, as every terminal line does (``--format json`` gives them exactly);
    cells are formula-safe and quoted by the one CSV writer.
    """
    rows: list[Sequence[str]] = [("id", "name", "phones", "groups", "reach_count", "last_reached")]
    for s in contacts:
        cells = (
            str(s.id),
            s.name,
            " ; ".join(p.e164 or p.raw for p in s.contact.phones),
            " ; ".join(s.contact.groups),
            str(s.reach_count),
            s.last_reach.at if s.last_reach else "",
        )
        rows.append([terminal_line(c) for c in cells])
    return write_csv(rows).removesuffix("\r\n")


def import_summary(report: ImportReport) -> list[str]:
    """The lines an import prints: per file, then totals."""
    lines = []
    for f in report.files:
        unit = "cards" if f.kind == "vcard" else "rows"
        lines.append(f"{f.source}: {f.records} {unit} read (encoding: {f.encoding or 'utf-8'})")
    lines.append(
        f"contacts added: {report.added}, merged: {report.merged}, "
        f"already in the case: {report.unchanged}, skipped: {report.skipped}, "
        f"numbers not valid: {report.invalid_notes.count}"
    )
    return _shown(lines)


def _notes(prefix: str, notes: Notes) -> list[str]:
    """The notes kept, each naming file and line, then one line counting the rest."""
    lines = [prefix + text for text in notes.kept]
    if notes.more:
        lines.append(
            f"{prefix}… and {notes.more:,} more like this (the last at {notes.last}); "
            f"{notes.count:,} in all"
        )
    return lines


def import_details(report: ImportReport) -> list[str]:
    """Warnings, merges and invalid numbers: the first few of each kind, then a count."""
    lines = [str(issue) for issue in report.issues]
    lines += _notes("merged: ", report.merge_notes)
    lines += _notes("note: ", report.shared_notes)
    lines += _notes("number not valid (kept as written): ", report.invalid_notes)
    return _shown(lines)


def mark_lines(report: MarkReport, dry_run: bool = False) -> list[str]:
    """What a mark did, then what it could not find."""
    verb = "would mark" if dry_run else "marked"
    lines = [f"{verb}: {name} ({target})" for _, name, target in report.marked]
    lines += [f"added to record {n}: {name} ({target})" for name, target, n in report.updated]
    lines += [
        f"already recorded (record {n}): {name} ({target})" for name, target, n in report.already
    ]
    lines += [f"already marked above: {name} ({target})" for name, target in report.repeated]
    return _shown(lines)


def not_found_lines(report: MarkReport) -> list[str]:
    """Targets that matched no contact."""
    lines = []
    for target in report.not_found:
        close = report.suggestions.get(str(target))
        hint = f"; did you mean: {'; '.join(close)}" if close else ""
        lines.append(f"no contact matches {target}{hint}")
    return _shown(lines)


def _parts(m: Message) -> str:
    if m.segments is None:
        return ""
    plural = "s" if m.segments.parts != 1 else ""
    return f" · {m.segments.parts} SMS part{plural}"


def preview(messages: Sequence[Message]) -> str:
    """Each message under a rule naming the contact, number, template (and why) and SMS parts."""
    blocks = []
    total = len(messages)
    for n, m in enumerate(messages, 1):
        if m.channel == "email":
            to = m.email or "no e-mail address"
        elif not m.phone_valid:
            to = f"{m.phone or 'no number'} (not a valid number)"
        elif m.channel == "sms" and not m.mobile:
            to = f"{m.phone} (not a mobile number: no SMS)"
        else:
            to = m.phone
        why = f" ({m.reason})" if m.reason else ""
        head = terminal_line(f"--- {n}/{total} {m.name} · {to} · {m.template}{why}{_parts(m)}")
        subject = f"Subject: {terminal_line(m.subject)}\n\n" if m.channel == "email" else ""
        blocks.append(f"{head}\n{subject}{terminal_block(m.body)}")
    parts = sum(m.segments.parts for m in messages if m.segments is not None)
    summary = f"{total} message{'s' if total != 1 else ''}"
    if any(m.segments is not None for m in messages):
        summary += f", {parts} SMS part{'s' if parts != 1 else ''} in all"
    return "\n".join(blocks) + "\n" + summary


def length_warnings(messages: Sequence[Message], limit: int) -> list[str]:
    """One warning per SMS over the part limit."""
    return _shown(
        [
            f"warning: the message to {m.name} takes {m.segments.parts} SMS parts (limit {limit})"
            for m in messages
            if m.segments is not None
        ]
    )


def status_lines(counts: Counts) -> list[str]:
    """The ``status`` summary."""
    return _shown(
        [
            f"contacts:          {counts.contacts}",
            f"  no valid number: {counts.without_valid_number}",
            f"reached:           {counts.reached}",
            f"  reach records:   {counts.reaches}"
            + (
                f", latest {_when(counts.latest_reach.at)} {counts.latest_reach.name}"
                if counts.latest_reach
                else ""
            ),
            f"sent:              {counts.sent}",
            f"still to notify:   {counts.pending}",
            f"  exported, not marked sent:          {counts.exported_unsent}",
            f"  reached again since their message:  {counts.reached_again}",
        ]
    )


def inspect_json(inspection: Inspection) -> str:
    """The stable JSON form of ``inspect`` (documented in docs/inspect.md)."""
    f = inspection.file
    document = {
        "file": f.source,
        "kind": f.kind,
        "encoding": f.encoding,
        "records": f.records,
        "contacts": [
            {
                **_names(c),
                "phones": _numbers(c),
                "emails": c.emails,
                "groups": c.groups,
                "source": {"file": c.source.file, "line": c.source.line} if c.source else None,
            }
            for c in inspection.contacts
        ],
        "warnings": [
            {"line": i.source.line, "reason": i.reason, "skipped": i.skipped} for i in f.issues
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def inspect_table(inspection: Inspection) -> str:
    """The ``inspect`` table: one row per number, then warnings and the encoding."""
    rows = []
    for c in inspection.contacts:
        line = str(c.source.line) if c.source else ""
        phones: list[Phone | None] = [*c.phones] or [None]
        for n, p in enumerate(phones):
            number = "" if p is None else (p.e164 or f"{p.raw} (not valid)")
            label = "" if p is None else p.label
            first = n == 0
            rows.append(
                (
                    line if first else "",
                    c.display_name if first else "",
                    number,
                    label,
                    ", ".join(c.groups) if first else "",
                )
            )
    lines = [str(issue) for issue in inspection.file.issues]
    unit = "cards" if inspection.file.kind == "vcard" else "rows"
    lines.append(
        f"{inspection.file.source}: {inspection.file.records} {unit}, "
        f"{len(inspection.contacts)} contacts, encoding: {inspection.file.encoding or 'utf-8'}"
    )
    return "\n".join([table(("line", "name", "number", "label", "groups"), rows), *_shown(lines)])


def templates_table(templates: Sequence[TemplateInfo]) -> str:
    """The ``templates list`` table."""
    rows = [(t.name, t.lang, t.channel, t.relationship, t.description) for t in templates]
    return table(("name", "lang", "channel", "relationship", "description"), rows)


def contact_lines(view: ContactView) -> list[str]:
    """One contact: names, numbers, groups, how messages address them and which template."""
    stored = view.stored
    return _shown(
        [
            f"id:{stored.id} {stored.name}",
            f"  numbers:    {_phones(stored) or '-'}",
            f"  groups:     {', '.join(stored.contact.groups) or '-'}",
            f"  salutation: {view.salutation}"
            + (" (from the name)" if view.salutation_from_name else ""),
            f"  template:   {view.template} ({view.reason})",
            f"  reached:    {_reached(stored) or 'no'}",
        ]
    )


def _times(n: int, noun: str) -> str:
    """``1 number``, ``2,345 numbers``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def unknown_number_lines(found: UnknownNumbers, at: str) -> list[str]:
    """Numbers found in pasted text that belong to no contact: probably the collectors'.

    The most written come first, each with the command that adds it to the
    reach just recorded (it names the same time, so no second reach is made);
    the others are one line with their count.  Then where the text had to be
    cut so that a number may have been missed, the first few, then a count.
    """
    lines = [
        f"probable collector number (not in your contacts): {n.raw}"
        + (f" (written {n.count:,} times)" if n.count > 1 else "")
        + f"; add it to the reach with: contact-notify mark CONTACT --at '{at}' --by {n.e164}"
        for n in found.shown
    ]
    if found.others:
        lines.append(
            f"… and {_times(found.others, 'more number')} not in your contacts, written "
            f"{_times(found.other_mentions, 'time')} in all (those above are written most often)"
        )
    lines += [
        f"warning: {where}: a long stretch with no line break, word or number was cut here to be "
        "searched; a number written across the cut may have been missed"
        for where in found.missed
    ]
    if found.missed_count > len(found.missed):
        lines.append(
            f"warning: … and {_times(found.missed_count - len(found.missed), 'more cut')} "
            "like this in the same text"
        )
    return _shown(lines)


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def history_lines(found: History) -> list[str]:
    """A contact's reach records, oldest first, with evidence files and their state."""
    stored = found.stored
    lines = [f"id:{stored.id} {stored.name}: {len(found.reaches)} reach record(s)"]
    for r in found.reaches:
        numbers = ", ".join(r.numbers) or "number unknown"
        extra = "".join(
            f"; {label} {value}" for label, value in (("org", r.org), ("note", r.note)) if value
        )
        lines.append(
            f"  record {r.id}: {_when(r.at)} {r.channel} from {numbers}{extra} ({r.source})"
        )
        for e in found.evidence.get(r.id, []):
            a = e.attachment
            lines.append(
                f"    evidence: {a.path} ({a.size} bytes, sha256 {a.sha256[:16]}…) {e.state}"
            )
    return _shown(lines)


def collectors_table(collectors: Sequence[CollectorNumber]) -> str:
    """The ``collectors`` table."""
    rows = [
        (
            n.display,
            str(n.collector.count),
            _when(n.collector.first_seen),
            _when(n.collector.last_seen),
            str(n.collector.contacts),
        )
        for n in collectors
    ]
    return table(("number", "reaches", "first seen", "last seen", "contacts"), rows)


def export_lines(result: ExportResult, dry_run: bool) -> list[str]:
    """What an export wrote (or, dry, would write); the contacts skipped are in skipped_lines."""
    verb = "would write" if dry_run else "wrote"
    if result.format == "eml":
        lines = [f"{verb} {len(result.written)} e-mail draft(s) to {result.path}"]
        lines += [f"  {p.name}" for p in result.written] if dry_run else []
        return _shown(lines)
    noun = "contact" if result.format == "vcf" else "message"
    plural = "" if result.messages == 1 else "s"
    return _shown([f"{verb} {result.messages} {noun}{plural} to {result.path}"])


def skipped_lines(result: ExportResult) -> list[str]:
    """The contacts an export left out, and why (warnings: for stderr)."""
    return _shown([f"skipped: {s}" for s in result.skipped])


def unmark_lines(removed: dict[str, int]) -> list[str]:
    """What an unmark removed, per contact."""
    return _shown(
        [
            f"unmarked: {name} ({n} record{'s' if n != 1 else ''} removed)"
            for name, n in removed.items()
        ]
    )


def sent_lines(names: Sequence[str]) -> list[str]:
    """The contacts a ``sent`` recorded."""
    return _shown([f"sent: {name}" for name in names])

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
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from contact_notify import textsafe
from contact_notify.csvsafe import write_csv
from contact_notify.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from contact_notify.actions.contacts import ContactView
    from contact_notify.actions.reaches import CollectorNumber, History, Marked, Suggested
    from contact_notify.exporters import ExportResult
    from contact_notify.importer import ImportReport, Inspection, Notes
    from contact_notify.marking import MarkReport
    from contact_notify.messages import Flag, Message, Unnamed
    from contact_notify.model import Contact, Phone, StoredContact
    from contact_notify.reach_input import UnknownNumbers
    from contact_notify.readers import FileRead
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


def _columns(header: str) -> list[str]:
    """A table's column headings, translated together (one msgid, headings split by `` | ``)."""
    return _(header).split(" | ")


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


def aligned(fields: Sequence[tuple[str, str]], indent: str = "", gap: int = 1) -> list[str]:
    """``label: value`` lines, the values lined up in terminal columns (CJK labels too)."""
    column = max((width(label) for label, _value in fields), default=0) + gap
    return [f"{indent}{pad(label, column)}{value}" for label, value in fields]


def _not_valid(raw: str) -> str:
    return _("{number} (not valid)").format(number=raw)


# The labels the readers give numbers, as shown; a label of the user's own is shown as written.
PHONE_LABELS = {
    "mobile": N_("[mobile]"), "work": N_("[work]"), "home": N_("[home]"), "fax": N_("[fax]"),
    "pager": N_("[pager]"), "main": N_("[main]"), "other": N_("[other]"), "car": N_("[car]"),
}  # fmt: skip


def _label(label: str) -> str:
    return _(PHONE_LABELS[label]) if label in PHONE_LABELS else f"[{label}]"


def _phones(stored: StoredContact) -> str:
    return _(", ").join(
        (p.e164 or _not_valid(p.raw)) + (f" {_label(p.label)}" if p.label else "")
        for p in stored.contact.phones
    )


def _reached(stored: StoredContact) -> str:
    if stored.last_reach is None:
        return ""
    return _("{when} (x{count})").format(
        when=stored.last_reach.at[:16].replace("T", " "), count=stored.reach_count
    )


def contacts_table(contacts: Sequence[StoredContact]) -> str:
    """The ``contacts`` listing as a table."""
    rows = [
        (f"{s.id}", s.name, _phones(s), _(", ").join(s.contact.groups), _reached(s))
        for s in contacts
    ]
    return table(_columns(N_("id | name | phones | groups | reached")), rows)


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


def contacts_json(contacts: Iterable[StoredContact]) -> str:
    """The ``contacts`` listing as a JSON array."""
    return "".join(contacts_json_chunks(contacts))


def contacts_json_chunks(contacts: Iterable[StoredContact]) -> Iterator[str]:
    """The same JSON array in pieces, one contact at a time (exactly ``json.dumps(…, indent=2)``)."""
    first = True
    for s in contacts:
        record = json.dumps(_contact_record(s), ensure_ascii=False, indent=2)
        yield ("[\n" if first else ",\n") + "\n".join("  " + line for line in record.split("\n"))
        first = False
    yield "[]" if first else "\n]"


# Rows of a CSV listing written at a time.
CSV_BATCH = 500


def contacts_csv(contacts: Iterable[StoredContact]) -> str:
    """The ``contacts`` listing as CSV (without the last row's line end: the CLI prints one)."""
    return "".join(without_last_line_end(contacts_csv_chunks(contacts)))


def contacts_csv_chunks(contacts: Iterable[StoredContact]) -> Iterator[str]:
    """The same CSV in pieces of :data:`CSV_BATCH` rows.

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
        if len(rows) == CSV_BATCH:
            yield write_csv(rows)
            rows = []
    yield write_csv(rows)


def without_last_line_end(chunks: Iterable[str]) -> Iterator[str]:
    """The chunks, the last one without its ``\\r\\n`` (the CLI ends the output with ``\\n``)."""
    held: str | None = None
    for chunk in chunks:
        if held is not None:
            yield held
        held = chunk
    if held is not None:
        yield held.removesuffix("\r\n")


def import_summary(report: ImportReport) -> list[str]:
    """The lines an import prints: per file, then totals."""
    lines = []
    for f in report.files:
        read = (
            _("{file}: {count} cards read (encoding: {encoding})")
            if f.kind == "vcard"
            else _("{file}: {count} rows read (encoding: {encoding})")
        )
        lines.append(read.format(file=f.source, count=f.records, encoding=f.encoding or "utf-8"))
    lines.append(
        _(
            "contacts added: {added}, merged: {merged}, already in the case: {unchanged}, "
            "skipped: {skipped}, numbers not valid: {invalid}"
        ).format(
            added=report.added,
            merged=report.merged,
            unchanged=report.unchanged,
            skipped=report.skipped,
            invalid=report.invalid_notes.count,
        )
    )
    return _shown(lines)


def _notes(prefix: str, notes: Notes) -> list[str]:
    """The notes kept (``prefix`` a msgid with ``{text}``), then one line counting the rest."""
    lines = [_(prefix).format(text=text) for text in notes.kept]
    if notes.more:
        rest = _("… and {more} more like this (the last at {last}); {count} in all").format(
            more=f"{notes.more:,}", last=notes.last, count=f"{notes.count:,}"
        )
        lines.append(_(prefix).format(text=rest))
    return lines


def import_details(report: ImportReport) -> list[str]:
    """Warnings, merges and invalid numbers: the first few of each kind, then a count."""
    lines = [str(issue) for issue in report.issues]
    lines += _notes(N_("merged: {text}"), report.merge_notes)
    lines += _notes(N_("note: {text}"), report.shared_notes)
    lines += _notes(N_("number not valid (kept as written): {text}"), report.invalid_notes)
    return _shown(lines)


def mark_lines(report: MarkReport, dry_run: bool = False) -> list[str]:
    """What a mark did, then what it could not find."""
    done = _("would mark: {name} ({target})") if dry_run else _("marked: {name} ({target})")
    lines = [done.format(name=name, target=target) for _id, name, target in report.marked]
    lines += [
        _("added to record {record}: {name} ({target})").format(record=n, name=name, target=target)
        for name, target, n in report.updated
    ]
    lines += [
        _("already recorded (record {record}): {name} ({target})").format(
            record=n, name=name, target=target
        )
        for name, target, n in report.already
    ]
    lines += [
        _("already marked above: {name} ({target})").format(name=name, target=target)
        for name, target in report.repeated
    ]
    return _shown(lines)


def suggestion_lines(suggested: Sequence[Suggested]) -> list[str]:
    """Behaviours pasted text suggests: each with its words, where they are, and for whom."""
    from contact_notify.behaviours import label

    lines = []
    for found in suggested:
        s = found.suggestion
        words = _("; ").join(
            _("{where} “{words}”").format(where=where, words=words) for words, where in s.cues
        )
        if s.count > len(s.cues):
            words += _(" ({count} places in all)").format(count=s.count)
        whom = _("every contact of this mark") if found.everyone else _(", ").join(found.names)
        lines.append(
            _("suggested by the text: {behaviour}, for {whom} ({words})").format(
                behaviour=label(s.behaviour), whom=whom, words=words
            )
        )
    return _shown(lines)


# Commands a not-accepted suggestion shows at most (one per reach); the rest are counted.
UNRECORDED_SHOWN = 20


def suggestion_outcome(done: Marked) -> list[str]:
    """Whether the suggested behaviours were recorded, and if not, the commands that record them.

    Each command names a reach by its record id (``mark --record N --did …``), so
    it adds to that reach whatever its time was, and never makes a second one.
    """
    if not done.suggested:
        return []
    if done.accepted:
        line = (
            _("would record the suggested behaviours with these reaches")
            if done.dry_run
            else _("recorded the suggested behaviours with these reaches")
        )
        return _shown([line])
    if not done.unrecorded:
        return _shown(
            [_("the suggested behaviours were not recorded; add --accept to record them")]
        )
    lines = [_("the suggested behaviours were not recorded; to record them, for each reach:")]
    for reach, name, keys in done.unrecorded[:UNRECORDED_SHOWN]:
        command = f"contact-notify mark --record {reach} " + " ".join(f"--did {k}" for k in keys)
        lines.append(_("  {name}: {command}").format(name=name, command=command))
    rest = len(done.unrecorded) - UNRECORDED_SHOWN
    if rest > 0:
        lines.append(
            _("  … and {count} more reaches (see contact-notify history)").format(count=rest)
        )
    return _shown(lines)


def not_found_lines(report: MarkReport) -> list[str]:
    """Targets that matched no contact."""
    lines = []
    for target in report.not_found:
        close = report.suggestions.get(str(target))
        if close:
            line = _("no contact matches {target}; did you mean: {names}").format(
                target=target, names=_("; ").join(close)
            )
        else:
            line = _("no contact matches {target}").format(target=target)
        lines.append(line)
    return _shown(lines)


def _parts(m: Message) -> str:
    if m.segments is None:
        return ""
    parts = m.segments.parts
    return " · " + ngettext("{n} SMS part", "{n} SMS parts", parts).format(n=parts)


def preview(messages: Sequence[Message]) -> str:
    """Each message under a rule naming the contact, number, template (and why) and SMS parts.

    Every value in it is shown safe already (:func:`terminal_line`, :func:`terminal_block`).
    """
    blocks = []
    total = len(messages)
    because = _(" ({reason})")  # translated once for the run, not once a message
    parts_shown: dict[int | None, str] = {}
    for n, m in enumerate(messages, 1):
        if m.channel == "email":
            to = m.email or _("no e-mail address")
        elif not m.phone_valid:
            to = _("{number} (not a valid number)").format(number=m.phone or _("no number"))
        elif m.channel == "sms" and not m.mobile:
            to = _("{number} (not a mobile number: no SMS)").format(number=m.phone)
        else:
            to = m.phone
        why = because.format(reason=m.reason) if m.reason else ""
        parts = m.segments.parts if m.segments is not None else None
        shown = parts_shown.get(parts)
        if shown is None:
            shown = parts_shown[parts] = _parts(m)
        head = terminal_line(f"--- {n}/{total} {m.name} · {to} · {m.template}{why}{shown}")
        subject = (
            _("Subject: {subject}").format(subject=terminal_line(m.subject)) + "\n\n"
            if m.channel == "email"
            else ""
        )
        blocks.append(f"{head}\n{subject}{terminal_block(m.body)}")
    parts = sum(m.segments.parts for m in messages if m.segments is not None)
    summary = ngettext("{n} message", "{n} messages", total).format(n=total)
    if any(m.segments is not None for m in messages):
        summary += ngettext(", {n} SMS part in all", ", {n} SMS parts in all", parts).format(
            n=parts
        )
    return "\n".join(blocks) + "\n" + summary


def length_warnings(messages: Sequence[Message], limit: int) -> list[str]:
    """One warning per SMS over the part limit."""
    return _shown(
        [
            _("warning: the message to {name} takes {parts} SMS parts (limit {limit})").format(
                name=m.name, parts=m.segments.parts, limit=limit
            )
            for m in messages
            if m.segments is not None
        ]
    )


def review_warnings(flags: Sequence[Flag]) -> list[str]:
    """One warning per thing to look at before sending (an elder addressed by name …)."""
    return _shown([_("warning: {text}").format(text=f.text) for f in flags])


def unnamed_lines(unnamed: Sequence[Unnamed]) -> list[str]:
    """The family elders whose message opens without a name, each with the command to name them."""
    frame = _(
        "note: {name} is a family elder: the message opens without a name, since a "
        "parent is not called by their own name; to address them ({others} …), "
        "e.g.: {command}"
    )  # translated once, not once a line
    return _shown([frame.format(name=u.name, command=u.command, others=u.others) for u in unnamed])


def status_lines(counts: Counts) -> list[str]:
    """The ``status`` summary."""
    latest = (
        _(", latest {when} {name}").format(
            when=_when(counts.latest_reach.at), name=counts.latest_reach.name
        )
        if counts.latest_reach
        else ""
    )
    totals = [
        (_("contacts:"), f"{counts.contacts}"),
        (_("  no valid number:"), f"{counts.without_valid_number}"),
        (_("reached:"), f"{counts.reached}"),
        (_("  reach records:"), f"{counts.reaches}{latest}"),
        (_("sent:"), f"{counts.sent}"),
        (_("still to notify:"), f"{counts.pending}"),
    ]
    pending = [
        (_("  exported, not marked sent:"), f"{counts.exported_unsent}"),
        (_("  reached again since their message:"), f"{counts.reached_again}"),
    ]
    return _shown(aligned(totals) + aligned(pending, gap=2))


def inspect_json(inspection: Inspection) -> str:
    """The stable JSON form of ``inspect`` (documented in docs/inspect.md)."""
    return "".join(inspect_json_chunks(inspection.file, inspection.contacts))


# Stands for the contacts while the rest of the document is laid out.
_HOLE = "\x00contacts\x00"


def inspect_json_chunks(f: FileRead, contacts: Iterable[Contact]) -> Iterator[str]:
    """The same JSON in pieces, one contact at a time (exactly ``json.dumps(…, indent=2)``).

    ``f`` must be the report of a complete read (records and warnings), and
    ``contacts`` what that read gave, read again: held in memory nowhere.
    """
    document = {
        "file": f.source,
        "kind": f.kind,
        "encoding": f.encoding,
        "records": f.records,
        "contacts": [_HOLE],
        "warnings": [
            {"line": i.source.line, "reason": i.reason, "skipped": i.skipped} for i in f.issues
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    head, tail = text.split("\n    " + json.dumps(_HOLE) + "\n  ", 1)
    yield head
    first = True
    for c in contacts:
        record = {
            **_names(c),
            "phones": _numbers(c),
            "emails": c.emails,
            "groups": c.groups,
            "source": {"file": c.source.file, "line": c.source.line} if c.source else None,
        }
        lines = json.dumps(record, ensure_ascii=False, indent=2).split("\n")
        yield ("\n" if first else ",\n") + "\n".join("    " + line for line in lines)
        first = False
    yield tail if first else "\n  " + tail


def inspect_rows(inspection: Inspection) -> tuple[list[str], list[tuple[str, ...]]]:
    """The ``inspect`` table's header and rows: one row per number (the app shows them too)."""
    rows: list[tuple[str, ...]] = []
    for c in inspection.contacts:
        line = str(c.source.line) if c.source else ""
        phones: list[Phone | None] = [*c.phones] or [None]
        for n, p in enumerate(phones):
            number = "" if p is None else (p.e164 or _not_valid(p.raw))
            label = "" if p is None or not p.label else _label(p.label)[1:-1]
            first = n == 0
            rows.append(
                (
                    line if first else "",
                    c.display_name if first else "",
                    number,
                    label,
                    _(", ").join(c.groups) if first else "",
                )
            )
    return _columns(N_("line | name | number | label | groups")), rows


def inspect_notes(inspection: Inspection) -> list[str]:
    """What ``inspect`` says under its table: every warning, then what was read and how."""
    lines = [str(issue) for issue in inspection.file.issues]
    found = (
        _("{file}: {records} cards, {contacts} contacts, encoding: {encoding}")
        if inspection.file.kind == "vcard"
        else _("{file}: {records} rows, {contacts} contacts, encoding: {encoding}")
    )
    lines.append(
        found.format(
            file=inspection.file.source,
            records=inspection.file.records,
            contacts=len(inspection.contacts),
            encoding=inspection.file.encoding or "utf-8",
        )
    )
    return lines


def inspect_table(inspection: Inspection) -> str:
    """The ``inspect`` table: one row per number, then warnings and the encoding."""
    header, rows = inspect_rows(inspection)
    return "\n".join([table(header, rows), *_shown(inspect_notes(inspection))])


def templates_table(templates: Sequence[TemplateInfo]) -> str:
    """The ``templates list`` table."""
    rows = [(t.name, t.lang, t.channel, t.relationship, t.description) for t in templates]
    return table(_columns(N_("name | lang | channel | relationship | description")), rows)


def contact_lines(view: ContactView) -> list[str]:
    """One contact: names, numbers, groups, how messages address them and which template."""
    stored = view.stored
    if not view.salutation:
        salutation = _("none: the message opens without a name")
    elif view.salutation_from_name:
        salutation = _("{salutation} (from the name)").format(salutation=view.salutation)
    else:
        salutation = view.salutation
    fields = [
        (_("numbers:"), _phones(stored) or "-"),
        (_("groups:"), _(", ").join(stored.contact.groups) or "-"),
        (_("salutation:"), salutation),
        (
            _("template:"),
            _("{template} ({reason})").format(template=view.template, reason=view.reason),
        ),
        (_("reached:"), _reached(stored) or _("no")),
    ]
    return _shown([f"id:{stored.id} {stored.name}", *aligned(fields, indent="  ")])


def unknown_number_lines(found: UnknownNumbers, at: str) -> list[str]:
    """Numbers found in pasted text that belong to no contact: probably the collectors'.

    The most written come first, each with the command that adds it to the
    reach just recorded (it names the same time, so no second reach is made);
    the others are one line with their count.  Then where the text had to be
    cut so that a number may have been missed, the first few, then a count.
    """
    lines = []
    contact = _("CONTACT")  # what the person types there: a name or a number
    for n in found.shown:
        command = f"contact-notify mark {contact} --at '{at}' --by {n.e164}"
        if n.count > 1:
            line = _(
                "probable collector number (not in your contacts): {number} (written {count} "
                "times); add it to the reach with: {command}"
            ).format(number=n.raw, count=f"{n.count:,}", command=command)
        else:
            line = _(
                "probable collector number (not in your contacts): {number}; add it to the reach "
                "with: {command}"
            ).format(number=n.raw, command=command)
        lines.append(line)
    if found.others:
        numbers = ngettext("{n} more number", "{n} more numbers", found.others)
        times = ngettext("{n} time", "{n} times", found.other_mentions)
        lines.append(
            _(
                "… and {numbers} not in your contacts, written {times} in all (those above are "
                "written most often)"
            ).format(
                numbers=numbers.format(n=f"{found.others:,}"),
                times=times.format(n=f"{found.other_mentions:,}"),
            )
        )
    lines += [
        _(
            "warning: {where}: a long stretch with no line break, word or number was cut here to "
            "be searched; a number written across the cut may have been missed"
        ).format(where=where)
        for where in found.missed
    ]
    if found.missed_count > len(found.missed):
        more = found.missed_count - len(found.missed)
        lines.append(
            ngettext(
                "warning: … and {n} more cut like this in the same text",
                "warning: … and {n} more cuts like this in the same text",
                more,
            ).format(n=f"{more:,}")
        )
    return _shown(lines)


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def history_lines(found: History) -> list[str]:
    """A contact's reach records, oldest first, with evidence files and their state."""
    from contact_notify.behaviours import label

    stored = found.stored
    lines = [
        _("id:{id} {name}: {count} reach record(s)").format(
            id=stored.id, name=stored.name, count=len(found.reaches)
        )
    ]
    for r in found.reaches:
        numbers = _(", ").join(r.numbers) or _("number unknown")
        extra = ""
        if r.org:
            extra += _("; org {org}").format(org=r.org)
        if r.note:
            extra += _("; note {note}").format(note=r.note)
        if r.behaviours:
            extra += _("; did: {behaviours}").format(
                behaviours=_(", ").join(label(b) for b in r.behaviours)
            )
        lines.append(
            _("  record {id}: {when} {channel} from {numbers}{extra} ({source})").format(
                id=r.id,
                when=_when(r.at),
                channel=_said(CHANNELS, r.channel),
                numbers=numbers,
                extra=extra,
                source=_said(SOURCES, r.source),
            )
        )
        for e in found.evidence.get(r.id, []):
            a = e.attachment
            lines.append(
                _("    evidence: {path} ({size} bytes, sha256 {sha256}…) {state}").format(
                    path=a.path, size=a.size, sha256=a.sha256[:16], state=_said(STATES, e.state)
                )
            )
    return _shown(lines)


# How a collector reached a contact, where a reach was typed, what became of an evidence file.
CHANNELS = {
    "call": N_("call"), "sms": N_("sms"), "wechat": N_("wechat"), "visit": N_("visit"),
    "other": N_("other"),
}  # fmt: skip
SOURCES = {"typed": N_("typed"), "file": N_("file"), "text": N_("text")}
STATES = {"unchanged": N_("unchanged"), "changed": N_("changed"), "missing": N_("missing")}


def _said(words: dict[str, str], value: str) -> str:
    """A fixed value of ours in the interface language (a value we do not know, as it is)."""
    return _(words[value]) if value in words else value


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
    return table(_columns(N_("number | reaches | first seen | last seen | contacts")), rows)


def export_lines(result: ExportResult, dry_run: bool) -> list[str]:
    """What an export wrote (or, dry, would write); the contacts skipped are in skipped_lines."""
    if result.format == "eml":
        drafts = (
            _("would write {n} e-mail draft(s) to {path}")
            if dry_run
            else _("wrote {n} e-mail draft(s) to {path}")
        )
        lines = [drafts.format(n=len(result.written), path=result.path)]
        lines += [f"  {p.name}" for p in result.written] if dry_run else []
        return _shown(lines)
    n = result.messages
    if result.format == "vcf":
        wrote = (
            ngettext("would write {n} contact to {path}", "would write {n} contacts to {path}", n)
            if dry_run
            else ngettext("wrote {n} contact to {path}", "wrote {n} contacts to {path}", n)
        )
    else:
        wrote = (
            ngettext("would write {n} message to {path}", "would write {n} messages to {path}", n)
            if dry_run
            else ngettext("wrote {n} message to {path}", "wrote {n} messages to {path}", n)
        )
    return _shown([wrote.format(n=n, path=result.path)])


def skipped_lines(result: ExportResult) -> list[str]:
    """The contacts an export left out, and why (warnings: for stderr)."""
    return _shown([_("skipped: {reason}").format(reason=s) for s in result.skipped])


def unmark_lines(removed: dict[str, int]) -> list[str]:
    """What an unmark removed, per contact."""
    return _shown(
        [
            ngettext(
                "unmarked: {name} ({n} record removed)", "unmarked: {name} ({n} records removed)", n
            ).format(name=name, n=n)
            for name, n in removed.items()
        ]
    )


def sent_lines(names: Sequence[str]) -> list[str]:
    """The contacts a ``sent`` recorded."""
    return _shown([_("sent: {name}").format(name=name) for name in names])

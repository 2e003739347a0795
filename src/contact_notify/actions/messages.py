"""Messages: preview them, export them for sending, record that they went out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session, case_region, changes
from contact_notify.errors import NothingToDo, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.exporters import ExportResult
    from contact_notify.messages import Flag, Message, Unnamed
    from contact_notify.store import Case


@dataclass(frozen=True)
class Preview:
    """The messages reached contacts would get, and what to warn about."""

    messages: list[Message]
    sender_missing: bool  # no sender name: a placeholder signs the messages
    too_long: list[Message]  # SMS over the part limit
    sms_limit: int
    flags: list[Flag] = field(default_factory=list)  # what to look at before sending
    unnamed: list[Unnamed] = field(default_factory=list)  # elders addressed without a name


def preview(
    session: Session,
    *,
    template: str | None = None,
    lang: str = "zh",
    channel: str = "sms",
    sender: str | None = None,
    limit: int | None = None,
    everyone: bool = False,
    unreached: bool = False,
    groups: Sequence[str] = (),
) -> Preview:
    """Render each pending contact's message (everyone's with ``everyone``). Changes nothing.

    With ``unreached``, the warnings before the call instead (see :mod:`contact_notify.before`).
    """
    from contact_notify.before import composer
    from contact_notify.messages import (
        SENDER_PLACEHOLDERS,
        command_targets,
        review,
        sms_limit,
        too_long,
        unnamed_elders,
    )

    lang = lang.lower()
    with session.open() as case:
        name = sender or case.get_setting("sender")
        messages = composer(unreached, groups)(
            case, name or SENDER_PLACEHOLDERS.get(lang, SENDER_PLACEHOLDERS["en"]),
            template=template, lang=lang,
            channel=channel.lower(), limit=limit, include_sent=everyone,
            sender_short=sender,  # a --sender given for this run signs every message
        )  # fmt: skip
        max_parts = sms_limit(case)
        targets = command_targets(case, messages)
    return Preview(
        messages, not name, too_long(messages, max_parts), max_parts,
        review(messages, targets), unnamed_elders(messages, targets),
    )  # fmt: skip


def _signer(case: Case, sender: str | None) -> str:
    """The name messages are signed with; exported messages must be signed."""
    name = sender or case.get_setting("sender")
    if not name:
        raise UsageError(
            _("no sender name: the messages would be unsigned"),
            hint=_("set it once with: contact-notify config sender 你的名字 (or pass --sender)"),
        )
    return name


@dataclass(frozen=True)
class Exported:
    """What an export wrote (or, dry, would write), and the SMS over the part limit."""

    result: ExportResult
    too_long: list[Message]
    sms_limit: int
    dry_run: bool
    flags: list[Flag] = field(default_factory=list)  # what to look at before sending
    unnamed: list[Unnamed] = field(default_factory=list)  # elders addressed without a name


def export(
    session: Session,
    out: Path,
    *,
    output_format: str | None = None,
    template: str | None = None,
    lang: str = "zh",
    channel: str | None = None,
    sender: str | None = None,
    columns: Sequence[str] | None = None,
    phone_format: str = "national",
    excel: bool = False,
    group: str = "contact-notify",
    everyone: bool = False,
    force: bool = False,
    strict: bool = False,
    dry_run: bool = False,
    unreached: bool = False,
    groups: Sequence[str] = (),
) -> Exported:
    """Write the pending messages for sending and record in the case which text went to whom.

    The format comes from ``output_format`` or OUT (a folder: e-mail drafts);
    the channel defaults to e-mail for drafts and SMS otherwise.  Messages must
    be signed (a sender name), ``strict`` refuses SMS over the part limit and
    messages the review flags (exit 4: an elder addressed by name, a salutation
    the user set left out, no collector number though one is known), and
    an export with nothing to write writes nothing (exit "nothing to do").
    """
    from contact_notify.before import composer, nothing_to_export
    from contact_notify.exporters import CSV_COLUMNS, FORMATS, CsvOptions
    from contact_notify.exporters import export as write_export
    from contact_notify.messages import (
        command_targets,
        refuse_flagged,
        review,
        sms_limit,
        too_long,
        unnamed_elders,
    )

    fmt = FORMATS.choose(out, output_format)
    chosen_channel = (channel or ("email" if fmt == "eml" else "sms")).lower()
    lang = lang.lower()
    with session.open(writes=True) as case:
        name = _signer(case, sender)
        options = CsvOptions(
            columns=tuple(c.strip() for c in columns) if columns else CSV_COLUMNS,
            phone_format=phone_format, excel=excel, region=case_region(case),
        )  # fmt: skip
        messages = composer(unreached, groups)(
            case,
            name,
            template=template,
            lang=lang,
            channel=chosen_channel,
            include_sent=everyone,
            sender_short=sender,  # a --sender given for this run signs every message
        )
        max_parts = sms_limit(case)
        long = too_long(messages, max_parts)
        targets = command_targets(case, messages)
        flags = review(messages, targets)
        if strict and (long or flags):
            refuse_flagged(long, flags, max_parts)
        if not messages and unreached:
            raise nothing_to_export()
        if not messages:
            raise NothingToDo(
                _(
                    "nothing to export: every reached contact was already sent a message for "
                    "their latest reach; nothing was written"
                ),
                hint=_("use --all to export everyone again"),
            )
        page = ""
        if fmt == "html":
            from contact_notify.sendpage import render_page

            shown = {s.id: " ".join(s.contact.groups) for s in case.contacts()}
            page = render_page(messages, lang, shown)
        result = write_export(
            case, out, fmt, messages, force=force, dry_run=dry_run,
            csv_options=options, group=group, page=page,
        )  # fmt: skip
    return Exported(result, long, max_parts, dry_run, flags, unnamed_elders(messages, targets))


@dataclass(frozen=True)
class Sent:
    """The contacts recorded as sent a message."""

    names: list[str]
    whole_page: bool  # an export of the send page: everyone on it, ticked on the phone or not


def record_sent(
    session: Session,
    targets: Sequence[str] = (),
    *,
    exported: Path | None = None,
    channel: str = "sms",
    at: str | None = None,
    code: str | None = None,
) -> Sent:
    """Record that messages went out to the named contacts, to those a send page's sent code
    names (``code``), or to everyone in an export."""
    from contact_notify.errors import InputDataError
    from contact_notify.reach_input import parse_when
    from contact_notify.sendlog import record_sent as record
    from contact_notify.sentcode import decode

    when = parse_when(at)
    coded = decode(code) if code is not None else []
    with session.open(writes=True) as case:
        region = case_region(case)
        unknown = [i for i in coded if not case.has_contact(i)]
        if unknown:
            raise InputDataError(
                _("the sent code names id:{id}, which is not in this case").format(id=unknown[0]),
                hint=_("was the send page exported from another case? Open that case with --case"),
            )
        named = [*targets, *(f"id:{i}" for i in coded)]
        with changes(case, "sent"):
            names = record(case, named, exported, channel=channel, when=when, region=region)
    page = exported is not None and exported.suffix.lower() in (".html", ".htm")
    return Sent(names, page)


@dataclass(frozen=True)
class Edited:
    """A contact's message edited by hand for this round, or put back to the template."""

    contact_id: int
    name: str
    cleared: bool  # the edit was dropped: the template's text applies again


def edit_message(session: Session, target: str, text: str, *, channel: str = "sms") -> Edited:
    """Store ``text`` as one contact's message on ``channel`` for their latest reach.

    Preview, export and the send log use it instead of the rendered template
    until the contact is reached again (a new round).  An empty text (or only
    blank space) drops the edit: the template applies again.  ``target`` is a
    contact as commands name them (a name, a number or ``id:N``).
    """
    from contact_notify.errors import InputDataError
    from contact_notify.marking import resolve_one
    from contact_notify.messages import EDIT_LIMIT, clean_edit
    from contact_notify.reach_input import Target
    from contact_notify.render import CHANNELS

    chosen = channel.lower()
    if chosen not in CHANNELS:
        raise UsageError(
            _("unknown channel {channel}").format(channel=repr(channel)),
            hint=_("use one of: {choices}").format(choices=", ".join(CHANNELS)),
        )
    body = clean_edit(text)
    if len(body) > EDIT_LIMIT:
        raise UsageError(
            _("the edited message is {count} characters long; it can hold at most {limit}").format(
                count=len(body), limit=EDIT_LIMIT
            ),
            hint=_("shorten it, or leave it empty to go back to the template's text"),
        )
    with session.open(writes=True) as case:
        region = case_region(case)
        with changes(case, "edit"):
            contact_id = resolve_one(case, Target(target), region, "contact")
            name = case.contact_name(contact_id)
            if body:
                reach_id = case.set_message_edit(contact_id, chosen, body)
            else:
                reach_id = case.clear_message_edit(contact_id, chosen)
            if reach_id is None:
                raise InputDataError(
                    _("{name} was never marked as reached; there is no message to edit").format(
                        name=name
                    ),
                    hint=_("mark them first: contact-notify mark {target}").format(target=target),
                )
    return Edited(contact_id, name, cleared=not body)

"""Commands for messages: preview, export, sent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import ChannelOpt, ForceOpt, LangOpt, app, say, say_all, session
from contact_notify.i18n import _

TemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template",
        "-t",
        help="Use this template for everyone: a relationship (colleague), a built-in name or a "
        ".j2 file [default: chosen per contact by the rules].",
    ),
]
SenderOpt = Annotated[
    str | None,
    typer.Option(
        "--sender", help="Your name as the messages sign it [default: the case's sender]."
    ),
]
UnreachedOpt = Annotated[
    bool,
    typer.Option(
        "--unreached",
        help="Warn contacts not reached yet, before a collector calls them: family and "
        "superiors, or the groups given with --in (templates before-RELATIONSHIP).",
    ),
]
InOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--in",
        help="With --unreached: warn the contacts in this group (repeatable).",
        show_default=False,
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option("--all", help="Include contacts already sent a message for their latest reach."),
]


@app.command("preview")
def preview(
    template: TemplateOpt = None,
    lang: LangOpt = "zh",
    channel: ChannelOpt = "sms",
    sender: SenderOpt = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Show at most this many messages.")
    ] = None,
    everyone: AllOpt = False,
    unreached: UnreachedOpt = False,
    in_groups: InOpt = None,
) -> None:
    """Show the message each reached contact would get, with its template and SMS parts. Changes nothing.

    Contacts already sent a message for their latest reach are left out (see --all).

    Example: contact-notify preview --lang en --limit 3
    """
    from contact_notify.actions import messages as actions
    from contact_notify.cli import terminal

    shown = actions.preview(
        session(), template=template, lang=canonical(lang), channel=canonical(channel),
        sender=sender, limit=limit, everyone=everyone, unreached=unreached, groups=in_groups or [],
    )  # fmt: skip
    if shown.sender_missing:
        say(
            _(
                "note: no sender name set; using a placeholder (set it with: contact-notify "
                "config sender NAME)"
            ),
            err=True,
        )
    if not shown.messages:
        say(
            _(
                "nobody to warn: no contact who is not reached yet is family, a superior or in the "
                "groups given, or all of them were already sent a message (see --in, --all)"
            )
            if unreached
            else _("nobody to notify: no reached contact is waiting for a message (see --all)"),
            err=True,
        )
        return
    say(terminal.preview(shown.messages), raw=True)  # each value in it is shown safe already
    say_all(terminal.length_warnings(shown.too_long, shown.sms_limit), err=True)
    say_all(terminal.review_warnings(shown.flags), err=True)
    say_all(terminal.unnamed_lines(shown.unnamed), err=True)


@app.command("export")
def export(
    out: Annotated[
        Path,
        typer.Argument(
            help="OUT.csv, OUT.vcf, OUT.html (send page) or a folder for .eml drafts.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str | None, typer.Option("--format", help="csv, vcf, html or eml [default: from OUT].")
    ] = None,
    template: TemplateOpt = None,
    lang: LangOpt = "zh",
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="sms, wechat or email [default: email for eml, else sms]."),
    ] = None,
    sender: SenderOpt = None,
    columns: Annotated[
        str | None,
        typer.Option(help="CSV columns in order, e.g. phone,message (see docs/exports.md)."),
    ] = None,
    phone_format: Annotated[
        str, typer.Option(help="CSV phone numbers: national, e164 or digits.")
    ] = "national",
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel/WPS: UTF-8 with BOM, CRLF.")
    ] = False,
    group: Annotated[
        str, typer.Option(help="vCard: the group the contacts are put in.")
    ] = "contact-notify",
    everyone: AllOpt = False,
    unreached: UnreachedOpt = False,
    in_groups: InOpt = None,
    force: ForceOpt = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse to export when an SMS is over the part limit.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; change nothing.")
    ] = False,
) -> None:
    """Write the messages for sending: CSV, a vCard of the contacts, a send page, or e-mail drafts.

    Files are written atomically, owner-only, and never replace an existing
    file unless --force is given. The case records which text went to whom.
    Contacts already sent a message for their latest reach are left out (see --all).

    Example: contact-notify export messages.csv --excel
    """
    from contact_notify.actions import messages as actions
    from contact_notify.cli import terminal

    done = actions.export(
        session(), out, output_format=output_format and canonical(output_format),
        template=template, lang=canonical(lang), channel=channel and canonical(channel),
        sender=sender, columns=columns.split(",") if columns else None,
        phone_format=canonical(phone_format), excel=excel, group=group, everyone=everyone, force=force,
        strict=strict, dry_run=dry_run, unreached=unreached, groups=in_groups or [],
    )  # fmt: skip
    say_all(terminal.length_warnings(done.too_long, done.sms_limit), err=True)
    say_all(terminal.review_warnings(done.flags), err=True)
    say_all(terminal.unnamed_lines(done.unnamed), err=True)
    say_all(terminal.skipped_lines(done.result), err=True)
    say_all(terminal.export_lines(done.result, done.dry_run))


@app.command("sent")
def sent(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Numbers, names or id:N.", show_default=False)
    ] = None,
    exported: Annotated[
        Path | None,
        typer.Option(
            "--exported", help="Mark everyone in this export (a file or e-mail folder) as sent."
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            help="Mark the contacts ticked 'sent' on the send page: the sent code it shows "
            "under the progress line, e.g. --code 1320-4HJ3-J.",
        ),
    ] = None,
    channel: ChannelOpt = "sms",
    at: Annotated[str | None, typer.Option(help="When it was sent [default: now].")] = None,
) -> None:
    """Record that the messages went out, so nobody gets the same apology twice.

    Example: contact-notify sent --exported messages.csv
    """
    from contact_notify.actions import messages as actions
    from contact_notify.cli import terminal

    done = actions.record_sent(
        session(), targets or [], exported=exported, channel=canonical(channel), at=at, code=code
    )
    if done.whole_page:
        say(
            _(
                "note: this marks everyone on the page as sent, ticked or not (the ticks stay on "
                "the phone); to mark only some: contact-notify sent NAME…"
            ),
            err=True,
        )
    say_all(terminal.sent_lines(done.names))
    if not done.names:
        say(_("nothing new: those messages were already marked sent"), err=True)

"""Commands for the evidence kit and complaint drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import ForceOpt, LangOpt, app, say, session
from contact_notify.i18n import _

NightOpt = Annotated[
    str, typer.Option("--night", help="The night-time window counted separately, e.g. 21:00-08:00.")
]
MaskOpt = Annotated[
    bool,
    typer.Option(
        "--mask", help="Hide contacts' numbers (138****8000) and shorten their names, for sharing."
    ),
]


@app.command("evidence")
def evidence(
    out: Annotated[
        Path, typer.Argument(help="The file to write: .md, .csv or .html.", show_default=False)
    ],
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="md, csv or html [default: from OUT's extension]."),
    ] = None,
    mask: MaskOpt = False,
    night: NightOpt = "21:00-08:00",
    force: ForceOpt = False,
) -> None:
    """Write the evidence kit: a timeline of every reach and a summary (per day, numbers, night-time).

    The HTML form is one self-contained page with a chart of reaches per day.

    Example: contact-notify evidence evidence.html --mask
    """
    from contact_notify.actions import evidence as actions

    done = actions.write_evidence(
        session(), out, output_format=output_format, mask=mask, night=night, force=force
    )
    s = done.summary
    say(
        _(
            "wrote {path}: {reaches} reaches of {contacts} contacts, {collectors} collector "
            "numbers, {night} at night"
        ).format(
            path=done.path,
            reaches=s.reaches,
            contacts=s.contacts_reached,
            collectors=len(s.collectors),
            night=s.night,
        )
    )


@app.command("complaint")
def complaint(
    out: Annotated[
        Path, typer.Argument(help="The draft to write (a text file).", show_default=False)
    ],
    to: Annotated[str, typer.Option("--to", help="nifa, 12378, 12321, 12315 or police.")],
    lang: LangOpt = "zh",
    mask: MaskOpt = False,
    night: NightOpt = "21:00-08:00",
    force: ForceOpt = False,
) -> None:
    """Write an editable complaint draft filled with the evidence; blanks are marked 【待填写】.

    Kinds: nifa (互联网金融协会), 12378 (金融消费者投诉), 12321 (骚扰电话短信举报),
    12315 (市场监管), police (报警材料). Your name, contact and the lending platform
    come from: contact-notify config sender / sender-contact / platform.

    Example: contact-notify complaint --to 12321 complaint-12321.txt
    """
    from contact_notify.actions import evidence as actions

    done = actions.write_complaint(
        session(),
        out,
        kind=canonical(to),
        lang=canonical(lang),
        mask=mask,
        night=night,
        force=force,
    )
    say(
        _("wrote {path}: check it and fill in the {n} marked blank(s) before sending").format(
            path=done.path, n=done.blanks
        )
    )

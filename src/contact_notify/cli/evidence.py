"""Commands for the evidence kit and complaint drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import ForceOpt, LangOpt, app, labelled, say, session
from contact_notify.i18n import _

NightOpt = Annotated[
    str, typer.Option("--night", help="The night-time window flagged, e.g. 21:00-08:00.")
]
MaxPerDayOpt = Annotated[
    int,
    typer.Option(
        "--max-per-day",
        help="Attempts a day from one number or to one contact above which the day is flagged.",
    ),
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
        Path,
        typer.Argument(
            help="The file to write: .md, .csv or .html; .zip (or a folder) for the bundle.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="md, csv, html, zip or folder [default: from OUT's extension; "
            "an existing folder: folder].",
        ),
    ] = None,
    mask: MaskOpt = False,
    night: NightOpt = "22:00-08:00",
    max_per_day: MaxPerDayOpt = 6,
    force: ForceOpt = False,
) -> None:
    """Write the evidence kit: a timeline of every reach and a summary (per day, numbers, night-time).

    The HTML form is one self-contained page with a chart of reaches per day.

    The bundle (OUT.zip, or a folder with --format folder) holds the timeline in
    all three forms, a copy of every attached file, a manifest with each file's
    SHA-256 as recorded and as copied, and a README. A file changed since it was
    attached is flagged in the manifest and warned about. With --mask the
    timeline and manifest are masked; the files are copied as they are.

    Example: contact-notify evidence evidence.html --mask

    Example: contact-notify evidence evidence.zip
    """
    from contact_notify.actions import evidence as actions

    form = actions.bundle_form(out, output_format)
    if form is not None:
        _bundle(
            out,
            folder=form == "folder",
            mask=mask,
            night=night,
            max_per_day=max_per_day,
            force=force,
        )
        return
    done = actions.write_evidence(
        session(),
        out,
        output_format=output_format,
        mask=mask,
        night=night,
        max_per_day=max_per_day,
        force=force,
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


def _bundle(
    out: Path, *, folder: bool, mask: bool, night: str, max_per_day: int, force: bool
) -> None:
    """Write the evidence bundle; warn on stderr of each changed or missing evidence file."""
    from contact_notify.actions import evidence as actions

    done = actions.write_bundle(
        session(), out, folder=folder, mask=mask, night=night, max_per_day=max_per_day, force=force
    )
    for f in done.changed:
        changed = _(
            "{name} ({path}, record {reach}) changed since it was attached: "
            'bundled as it is now and flagged "changed" in the manifest'
        )
        say(labelled("warning", changed.format(name=f.name, path=f.path, reach=f.reach)), err=True)
    for f in done.missing:
        missing = _("{path} (record {reach}) is missing: listed in the manifest without a copy")
        say(labelled("warning", missing.format(path=f.path, reach=f.reach)), err=True)
    if done.masked:
        masked = _(
            "the timeline and manifest are masked; the evidence files are copied as they are "
            "and may show numbers and names"
        )
        say(labelled("note", masked), err=True)
    s = done.summary
    say(
        _(
            "wrote {path}: {reaches} reaches of {contacts} contacts, {files} evidence files "
            "bundled, {changed} changed since attached (flagged), {missing} missing"
        ).format(
            path=done.path,
            reaches=s.reaches,
            contacts=s.contacts_reached,
            files=done.bundled,
            changed=len(done.changed),
            missing=len(done.missing),
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
    night: NightOpt = "22:00-08:00",
    max_per_day: MaxPerDayOpt = 6,
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
        max_per_day=max_per_day,
        force=force,
    )
    say(
        _("wrote {path}: check it and fill in the {n} marked blank(s) before sending").format(
            path=done.path, n=done.blanks
        )
    )

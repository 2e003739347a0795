"""Commands for who was reached: mark, unmark, history, attach, collectors."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from contact_notify.cli.base import app, confirm, say, say_all, session
from contact_notify.i18n import _


@app.command("mark")
def mark(
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="Phone numbers (any format), names, or id:N.", show_default=False),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="One target per line, or a CSV with columns target, at, channel, by, org, note, "
            "did.",
        ),
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option(
            "--text",
            help="Pasted text (a file, or - for stdin): every contact's number in it is marked.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            help="When it happened: 2026-11-27, '2026-11-27 21:30', or as said in Chinese: "
            "'昨天 21:40', 晚上9点40, '11月30日 下午3点' [default: now]."
        ),
    ] = None,
    channel: Annotated[str, typer.Option(help="call, sms, wechat, visit or other.")] = "call",
    by: Annotated[
        list[str] | None,
        typer.Option(help="The collector's number (repeatable).", show_default=False),
    ] = None,
    org: Annotated[
        str, typer.Option(help="The organisation or loan platform the collector named.")
    ] = "",
    note: Annotated[str, typer.Option(help="A note to keep with the record.")] = "",
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            help="An evidence file (screenshot, recording) to record with its SHA-256 (repeatable).",
            show_default=False,
        ),
    ] = None,
    did: Annotated[
        list[str] | None,
        typer.Option(
            help="What the collector did (repeatable), in English or Chinese: disclosed-debt, "
            "asked-to-pay, insulted, threatened, impersonated, forged-documents, repeated-calls, "
            "night, workplace, mass-sms.",
            show_default=False,
        ),
    ] = None,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept", help="Record the behaviours that --text suggests (shown either way)."
        ),
    ] = False,
    record: Annotated[
        list[int] | None,
        typer.Option(
            help="Instead of targets: add --by, --did, --attach, --org or --note to this reach "
            "record (see history); repeatable.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be marked; change nothing.")
    ] = False,
) -> None:
    """Record that collectors reached these contacts, and what they did.

    A name that fits several contacts is an error listing them; a target
    that fits nobody is reported. With --text, numbers that belong to nobody
    are listed as probable collector numbers, and what the text says (that you
    owe money, insults, a court, a lawyer's letter…) suggests behaviours:
    recorded only with --accept, or when you answer yes at a terminal.

    Example: contact-notify mark "138 0013 8000" 李四 --by 17012345678 --did 辱骂 --did 透露欠款

    Example: contact-notify mark --record 3 --did 威胁
    """
    from contact_notify.actions import reaches as actions
    from contact_notify.cli import terminal

    def confirm_suggested(suggested: Sequence[actions.Suggested]) -> bool:
        say_all(terminal.suggestion_lines(suggested))
        return confirm(_("Record these behaviours with the reaches?"))

    # Asked only at a terminal, and never for a dry run: elsewhere, --accept decides.
    asks = not accept and not dry_run and text not in (None, Path("-")) and sys.stdin.isatty()
    done = actions.mark(
        session(), targets or [], file=file, text=text, at=at, channel=channel, by=by or [],
        org=org, note=note, attach=attach or [], did=did or [],
        accept=confirm_suggested if asks else accept, records=record or [], dry_run=dry_run,
    )  # fmt: skip
    say_all(terminal.mark_lines(done.report, dry_run=done.dry_run))
    if not asks:
        say_all(terminal.suggestion_lines(done.suggested))
    say_all(terminal.suggestion_outcome(done))
    say_all(terminal.not_found_lines(done.report), err=True)
    say_all(terminal.unknown_number_lines(done.unknown, done.at), err=True)


@app.command("unmark")
def unmark(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Numbers, names or id:N.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A file with one target per line.")
    ] = None,
    record: Annotated[
        list[int] | None,
        typer.Option(
            help="Remove only this reach record (see history); repeatable.", show_default=False
        ),
    ] = None,
) -> None:
    """Remove the reach records of these contacts, or single records by id (undo mark).

    Example: contact-notify unmark 13800138000
    """
    from contact_notify.actions import reaches as actions
    from contact_notify.cli import terminal

    report = actions.unmark(session(), targets or [], file=file, records=record or [])
    say_all(terminal.unmark_lines(report.removed))
    say_all(terminal.not_found_lines(report), err=True)


@app.command("history")
def history(
    target: Annotated[str, typer.Argument(help="A number, a name or id:N.", show_default=False)],
) -> None:
    """Show every reach record of one contact, with attached evidence and whether it changed.

    Example: contact-notify history 王秀英
    """
    from contact_notify.actions import reaches as actions
    from contact_notify.cli import terminal

    say_all(terminal.history_lines(actions.history(session(), target)))


@app.command("attach")
def attach(
    record: Annotated[
        int, typer.Argument(help="The reach record's id (see history).", show_default=False)
    ],
    files: Annotated[
        list[Path], typer.Argument(help="Screenshots, recordings…", show_default=False)
    ],
) -> None:
    """Record evidence files with a reach: path, size and SHA-256 (the files are not copied or changed).

    Example: contact-notify attach 3 ~/Pictures/screenshot-2026-11-27.png
    """
    from contact_notify.actions import reaches as actions

    for a in actions.attach(session(), record, files):
        say(
            _("attached to record {record}: {path} ({size} bytes, sha256 {sha256}…)").format(
                record=a.record, path=a.path, size=a.size, sha256=a.sha256[:16]
            )
        )


@app.command("collectors")
def collectors() -> None:
    """List the collectors' numbers recorded with --by: how often, first and last seen.

    Example: contact-notify collectors
    """
    from contact_notify.actions import reaches as actions
    from contact_notify.cli import terminal

    say(terminal.collectors_table(actions.collectors(session())))

"""Commands for the case itself: status, config, doctor, backup, wipe, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import LangOpt, app, confirm, say, say_all, session
from contact_notify.errors import UsageError
from contact_notify.i18n import _


@app.command("doctor")
def doctor() -> None:
    """Check the case file's integrity (SQLite's integrity and foreign-key checks).

    Example: contact-notify doctor
    """
    from contact_notify.actions import care as actions

    checked = actions.doctor(session())
    if checked.removed_journal is not None:
        say(
            _("removed a stale journal left by a crash: {path}").format(
                path=checked.removed_journal
            )
        )
    say(_("{path}: ok").format(path=checked.path))


@app.command("backup")
def backup(
    destination: Annotated[
        Path, typer.Argument(help="Where to write the copy.", show_default=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace DESTINATION if it exists.")
    ] = False,
) -> None:
    """Write a consistent copy of the case (owner-only), even while it is in use.

    Restore it by pointing --case at the copy, or by copying it back.

    Example: contact-notify backup ~/case-backup-2026-11-28.sqlite3
    """
    from contact_notify.actions import care as actions

    copy = actions.backup(session(), destination, force=force)
    say(_("backed up the case to {path}").format(path=copy))


def _ask(path: Path) -> bool:
    try:
        return confirm(_("Delete the case {path} and everything in it?").format(path=path))
    except typer.Abort:  # the input ended before an answer (Ctrl-C is an interrupt)
        raise UsageError(
            _("no answer to the question; nothing was deleted"),
            hint=_("to delete without a question: {command}").format(
                command="contact-notify wipe --yes"
            ),
        ) from None


@app.command("wipe")
def wipe(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; delete at once.")] = False,
) -> None:
    """Delete the case file: every contact, reach record and message log. Cannot be undone.

    Your contact files and exports are not touched.

    Example: contact-notify wipe
    """
    from contact_notify.actions import care as actions

    done = actions.wipe(session(), (lambda _: True) if yes else _ask)
    if done.declined:
        say(_("nothing was deleted"))
    say_all(_("deleted {path}").format(path=gone) for gone in done.deleted)


@app.command("status")
def status() -> None:
    """Show how many contacts there are, were reached, were sent a message, and are still to notify.

    Example: contact-notify status
    """
    from contact_notify.actions import care as actions
    from contact_notify.cli import terminal

    found = actions.status(session())
    say(_("case: {path}").format(path=found.path))
    say_all(terminal.status_lines(found.counts))


@app.command("config")
def config(
    key: Annotated[
        str | None, typer.Argument(help="A setting (see the list).", show_default=False)
    ] = None,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="The new value; several words are joined with spaces.", show_default=False
        ),
    ] = None,
) -> None:
    """Show or change the case's settings.

    Example: contact-notify config sender 小林
    """
    from contact_notify.actions import care as actions

    if key is None:
        say_all(f"{s.name} = {s.value}    # {s.meaning}" for s in actions.settings(session()))
    elif not words:
        say(actions.get_setting(session(), key))
    else:
        stored = actions.set_setting(session(), key, " ".join(words))
        say(f"{stored.name} = {stored.value}")


def _typed(command: str) -> str:
    """A command line as the demo shows it typed (the same in every language)."""
    return f"$ {command}"


@app.command("demo")
def demo(lang: LangOpt = "zh") -> None:
    """Run the whole flow on the shipped examples in a temporary case.

    Imports examples/contacts.vcf, marks examples/reached.txt and prints the
    preview. Your own case and files are not touched.

    Example: contact-notify demo --lang en
    """
    from contact_notify.actions import care as actions
    from contact_notify.cli import terminal

    result = actions.demo(canonical(lang))
    say(_typed("contact-notify import examples/contacts.vcf"))
    say_all(terminal.import_summary(result.imported))
    say(_typed("contact-notify mark --file examples/reached.txt"))
    say_all(terminal.mark_lines(result.marked) + terminal.not_found_lines(result.marked))
    say(_typed("contact-notify preview"))
    say(terminal.preview(result.messages))
    say_all(terminal.review_warnings(result.flags), err=True)
    say_all(terminal.unnamed_lines(result.unnamed), err=True)

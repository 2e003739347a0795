"""The typer app, the one place errors become exit codes, and printing for a person.

Command modules (``cli/contacts.py`` …) add their commands to :data:`app`;
each command parses its options, makes one call into
:mod:`contact_notify.actions`, and prints the result with :mod:`.terminal`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from contact_notify import __version__
from contact_notify.errors import ExitCode

if TYPE_CHECKING:
    from contact_notify.actions import Session


def say(text: str, *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Print for a person: every control character a value may carry is shown as an escape.

    Values from contact files and templates could otherwise drive the terminal
    (clear it, set its title, reorder text); line feeds stay.  ``raw`` is for
    machine formats (JSON, CSV), which escape on their own terms and must stay stable.
    """
    from contact_notify import textsafe  # loaded when something is printed, not for --help

    typer.echo(text if raw else textsafe.block(text), err=err, nl=nl)


def say_all(lines: Iterable[str], *, err: bool = False) -> None:
    """Print each line."""
    for line in lines:
        say(line, err=err)


class _Interrupts:
    """Remembers a Ctrl-C, however it surfaces.

    SIGINT raises KeyboardInterrupt wherever Python is; when that is inside a
    function SQLite calls back (the time comparison in a query), SQLite turns it
    into "user-defined function raised exception". The flag says it was the user.
    """

    seen = False

    @classmethod
    @contextlib.contextmanager
    def watched(cls) -> Iterator[None]:
        cls.seen = False
        if threading.current_thread() is not threading.main_thread():
            yield  # signals are only delivered to the main thread
            return

        def on_sigint(signum: int, frame: object) -> None:
            cls.seen = True
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _fail(
    message: str,
    hint: str | None,
    code: int,
    label: str | None = "error",
    details: Iterable[str] = (),
) -> NoReturn:
    say_all(details, err=True)
    say(f"{label}: {message}" if label else message, err=True)
    if hint:
        say(f"hint: {hint}", err=True)
    raise typer.Exit(code)


def _interrupted() -> NoReturn:
    _fail("interrupted; the case is as it was before this command", None, ExitCode.INTERRUPTED)


def _map_error(exc: BaseException) -> NoReturn:
    """Print one line (and a hint) for an exception and exit with its code: the only such place."""
    if isinstance(exc, typer.Abort | typer.TyperException):
        raise exc
    if isinstance(exc, BrokenPipeError):
        # The reader of our output went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(ExitCode.OK) from None
    if isinstance(exc, KeyboardInterrupt):
        _interrupted()

    from contact_notify.actions.session import failure_for

    failure = failure_for(exc, session())
    if failure is not None:
        _fail(failure.message, failure.hint, failure.exit_code, failure.label, failure.details)
    if not isinstance(exc, Exception):
        raise exc  # SystemExit and the like go on as they are
    _fail(
        f"internal error ({type(exc).__name__}); this is a bug in contact-notify",
        "please report it with the command you ran (no personal data is needed)",
        ExitCode.INTERNAL,
    )


# The order commands are listed in --help: the order of the work.
ORDER = (
    "import", "inspect", "contacts", "contact", "mark", "unmark", "history", "attach",
    "collectors", "preview", "export", "sent", "templates", "rules", "evidence", "complaint",
    "status", "config", "doctor", "backup", "wipe", "demo",
)  # fmt: skip


class Group(TyperGroup):
    """Maps every error to one line on stderr and its exit code; lists commands in ORDER."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))

    def invoke(self, ctx: Any) -> Any:  # typer's Context lives in a private module
        with _Interrupts.watched():
            try:
                return super().invoke(ctx)
            except typer.Exit:
                raise
            except BaseException as exc:
                if _Interrupts.seen:  # whatever the interrupt became on its way up
                    _interrupted()
                _map_error(exc)


app = typer.Typer(
    cls=Group,
    name="contact-notify",
    help=(
        "Tell the people debt collectors called that it is not their debt.\n\n"
        "Import your contact list, mark who was reached, preview a personal "
        "apology for each of them, and export it for sending. Everything stays "
        "on this computer, in one case file."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def sub_app(help_text: str) -> typer.Typer:
    """A group of subcommands (``templates …``, ``rules …``) with the same error mapping."""
    return typer.Typer(cls=Group, help=help_text, no_args_is_help=True, rich_markup_mode=None)


class _State:
    case_path: Path | None = None


def session() -> Session:
    """The session of this command: the case chosen with --case, notes printed on stderr."""
    from contact_notify.actions import Session

    return Session(_State.case_path, notify=lambda note: say(f"note: {note}", err=True))


def _version(value: bool) -> None:
    if value:
        say(f"contact-notify {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            help="The case file to use [default: $CONTACT_NOTIFY_CASE, else "
            "~/.local/share/contact-notify/case.sqlite3].",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    _State.case_path = case.expanduser() if case else None


# Options several commands share.
LangOpt = Annotated[
    str, typer.Option("--lang", help="Language of the built-in templates: zh or en.")
]
ChannelOpt = Annotated[str, typer.Option("--channel", help="sms, wechat or email.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")]

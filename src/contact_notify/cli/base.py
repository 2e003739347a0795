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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer import _click as click
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from contact_notify import __version__, i18n
from contact_notify.cli import coercion, frame
from contact_notify.errors import ExitCode
from contact_notify.i18n import N_, _

if TYPE_CHECKING:
    from contact_notify.actions import Session


def say(text: str, *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Print for a person: every control character a value may carry is shown as an escape.

    Values from contact files and templates could otherwise drive the terminal
    (clear it, set its title, reorder text); line feeds stay.  ``raw`` is for
    machine formats (JSON, CSV), which escape on their own terms and must stay stable,
    and for text already shown safe value by value (:func:`terminal.preview`).
    """
    from contact_notify import textsafe  # loaded when something is printed, not for --help

    typer.echo(text if raw else textsafe.block(text), err=err, nl=nl)


def say_all(lines: Iterable[str], *, err: bool = False) -> None:
    """Print each line, all in one write (a run may note something of thousands of contacts;
    a write per line took longer than composing their messages)."""
    shown = list(lines)
    if shown:
        say("\n".join(shown), err=err)


_YES = ("y", "yes", "是", "是的", "好", "对", "确认", "确定")
_NO = ("n", "no", "否", "不", "不是", "取消")


def confirm(question: str) -> bool:
    """Ask a yes/no question (no by default) in the interface language; yes also as 是, no as 否.

    An input that ends before an answer raises :class:`typer.Abort`.
    """
    while True:
        choices = _("[y/N]")
        answer = typer.prompt(
            f"{question} {choices}", default="", show_default=False, prompt_suffix=": "
        )
        answer = answer.strip().lower()
        if answer in _YES:
            return True
        if answer in _NO or not answer:
            return False
        say(_("please answer y (yes, 是) or n (no, 否)"), err=True)


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
    say(labelled(label, message) if label else message, err=True)
    if hint:
        say(labelled("hint", hint), err=True)
    raise typer.Exit(code)


# The words a line may start with, and how they are said.
LABELS = {"error": N_("error"), "hint": N_("hint"), "note": N_("note"), "warning": N_("warning")}


def labelled(label: str, text: str) -> str:
    """``error: text`` (``错误：text``): a line that starts with what kind of line it is."""
    return _("{label}: {text}").format(label=_(LABELS.get(label, label)), text=text)


def _interrupted() -> NoReturn:
    _fail(_("interrupted; the case is as it was before this command"), None, ExitCode.INTERRUPTED)


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
        _("internal error ({kind}); this is a bug in contact-notify").format(
            kind=type(exc).__name__
        ),
        _("please report it with the command you ran (no personal data is needed)"),
        ExitCode.INTERNAL,
    )


PRODUCT = "contact-notify"

# The order commands are listed in --help: the order of the work.
ORDER = (
    "import", "inspect", "contacts", "contact", "mark", "unmark", "history", "attach",
    "collectors", "preview", "export", "sent", "broadcast", "templates", "rules", "evidence",
    "complaint", "status", "config", "doctor", "backup", "wipe", "demo", "app",
)  # fmt: skip


class _Framed:
    """The help option and the one-line description, in the interface language."""

    short_help: str | None
    help: str | None

    def get_help_option(self, ctx: Any) -> Any:
        return frame.help_option(self, ctx)  # type: ignore[arg-type]  # a click command

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.short_help or self.help or ""
        if text.isascii():
            return super().get_short_help_str(limit)  # type: ignore[misc,no-any-return]
        return frame.short_help(text, limit)


class Command(_Framed, TyperCommand):
    """A command whose help the library frames in the interface language."""

    context_class = frame.Context


class Group(_Framed, TyperGroup):
    """Maps every error to one line on stderr and its exit code; lists commands in ORDER.

    The root group also puts the whole command line into the interface
    language: help texts, the library's frame words and its usage errors.
    """

    context_class = frame.Context
    command_class = Command

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

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and frame.is_chinese(args[0]) and self.get_command(ctx, args[0]) is None:
            _unknown_in_chinese(self, ctx, args[0])
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        frame.localise(self)
        try:
            done = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            say(exc.format_message(), err=True)
            code = exc.exit_code
        except click.exceptions.UsageError as exc:
            frame.show_usage_error(exc, say)
            code = exc.exit_code
        except click.exceptions.ClickException as exc:  # pragma: no cover - none raised today
            say(
                _("Error: {message}").format(message=frame.translate_message(exc.message)), err=True
            )
            code = exc.exit_code
        except typer.Abort:
            say(_("Aborted!"), err=True)
            code = 1
        except Exception as exc:  # outside a command (help, parsing): still one line, no traceback
            try:
                _map_error(exc)
            except typer.Exit as mapped:
                code = mapped.exit_code
        else:
            code = done if isinstance(done, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def _unknown_in_chinese(group: Group, ctx: Any, name: str) -> NoReturn:
    """A command typed in Chinese: say so in Chinese and list every command with its description."""
    with i18n.using("zh"):
        frame.localise(group)
        rows = list(frame.command_listing(group, ctx))
        width = max((len(n) for n, _text in rows), default=0)
        lines = [f"  {n.ljust(width)}  {text}" for n, text in rows]
        guess = CHINESE_NAMES.get(name)
        say(labelled("error", _("no such command: {name}").format(name=name)), err=True)
        if guess:
            say(
                _("did you mean: {command}").format(command=f"{ctx.command_path} {guess}"), err=True
            )
        say(_("Commands are typed in English letters; they are:"), err=True)
        say_all(lines, err=True)
    frame.localise(group)  # back to the interface language
    raise typer.Exit(ExitCode.USAGE)


# What people may type in Chinese for a command, and the command they mean.
CHINESE_NAMES = {
    "导入": "import", "检查": "inspect", "联系人": "contacts", "标记": "mark",
    "取消标记": "unmark", "记录": "history", "附件": "attach", "催收号码": "collectors",
    "预览": "preview", "导出": "export", "已发送": "sent", "发送": "export", "模板": "templates",
    "规则": "rules", "证据": "evidence", "投诉": "complaint", "状态": "status", "设置": "config",
    "体检": "doctor", "备份": "backup", "删除": "wipe", "演示": "demo", "帮助": "--help",
}  # fmt: skip


class App(typer.Typer):
    """typer's app whose commands are :class:`Command` (help in the interface language)."""

    def command(  # the same call as typer's, with our command class by default
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, building only the command it names.

        typer builds every command's options before it reads the command line
        (80 ms at each start, a third of ``status``); a command line naming one
        command or group needs only that one.  For help, a misspelt or Chinese
        name, or nothing, the whole tree is built, so listings and suggestions
        are as before.
        """
        argv = kwargs.get("args", args[0] if args else None)
        name = _command_named(list(sys.argv[1:] if argv is None else argv))
        with self._only(name):
            return super().__call__(*args, **kwargs)

    @contextlib.contextmanager
    def _only(self, name: str | None) -> Iterator[None]:
        """Leave only the command or group ``name`` registered while the tree is built."""
        commands, groups = self.registered_commands, self.registered_groups
        command = [
            c for c in commands
            if (c.name or typer.main.get_command_name(c.callback.__name__)) == name  # type: ignore[union-attr]
        ]  # fmt: skip
        group = [g for g in groups if g.name == name]
        if command or group:
            self.registered_commands, self.registered_groups = command, group
        try:
            yield
        finally:
            self.registered_commands, self.registered_groups = commands, groups


def _command_named(argv: list[str]) -> str | None:
    """The command a command line names after the root's options (``--case FILE``), if any;
    None when an option other than ``--case`` comes first (``--help``, ``--version``)."""
    at = 0
    while at < len(argv):
        word = argv[at]
        if word == "--case":
            at += 2
        elif word.startswith("--case="):
            at += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


coercion.install()  # text and path options without pydantic (see cli/coercion.py)

app = App(
    cls=Group,
    name="contact-notify",
    help=(
        "Tell the people debt collectors called that it is not their debt.\n\n"
        "Import your contact list, mark who was reached, preview a personal "
        "apology for each of them, and export it for sending. Everything stays "
        "on this computer, in one case file."
    ),
    epilog=i18n.SWITCH_HINT,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def sub_app(help_text: str) -> typer.Typer:
    """A group of subcommands (``templates …``, ``rules …``) with the same error mapping."""
    return App(cls=Group, help=help_text, no_args_is_help=True, rich_markup_mode=None)


class _State:
    case_path: Path | None = None


def session() -> Session:
    """The session of this command: the case chosen with --case, notes printed on stderr."""
    from contact_notify.actions import Session

    return Session(_State.case_path, notify=lambda note: say(labelled("note", note), err=True))


def _version(value: bool) -> None:
    if value:
        say(" ".join((PRODUCT, __version__)))  # a name and a number: the same in every language
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

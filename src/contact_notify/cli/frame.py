"""The words the CLI library prints itself, in the interface language.

typer (with its own copy of click) writes "Usage:", "Options", "Try … for
help", "No such command", "Missing argument", "Invalid value …" in English.
This module puts them through the catalog:

* :class:`Context` makes a :class:`Formatter` that translates the usage
  prefix and the section headings;
* :func:`localise` translates every help text of the command tree in place
  (typer builds a fresh tree for each run, so the originals are the msgids);
* :func:`show_usage_error` prints a usage error as click would, in the
  interface language; :data:`_PATTERNS` turns the messages typer builds from
  values (``'x' is not a valid integer``) into catalog entries;
* :func:`unknown_command` answers a command nobody knows, in Chinese when it
  was typed in Chinese, with every command and its description.

typer's own strings ("default", "required", "Arguments", "Options",
"Commands") go through ``typer.core._``, which is pointed at the catalog.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import typer
import typer.core
from typer import _click as click

from contact_notify import i18n
from contact_notify.i18n import N_, _

typer.core._ = i18n.gettext  # type: ignore[attr-defined]  # typer marks its own words with gettext

# typer's words, so that the catalog holds them (they are passed to _ inside typer).
TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("env var: {var}"),
    N_("Aborted!"),
)

HELP_TEXT = N_("Show this message and exit.")

# How typer names the kind of value an option takes, and how a person is told.
TYPE_NAMES = {
    "<str>": N_("<str>"),
    "<path>": N_("<path>"),
    "<Path>": N_("<path>"),
    "<int>": N_("<int>"),
    "<int range>": N_("<int range>"),
    "<list[str]>": N_("<list[str]>"),
    "<list[Path]>": N_("<list[Path]>"),
}
_typer_display_type = typer.core._TyperParameter.display_type


def _display_type(self: typer.core._TyperParameter, ctx: click.Context) -> str:
    shown = _typer_display_type(self, ctx)
    return _(TYPE_NAMES[shown]) if shown in TYPE_NAMES else shown


typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]


class Formatter(click.HelpFormatter):
    """click's help formatter with the usage prefix and headings translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """click's definition list, measured in terminal columns when the text has wide characters."""
        rows = list(rows)
        if all(first.isascii() and second.isascii() for first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((columns(f) for f, _s in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - 2 - self.current_indent, 10))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    def write_text(self, text: str) -> None:
        """click's paragraphs, fitted by terminal columns when the text has wide characters."""
        if text.isascii():
            super().write_text(text)
            return
        indent = " " * self.current_indent
        for number, paragraph in enumerate(text.split("\n\n")):
            if number:
                self.write("\n")
            keep = paragraph.startswith("\b")
            body = paragraph if keep else " ".join(paragraph.split("\n"))
            for line in wrap(body, max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n" if line else "")

    def write_heading(self, heading: str) -> None:
        text = _("{heading}:").format(heading=_(heading))
        self.write(f"{'':>{self.current_indent}}{text}\n")


_WIDE: dict[str, int] = {}


def _char_width(char: str) -> int:
    width = _WIDE.get(char)
    if width is None:
        from unicodedata import east_asian_width

        width = _WIDE[char] = 2 if east_asian_width(char) in "WF" else 1
    return width


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (a Chinese character takes two)."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


_NO_BREAK_BEFORE = set("，。、；：？！）」』》〉”’,.;:?!)]")
_NO_BREAK_AFTER = set("，。、；：？！）」』》〉”’")


def _tokens(paragraph: str, cjk_breaks: bool = True) -> list[str]:
    """Pieces a line may break between: at spaces, between two Chinese characters, and after
    Chinese punctuation; never before closing punctuation ("，" ends its line), and ASCII
    right before a Chinese character stays with it ("11月").
    """
    tokens: list[str] = []
    for char in paragraph:
        if not tokens:
            tokens.append(char)
            continue
        prev = tokens[-1][-1]
        if (char == " ") != (prev == " "):
            tokens.append(char)
        elif char == " " or char in _NO_BREAK_BEFORE:
            tokens[-1] += char
        elif cjk_breaks and (
            (_char_width(prev) == 2 and _char_width(char) == 2) or prev in _NO_BREAK_AFTER
        ):
            tokens.append(char)
        else:
            tokens[-1] += char
    return tokens


def wrap(text: str, width: int, cjk_breaks: bool | None = None) -> list[str]:
    """Lines of at most ``width`` columns: breaks at spaces and between Chinese characters.

    Never before closing punctuation, so "，" and "。" stay at the end of a line.  English
    text (``cjk_breaks`` false; by default when the interface is English) breaks at spaces
    only, so a Chinese example in it stays whole.
    """
    if cjk_breaks is None:
        cjk_breaks = i18n.language() == "zh"
    lines: list[str] = []
    # click's "\b" (keep these lines) is honoured as line breaks; the lines are still fitted.
    for paragraph in (p for p in text.split("\n") if p.strip() != "\b"):
        line, used = "", 0
        for token in _tokens(paragraph, cjk_breaks):
            size = columns(token)
            # closing punctuation is part of the piece before it, so it never starts a line
            if used + size <= width or not line.strip():
                line, used = line + token, used + size
            elif token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0
            else:
                lines.append(line.rstrip())
                line, used = token, size
        lines.append(line.rstrip())
    return lines or [""]


def short_help(text: str, limit: int) -> str:
    """The first sentence of a help text, cut to ``limit`` columns with "…" if longer."""
    first = text.replace("\b", "").strip().split("\n\n", 1)[0]
    first = re.sub(r"\s*\n\s*", lambda m: "" if not first.isascii() else " ", first)
    for end in ("。", "；"):
        if end in first:
            first = first.split(end, 1)[0] + end
            break
    if columns(first) <= limit:
        return first
    cut = ""
    for char in first:
        if columns(cut + char) > limit - 1:
            break
        cut += char
    return cut.rstrip("，、；： ") + "…"


class Context(click.Context):
    """A click context whose help is formatted by :class:`Formatter`."""

    formatter_class = Formatter


def _help_of(text: str | None) -> str | None:
    if not text:
        return text
    import inspect

    return _(inspect.cleandoc(text))


def localise(command: click.Command) -> None:
    """Translate the help of ``command``, its parameters and every subcommand, in place."""
    command.help = _help_of(command.help)
    command.short_help = _help_of(command.short_help)
    if command.epilog != i18n.SWITCH_HINT:  # said in both languages as it is
        command.epilog = _help_of(command.epilog)
    command.options_metavar = _("[OPTIONS]")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
    for param in command.params:
        if isinstance(getattr(param, "help", None), str):
            param.help = _help_of(param.help)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        localise(sub)


def help_option(command: click.Command, ctx: click.Context) -> Any:
    """The -h/--help option with its help in the interface language."""
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = _(HELP_TEXT)
    return option


# Messages typer builds from a value, and their catalog entries.
_PATTERNS: tuple[tuple[str, str], ...] = (  # compiled when an error is shown, not at start-up
    (
        r"Input should be a valid integer, unable to parse string as an integer",
        N_("a whole number is needed"),
    ),
    (r"Input should be a valid integer.*", N_("a whole number is needed")),
    (
        r"Input should be greater than or equal to (?P<limit>\S+)",
        N_("it must be at least {limit}"),
    ),
    (
        r"Input should be less than or equal to (?P<limit>\S+)",
        N_("it must be at most {limit}"),
    ),
    (
        r"(?P<value>'.*') is not one of (?P<choices>.*)\.$",
        N_("{value} is not one of {choices}"),
    ),
    (
        r"Option (?P<option>'[^']*') requires an argument\.",
        N_("option {option} needs a value after it"),
    ),
    (
        r"Option (?P<option>'[^']*') requires (?P<n>\d+) arguments\.",
        N_("option {option} needs {n} values after it"),
    ),
    (
        r"Option (?P<option>'[^']*') does not take a value\.",
        N_("option {option} takes no value"),
    ),
    (
        r"Got unexpected extra arguments?(?:\(s\))? \((?P<extra>.*)\)",
        N_("too many arguments: {extra}"),
    ),
    (r"Missing command\.", N_("a command is missing")),
)


def translate_message(message: str) -> str:
    """A message typer or click built, in the interface language (English as it is when unknown)."""
    for pattern, msgid in _PATTERNS:
        found = re.fullmatch(pattern, message.strip())
        if found:
            return _(msgid).format(**found.groupdict())
    return message


def _param_name(param: Any, ctx: click.Context | None) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument":
        return (getattr(param, "name", "") or "").upper()
    return " / ".join(f"'{o}'" for o in opts) or str(getattr(param, "name", ""))


def error_text(exc: click.exceptions.UsageError) -> str:
    """The one line that says what is wrong with the command line, in the interface language."""
    ctx = exc.ctx
    if isinstance(exc, click.exceptions.NoSuchOption):
        text = _("no such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            choices = ", ".join(sorted(exc.possibilities))
            if len(exc.possibilities) == 1:
                text += _("; did you mean {option}?").format(option=choices)
            else:
                text += _(" (possible options: {options})").format(options=choices)
        return text
    if isinstance(exc, click.exceptions.MissingParameter):
        name = _param_name(exc.param, ctx)
        if getattr(exc.param, "param_type_name", "") == "argument":
            return _("missing argument {name}").format(name=name)
        return _("missing option {name}").format(name=name)
    if isinstance(exc, click.exceptions.BadParameter):
        name = _param_name(exc.param, ctx) if exc.param is not None else str(exc.param_hint or "")
        return _("invalid value for {name}: {reason}").format(
            name=name, reason=translate_message(exc.message)
        )
    message = exc.message
    found = re.fullmatch(
        r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<near>.*)\?)?", message
    )
    if found:
        text = _("no such command: {name}").format(name=repr(found["name"]))
        if found["near"]:
            text += _("; did you mean {commands}?").format(commands=found["near"])
        return text
    return translate_message(message)


def show_usage_error(exc: click.exceptions.UsageError, say: Callable[..., None]) -> None:
    """Print a usage error as click would (usage line, where to get help, the error)."""
    ctx = exc.ctx
    if ctx is not None:
        say(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            say(
                _("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                ),
                err=True,
            )
        say("", err=True)
    say(_("Error: {message}").format(message=error_text(exc)), err=True)


def is_chinese(text: str) -> bool:
    """Whether ``text`` holds Chinese characters."""
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def command_listing(group: click.Command, ctx: click.Context) -> Iterator[tuple[str, str]]:
    """Each command of ``group`` with its one-line description, in the order of the work."""
    list_commands = getattr(group, "list_commands", None)
    get_command = getattr(group, "get_command", None)
    if list_commands is None or get_command is None:
        return
    for name in list_commands(ctx):
        sub = get_command(ctx, name)
        if sub is not None and not sub.hidden:
            yield name, sub.get_short_help_str(limit=60)


def stdout_encoding_errors() -> None:
    """Never crash on a character the console cannot show: write it as [U+XXXX].

    A Chinese Windows console or pipe often encodes in GBK (cp936), which
    lacks emoji and rare characters that names may hold.
    """
    import codecs

    def visible(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        bad = error.object[error.start : error.end]
        return "".join(f"[U+{ord(c):04X}]" for c in bad), error.end

    try:
        codecs.lookup_error("contact_notify.visible")
    except LookupError:
        codecs.register_error("contact_notify.visible", visible)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf16", "utf32"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change
                reconfigure(errors="contact_notify.visible")

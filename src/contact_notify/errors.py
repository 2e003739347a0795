"""One exception hierarchy, mapped to exit codes in one place.

Every error a user can cause is an :class:`AppError` subclass carrying a
one-line message and, where there is one, a hint saying what to do.  The CLI
prints ``error: <message>`` (and ``hint: <hint>``) and exits with
``exit_code``; it never prints a traceback.

Exit codes (documented in README.md, checked by tests/test_commands.py):

====  ==========================================================
code  meaning
====  ==========================================================
0     success
1     internal error (a bug: please report it)
2     usage: a bad option or argument, or missing configuration
3     input data: a contact or target file cannot be used
4     template: a template is missing, invalid or fails to render
5     case file or output: cannot open, read or write
6     nothing to do: the command had nothing to write, and wrote nothing
130   interrupted (Ctrl-C); the case is left as before the command
====  ==========================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    INPUT = 3
    TEMPLATE = 4
    CASE_IO = 5
    NOTHING_TO_DO = 6
    INTERRUPTED = 130


class AppError(Exception):
    """A failure the user can understand and act on."""

    exit_code: ExitCode = ExitCode.INTERNAL
    label: str | None = "error"  # what the message line starts with; None for none

    def __init__(
        self, message: str, hint: str | None = None, *, details: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details  # lines shown before the message (e.g. each message too long)


class UsageError(AppError):
    """An option, argument or setting is wrong or missing."""

    exit_code = ExitCode.USAGE


class InputDataError(AppError):
    """A contact file, target list or target cannot be used."""

    exit_code = ExitCode.INPUT


class TemplateError(AppError):
    """A template cannot be found, parsed or rendered."""

    exit_code = ExitCode.TEMPLATE


class CaseError(AppError):
    """The case file cannot be opened, read or written, or is damaged."""

    exit_code = ExitCode.CASE_IO


class OutputError(AppError):
    """An output file or folder cannot be written, or exists and --force was not given."""

    exit_code = ExitCode.CASE_IO


class NothingToDo(AppError):
    """A command that writes had nothing to write (nobody pending, nobody with an address)."""

    exit_code = ExitCode.NOTHING_TO_DO
    label = None  # not a failure: the message says what there was (not) to do

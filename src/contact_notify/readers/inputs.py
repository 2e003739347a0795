"""Every file input is checked here before it is read: a regular file of a sane size.

:func:`check_input`, :func:`open_input` and :func:`read_input`: the input must be a
regular file (or ``-`` for standard input, where a command allows it); a folder,
device (``/dev/zero``), named pipe or socket is refused with an InputDataError
saying what it is, without being opened for reading.  The caps are listed in
:mod:`contact_notify.readers`.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.fileio import describe_os_error
from contact_notify.i18n import N_, _
from contact_notify.readers.encoding import describe_size

# A target list or pasted chat (typed by hand or copied from a phone) is read whole: this is
# far more than any of them, and far less than memory.
MAX_TEXT_FILE = 10 << 20
STDIN = "-"

# What a path that is not a regular file is, for the message.
_NOT_FILES = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISCHR, N_("a character device (such as /dev/zero, /dev/urandom or a terminal)")),
    (stat.S_ISBLK, N_("a block device (a disk)")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISSOCK, N_("a socket")),
)


def check_input(path: Path, what: str, limit: int | None = None) -> os.stat_result:
    """Check, without opening it, that ``path`` is a regular file of at most ``limit`` bytes.

    ``what`` names the input in messages ("contact file", "target list"…).  A link
    is followed.  Raises InputDataError naming the path and what it is otherwise.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputDataError(
            _("cannot open {path}: no such file").format(path=path), hint=_("check the path")
        ) from None
    except OSError as exc:
        raise _cannot_open(path, exc) from None
    _check_stat(info, path, what, limit)
    return info


def _check_stat(info: os.stat_result, path: Path, what: str, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next(
            (_(name) for test, name in _NOT_FILES if test(info.st_mode)), _("not a regular file")
        )
        if what in _STDIN_ALLOWED:
            hint = _("give {what} saved on disk, or pipe it in with {option}").format(
                what=_a(what), option=_STDIN_ALLOWED[what]
            )
        else:
            hint = _("give {what} saved on disk").format(what=_a(what))
        raise InputDataError(
            _("{path}: this is {kind}, not {what}").format(path=path, kind=kind, what=_a(what)),
            hint=hint,
        )
    if limit is not None and info.st_size > limit:
        raise InputDataError(
            _("{path}: the file is {size} bytes, more than the {limit} {what} may be").format(
                path=path, size=f"{info.st_size:,}", limit=describe_size(limit), what=_a(what)
            ),
            hint=_(_TOO_BIG.get(what, _RIGHT_FILE)),
        )


def _a(what: str) -> str:
    """``what`` with its article ("a contact file"), in the interface language."""
    known = _WITH_ARTICLE.get(what)
    if known is not None:
        return _(known)
    return ("an " if what[:1] in "aeiou" else "a ") + what


def _cannot_open(path: Path, exc: OSError) -> InputDataError:
    return InputDataError(
        _("cannot open {path}: {reason}").format(path=path, reason=describe_os_error(exc))
    )


# The inputs the commands name, with their article, for the messages.
_WITH_ARTICLE = {
    "contact file": N_("a contact file"),
    "target list": N_("a target list"),
    "text file": N_("a text file"),
    "evidence file": N_("an evidence file"),
}
# Inputs that may also come from standard input, and how.
_STDIN_ALLOWED = {"text file": "--text -", "target list": "--file -"}
_RIGHT_FILE = N_("check that you gave the right file")
_RIGHT_INPUT = N_("check that you gave the right input")
_TOO_BIG = {
    "contact file": N_("check that you gave the exported contact list"),
    "target list": N_(
        "a target list holds numbers or names, one a line (or a small CSV): "
        "check that you gave the right file"
    ),
    "text file": N_(
        "give the pasted chat or message text, not a whole export: "
        "check that you gave the right file"
    ),
}


def open_input(path: Path, what: str, limit: int | None = None) -> io.FileIO:
    """Open a checked regular file read-only (see :func:`check_input`).

    The path is checked before it is opened, so a named pipe or device is never
    opened; it is opened without blocking and checked again, so a file swapped
    for a pipe in between is refused too.
    """
    check_input(path, what, limit)
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # not on Windows, which has no FIFOs to fear
    flags = os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _cannot_open(path, exc) from None
    try:
        _check_stat(os.fstat(fd), path, what, limit)
        if nonblocking:
            os.set_blocking(fd, True)
        return io.FileIO(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def read_input(path: Path, what: str, limit: int = MAX_TEXT_FILE) -> bytes:
    """The whole of a small input: a checked regular file, or standard input for ``-``.

    Read in bounded chunks: more than ``limit`` bytes (a file that grew, or an
    endless pipe into standard input) is an InputDataError, not a full memory.
    """
    if str(path) == STDIN:
        return _read_capped(sys.stdin.buffer, _("standard input"), what, limit)
    with open_input(path, what, limit) as raw:
        return _read_capped(raw, str(path), what, limit)


def _read_capped(stream: BinaryIO, name: str, what: str, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    try:
        while chunk := stream.read(min(1 << 20, limit + 1 - size)):
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputDataError(
                    _("{name}: more than {limit}, the most {what} may be").format(
                        name=name, limit=describe_size(limit), what=_a(what)
                    ),
                    hint=_(_TOO_BIG.get(what, _RIGHT_INPUT)),
                )
    except OSError as exc:
        raise InputDataError(
            _("cannot read {name}: {reason}").format(name=name, reason=describe_os_error(exc))
        ) from None
    return b"".join(parts)

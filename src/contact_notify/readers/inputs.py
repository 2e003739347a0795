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
from contact_notify.readers.encoding import describe_size

# A target list or pasted chat (typed by hand or copied from a phone) is read whole: this is
# far more than any of them, and far less than memory.
MAX_TEXT_FILE = 10 << 20
STDIN = "-"

# What a path that is not a regular file is, for the message.
_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device (such as /dev/zero, /dev/urandom or a terminal)"),
    (stat.S_ISBLK, "a block device (a disk)"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def check_input(path: Path, what: str, limit: int | None = None) -> os.stat_result:
    """Check, without opening it, that ``path`` is a regular file of at most ``limit`` bytes.

    ``what`` names the input in messages ("contact file", "target list"…).  A link
    is followed.  Raises InputDataError naming the path and what it is otherwise.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputDataError(f"cannot open {path}: no such file", hint="check the path") from None
    except OSError as exc:
        raise InputDataError(f"cannot open {path}: {exc.strerror}") from None
    _check_stat(info, path, what, limit)
    return info


def _check_stat(info: os.stat_result, path: Path, what: str, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _NOT_FILES if test(info.st_mode)), "not a regular file")
        hint = f"give {_a(what)} saved on disk"
        if what in _STDIN_ALLOWED:
            hint += f", or pipe it in with {_STDIN_ALLOWED[what]}"
        raise InputDataError(f"{path}: this is {kind}, not {_a(what)}", hint=hint)
    if limit is not None and info.st_size > limit:
        raise InputDataError(
            f"{path}: the file is {info.st_size:,} bytes, more than the "
            f"{describe_size(limit)} {_a(what)} may be",
            hint=_TOO_BIG.get(what, "check that you gave the right file"),
        )


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


# Inputs that may also come from standard input, and how.
_STDIN_ALLOWED = {"text file": "--text -", "target list": "--file -"}
_TOO_BIG = {
    "contact file": "check that you gave the exported contact list",
    "target list": "a target list holds numbers or names, one a line (or a small CSV): "
    "check that you gave the right file",
    "text file": "give the pasted chat or message text, not a whole export: "
    "check that you gave the right file",
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
        raise InputDataError(f"cannot open {path}: {exc.strerror}") from None
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
        return _read_capped(sys.stdin.buffer, "standard input", what, limit)
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
                    f"{name}: more than {describe_size(limit)}, the most {_a(what)} may be",
                    hint=_TOO_BIG.get(what, "check that you gave the right input"),
                )
    except OSError as exc:
        raise InputDataError(f"cannot read {name}: {exc.strerror}") from None
    return b"".join(parts)

"""Pick the right reader for a contact file and run it: vCard or CSV, by name or by content.

Also the one place every file input is checked before it is read
(:func:`check_input`, :func:`open_input`, :func:`read_input`): it must be a
regular file (or ``-`` for standard input, where a command allows it); a folder,
device (``/dev/zero``), named pipe or socket is refused with an InputDataError
saying what it is, without being opened for reading.  The caps:

* contact files (``import``, ``inspect``): at most :data:`MAX_CONTACT_FILE`
  (4 GiB), read in 1 MiB chunks with memory that does not grow with the file;
  a physical line is at most 64 MiB (:data:`encoding.MAX_LINE`), a name, number
  or e-mail at most 64 KiB, a card at most 500 of them
  (:mod:`contact_notify.vcard_reader`), a CSV field at most 64 MiB;
* target lists and pasted text (``mark --file``, ``mark --text``), which are typed
  or pasted and read whole: at most :data:`MAX_TEXT_FILE` (10 MiB), from a file
  or from standard input;
* evidence files (``mark --attach``, ``attach``): any size (they are hashed as a
  stream), but only regular files.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from contact_notify.csv_reader import ColumnMap, CsvRead, read_csv
from contact_notify.encoding import (
    MAX_CONTACT_FILE,
    Decoder,
    Detected,
    canonical,
    describe_size,
    fallback_for,
    printable,
)
from contact_notify.errors import InputDataError, UsageError
from contact_notify.model import Contact, ReadIssue, Source
from contact_notify.vcard_reader import VCardRead, read_vcard

VCARD_SUFFIXES = (".vcf", ".vcard")
# A target list or pasted chat (typed by hand or copied from a phone) is read whole: this is
# far more than any of them, and far less than memory.
MAX_TEXT_FILE = 10 << 20
STDIN = "-"


@dataclass
class FileRead:
    """What reading one file gave: the kind, encoding, record count and issues."""

    source: str
    kind: str
    records: int = 0
    encoding: str = ""
    issues: list[ReadIssue] = field(default_factory=list)


def make_decoder(region: str, encoding: str | None) -> Decoder:
    """A decoder for the region's legacy charset, or the one forced with ``--encoding``."""
    forced = None
    if encoding:
        forced = canonical(encoding)
        if forced is None:
            raise UsageError(
                f"unknown encoding {encoding!r}",
                hint="give a text encoding such as utf-8, gb18030, big5 or shift_jis",
            )
    return Decoder(fallback=fallback_for(region), forced=forced)


def is_vcard(name: str, head: bytes) -> bool:
    """True for a ``.vcf`` name, or content that starts like a vCard."""
    if name.lower().endswith(VCARD_SUFFIXES):
        return True
    if name.lower().endswith((".csv", ".tsv", ".txt")):
        return False
    probe = head[:4096].replace(b"\x00", b"").upper()
    return b"BEGIN:VCARD" in probe


def read_stream(
    stream: BinaryIO,
    source: str,
    result: FileRead,
    decoder: Decoder,
    columns: ColumnMap | None = None,
) -> Iterator[Contact]:
    """Yield the contacts of one stream; fills ``result`` as it goes.

    A stream that is really a spreadsheet, document, archive, picture or database
    raises one InputDataError saying what it is (when the stream can be looked at
    without consuming it: it is seekable or buffered).  Each stream is read with its
    own copy of ``decoder``, so what one file's detection finds never leaks into
    the next file's.
    """
    check_not_binary(_head(stream), source, probe=stream)
    yield from _read_text(stream, source, result, replace(decoder, used=set()), columns)


def _read_text(
    stream: BinaryIO,
    source: str,
    result: FileRead,
    decoder: Decoder,
    columns: ColumnMap | None,
) -> Iterator[Contact]:
    if result.kind == "vcard":
        vread = VCardRead(source, decoder)
        try:
            yield from read_vcard(stream, vread)
        finally:
            issues = vread.issues
            doubt = _doubt(decoder)
            if doubt and not any(issue.reason == doubt for issue in issues):
                issues.insert(0, ReadIssue(Source(source, 1), doubt))
            result.records, result.issues, result.encoding = vread.cards, issues, vread.encoding
        return
    cread = CsvRead(source, decoder)
    try:
        yield from read_csv(stream, cread, columns)
    finally:
        result.records, result.issues, result.encoding = cread.rows, cread.issues, cread.encoding


def _doubt(decoder: Decoder) -> str | None:
    """The warning of an unsure charset detection made while a vCard was read, if any."""
    fallback = decoder.fallback
    return fallback.doubt if isinstance(fallback, Detected) else None


# --- Files that are not text: say what they are ------------------------------------------

# How much of a file's start is looked at for its format.
HEAD_SIZE = 4096

_SAVE_AS_CSV = "open it in Excel or WPS and save as CSV (UTF-8), then import the .csv file"
_EXPORT = (
    "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
    "and import that file"
)
_TABLE = (
    "; if it holds a table of contacts, copy the table into Excel or WPS and save as CSV (UTF-8)"
)
_EXTRACT = "extract it first, then import the .vcf or .csv file inside"
_PICTURE = "a picture of a contact list cannot be read: " + _EXPORT

# (what starts the file, offset, what it is, what to do)
_MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "a PDF document", _EXPORT + _TABLE),
    (b"\x89PNG\r\n\x1a\n", 0, "an image (PNG)", _PICTURE),
    (b"\xff\xd8\xff", 0, "an image (JPEG)", _PICTURE),
    (b"GIF87a", 0, "an image (GIF)", _PICTURE),
    (b"GIF89a", 0, "an image (GIF)", _PICTURE),
    (b"II*\x00", 0, "an image (TIFF)", _PICTURE),
    (b"MM\x00*", 0, "an image (TIFF)", _PICTURE),
    (b"SQLite format 3\x00", 0, "an SQLite database", _EXPORT),
    (b"\x1f\x8b", 0, "a gzip archive", _EXTRACT),
    (b"7z\xbc\xaf'\x1c", 0, "a 7-Zip archive", _EXTRACT),
    (b"Rar!\x1a\x07", 0, "a RAR archive", _EXTRACT),
    (b"\xfd7zXZ\x00", 0, "an xz archive", _EXTRACT),
)
# ISO media brands (bytes 8-12 after "ftyp") that are still pictures: HEIC/HEIF and AVIF.
_PICTURE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPEN_DOCUMENT = {
    b"spreadsheet": (
        "an OpenDocument spreadsheet (.ods)",
        "open it in LibreOffice, WPS or Excel and save as CSV (UTF-8), then import the .csv file",
    ),
    b"text": ("an OpenDocument text document (.odt)", _EXPORT + _TABLE),
    b"presentation": ("an OpenDocument presentation (.odp)", _EXPORT),
}


def check_not_binary(head: bytes, source: str, probe: BinaryIO | None = None) -> None:
    """Raise InputDataError when a file's first bytes say it is not text.

    Recognised by their magic bytes: Office files (xlsx, docx, pptx; xls, doc, ppt and
    WPS's et/wps/dps), OpenDocument, zip, PDF, PNG, JPEG, GIF, WebP, TIFF, HEIC/AVIF,
    SQLite, gzip, 7z, RAR and xz.  A seekable ``probe`` lets a zip archive be told
    apart by its members (xlsx from docx, an archive holding a .vcf); it is left at
    the position it had.
    """
    found = binary_format(head, source, probe)
    if found is not None:
        what, hint = found
        raise InputDataError(
            f"{source}: this is {what}, not a vCard or CSV contact list", hint=hint
        )


def binary_format(head: bytes, name: str, probe: BinaryIO | None = None) -> tuple[str, str] | None:
    """What a file is and what to do with it, when its first bytes say it is not text."""
    for magic, offset, what, hint in _MAGIC:
        if head[offset:].startswith(magic):
            return what, hint
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "an image (WebP)", _PICTURE
    if head[4:8] == b"ftyp":
        if head[8:12] in _PICTURE_BRANDS:
            return "an image (HEIC)", _PICTURE
        return "a video or sound file", _EXPORT
    if head.startswith(_ZIP):
        return _zip_format(head, name, probe)
    if head.startswith(_OLE2):
        return _office97_format(head, name, probe)
    return None


def _zip_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an OpenDocument or Office file from a plain zip archive by its members."""
    # OpenDocument stores "mimetype" first and uncompressed: its content is in the head.
    if head[30:38] == b"mimetype":
        kind = head[38:120].removeprefix(b"application/vnd.oasis.opendocument.")
        for word, found in _OPEN_DOCUMENT.items():
            if kind.startswith(word):
                return found
    members = _zip_members(probe) or _local_names(head)
    tops = {member.split("/", 1)[0] for member in members}
    if "xl" in tops:
        return "an Excel workbook (.xlsx)", _SAVE_AS_CSV
    if "word" in tops:
        return "a Word document (.docx)", _EXPORT + _TABLE
    if "ppt" in tops:
        return "a PowerPoint presentation (.pptx)", _EXPORT
    if name.lower().endswith(".numbers"):
        return (
            "an Apple Numbers spreadsheet",
            "export it from Numbers as CSV, then import the .csv file",
        )
    inside = [m for m in members if m.lower().endswith((".vcf", ".vcard", ".csv"))]
    if inside:
        listed = ", ".join(printable(m, 60) for m in inside[:3]) + (
            ", …" if len(inside) > 3 else ""
        )
        return "a zip archive", f"{_EXTRACT} (it holds {listed})"
    return "a zip archive", _EXTRACT


def _zip_members(probe: BinaryIO | None) -> list[str]:
    """The member names of a zip archive, read from its directory; empty when they cannot be."""
    if probe is None or not probe.seekable():
        return []
    position = probe.tell()
    try:
        with zipfile.ZipFile(probe) as archive:
            return archive.namelist()[:10_000]
    except Exception:  # a damaged archive: its members are unknown, it is still a zip
        return []
    finally:
        probe.seek(position)


def _local_names(head: bytes) -> list[str]:
    """Member names in the zip local headers found in the head (when the directory is out of reach)."""
    names = []
    at = 0
    while head[at : at + 4] == b"PK\x03\x04" and at + 30 <= len(head):
        (size,) = struct.unpack_from("<I", head, at + 18)
        length, extra = struct.unpack_from("<HH", head, at + 26)
        names.append(head[at + 30 : at + 30 + length].decode("utf-8", errors="replace"))
        at += 30 + length + extra + size
    return names


# Office 97-2003 files are OLE2 compound files; their main stream names the program.
_OLE_STREAMS = (
    ("Workbook".encode("utf-16-le"), "an Excel 97-2003 workbook (.xls)", _SAVE_AS_CSV),
    ("Book".encode("utf-16-le"), "an Excel 5 workbook (.xls)", _SAVE_AS_CSV),
    ("WordDocument".encode("utf-16-le"), "a Word 97-2003 document (.doc)", _EXPORT + _TABLE),
    (
        "PowerPoint Document".encode("utf-16-le"),
        "a PowerPoint 97-2003 presentation (.ppt)",
        _EXPORT,
    ),
)
_OLE_SUFFIXES = {
    ".xls": ("an Excel 97-2003 workbook (.xls)", _SAVE_AS_CSV),
    ".et": ("a WPS spreadsheet (.et)", _SAVE_AS_CSV),
    ".ett": ("a WPS spreadsheet template (.ett)", _SAVE_AS_CSV),
    ".doc": ("a Word 97-2003 document (.doc)", _EXPORT + _TABLE),
    ".wps": ("a WPS document (.wps)", _EXPORT + _TABLE),
    ".ppt": ("a PowerPoint 97-2003 presentation (.ppt)", _EXPORT),
    ".dps": ("a WPS presentation (.dps)", _EXPORT),
}


def _office97_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an old Excel, Word or PowerPoint file (or WPS's) apart by its name or its streams."""
    suffix = name.lower()[name.rfind(".") :] if "." in name else ""
    if suffix in _OLE_SUFFIXES:
        return _OLE_SUFFIXES[suffix]
    directory = head
    if probe is not None and probe.seekable() and len(head) >= 0x34:
        # The first sectors of the directory, where the main stream's entry usually is.
        (shift,) = struct.unpack_from("<H", head, 0x1E)
        (first,) = struct.unpack_from("<I", head, 0x30)
        if 7 <= shift <= 12 and first < 1 << 24:
            position = probe.tell()
            try:
                probe.seek((first + 1) << shift)
                directory = probe.read(4 << shift)
            except OSError:
                directory = head
            finally:
                probe.seek(position)
    for stream_name, what, hint in _OLE_STREAMS:
        if stream_name in directory:
            return what, hint
    return (
        "a Microsoft Office 97-2003 or WPS file",
        "if it is a spreadsheet, " + _SAVE_AS_CSV + "; otherwise " + _EXPORT,
    )


def _head(stream: BinaryIO) -> bytes:
    """The first bytes of a stream without consuming them, when it can be peeked or rewound."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(HEAD_SIZE)[:HEAD_SIZE])
    if stream.seekable():
        position = stream.tell()
        try:
            return stream.read(HEAD_SIZE)
        finally:
            stream.seek(position)
    return b""


# --- Every file input: a regular file of a sane size -----------------------------------------

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


class _Counting(io.RawIOBase):
    """A read-only byte stream that reports how many bytes were read so far."""

    def __init__(self, raw: BinaryIO, progress: Callable[[int], None]) -> None:
        self._raw = raw
        self._progress = progress
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._done += count or 0
        self._progress(self._done)
        return int(count or 0)


def read_file(
    path: Path,
    result: FileRead,
    decoder: Decoder,
    columns: ColumnMap | None = None,
    label: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Contact]:
    """Open a contact file read-only and yield its contacts; ``label`` names it in messages.

    The file must be a regular file of at most :data:`MAX_CONTACT_FILE` bytes
    (see :func:`open_input`).  ``progress`` is called with the number of bytes read so far.
    """
    raw = open_input(path, "contact file", MAX_CONTACT_FILE)
    source = label or str(path)
    with raw, io.BufferedReader(_Counting(raw, progress) if progress else raw) as stream:
        head = stream.peek(HEAD_SIZE)[:HEAD_SIZE]
        check_not_binary(head, source, probe=raw if raw.seekable() else None)
        result.kind = "vcard" if is_vcard(path.name, head) else "csv"
        yield from _read_text(stream, source, result, replace(decoder, used=set()), columns)

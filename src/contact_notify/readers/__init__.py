"""Contact files in, contacts out: the one entry point of the readers.

Picks the reader for a file (vCard or CSV, by name or by content) and runs it;
everything else of the readers that other modules use is exported from here.

* :mod:`.inputs`: the one check every file input passes before it is read
  (:func:`check_input`, :func:`open_input`, :func:`read_input`);
* :mod:`.binary`: spreadsheets, documents, archives and pictures named by their magic bytes;
* :mod:`.vcard` (with :mod:`.vcard_lines` and :mod:`.vcard_props`): the vCard reader;
* :mod:`.sheets` (with :mod:`.columns`): the CSV reader and its column aliases;
* :mod:`.encoding`: BOMs, UTF-16, chunks and lines, charset names, the :class:`Decoder`;
* :mod:`.charsets`: which charset a file that is not UTF-8 is in.

The caps:

* contact files (``import``, ``inspect``): at most :data:`MAX_CONTACT_FILE`
  (4 GiB), read in 1 MiB chunks with memory that does not grow with the file;
  a physical line is at most 64 MiB (:data:`MAX_LINE`), a name, number
  or e-mail at most 64 KiB, a card at most 500 of them
  (:mod:`contact_notify.readers.vcard`), a CSV field at most 64 MiB;
* target lists and pasted text (``mark --file``, ``mark --text``), which are typed
  or pasted and read whole: at most :data:`MAX_TEXT_FILE` (10 MiB), from a file
  or from standard input;
* evidence files (``mark --attach``, ``attach``): any size (they are hashed as a
  stream), but only regular files.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from contact_notify.errors import UsageError
from contact_notify.i18n import _
from contact_notify.model import Contact, ReadIssue, Source
from contact_notify.readers.binary import HEAD_SIZE, binary_format, check_not_binary, stream_head
from contact_notify.readers.charsets import Detected
from contact_notify.readers.columns import COLUMN_ALIASES, ColumnMap, header_key, split_numbers
from contact_notify.readers.encoding import (
    MAX_CONTACT_FILE,
    MAX_LINE,
    MAX_VALUE,
    MAX_VALUES,
    Decoder,
    canonical,
    describe_size,
    fallback_for,
)
from contact_notify.readers.inputs import (
    MAX_TEXT_FILE,
    STDIN,
    check_input,
    open_input,
    read_input,
)
from contact_notify.readers.sheets import FIELD_SIZE_LIMIT, CsvRead, read_csv, sniff_delimiter
from contact_notify.readers.vcard import VCardRead, read_vcard

__all__ = [
    "COLUMN_ALIASES",
    "FIELD_SIZE_LIMIT",
    "MAX_CONTACT_FILE",
    "MAX_LINE",
    "MAX_TEXT_FILE",
    "MAX_VALUE",
    "MAX_VALUES",
    "STDIN",
    "VCARD_SUFFIXES",
    "ColumnMap",
    "Decoder",
    "FileRead",
    "binary_format",
    "check_input",
    "check_not_binary",
    "describe_size",
    "fallback_for",
    "header_key",
    "is_vcard",
    "make_decoder",
    "open_input",
    "read_file",
    "read_input",
    "read_stream",
    "sniff_delimiter",
    "split_numbers",
]

VCARD_SUFFIXES = (".vcf", ".vcard")


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
                _("unknown encoding {encoding}").format(encoding=repr(encoding)),
                hint=_("give a text encoding such as utf-8, gb18030, big5 or shift_jis"),
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
    check_not_binary(stream_head(stream), source, probe=stream)
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

"""Pick the right reader for a contact file and run it: vCard or CSV, by name or by content."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from contact_notify.csv_reader import ColumnMap, CsvRead, read_csv
from contact_notify.encoding import Decoder, canonical, fallback_for
from contact_notify.errors import InputDataError, UsageError
from contact_notify.model import Contact, ReadIssue
from contact_notify.vcard_reader import VCardRead, read_vcard

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
    """Yield the contacts of one stream; fills ``result`` as it goes."""
    if result.kind == "vcard":
        vread = VCardRead(source, decoder)
        try:
            yield from read_vcard(stream, vread)
        finally:
            result.records, result.issues, result.encoding = (
                vread.cards,
                vread.issues,
                vread.encoding,
            )
        return
    cread = CsvRead(source, decoder)
    try:
        yield from read_csv(stream, cread, columns)
    finally:
        result.records, result.issues, result.encoding = cread.rows, cread.issues, cread.encoding


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

    ``progress`` is called with the number of bytes read so far.
    """
    try:
        raw = path.open("rb", buffering=0)
    except OSError as exc:
        raise InputDataError(f"cannot open {path}: {exc.strerror}") from None
    with raw, io.BufferedReader(_Counting(raw, progress) if progress else raw) as stream:
        result.kind = "vcard" if is_vcard(path.name, stream.peek(4096)) else "csv"
        yield from read_stream(stream, label or str(path), result, decoder, columns)

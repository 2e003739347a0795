"""Helpers for reader tests: read a fixture or bytes into contacts and issues."""

from __future__ import annotations

import io
from pathlib import Path

from contact_notify.model import Contact
from contact_notify.readers import Decoder, FileRead, read_stream

DATA = Path(__file__).resolve().parent / "data"


def read_bytes(
    data: bytes,
    name: str,
    kind: str = "vcard",
    region_fallback: str = "gb18030",
    columns: list[tuple[str, str]] | None = None,
) -> tuple[list[Contact], FileRead]:
    """Read contacts from bytes, as a file called ``name`` of the given kind."""
    result = FileRead(name, kind=kind)
    contacts = list(read_stream(io.BytesIO(data), name, result, Decoder(region_fallback), columns))
    return contacts, result


def read_fixture(
    name: str, columns: list[tuple[str, str]] | None = None
) -> tuple[list[Contact], FileRead]:
    """Read one fixture from tests/data."""
    kind = "vcard" if name.endswith(".vcf") else "csv"  # .csv and .txt sheets
    return read_bytes((DATA / name).read_bytes(), name, kind, columns=columns)


def summary(contacts: list[Contact]) -> list[tuple[str, list[str]]]:
    """(name, raw numbers) per contact, the shape most assertions compare."""
    return [(c.name, [p.raw for p in c.phones]) for c in contacts]

"""Exporters: the bulk-sending CSV, and the message log entry for each exported row."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from contact_notify.case import Case
from contact_notify.fileio import atomic_write, refuse_existing
from contact_notify.messages import Message

CSV_COLUMNS = ("name", "phone", "message", "template")


def messages_csv(messages: Sequence[Message]) -> bytes:
    """The export CSV: a header and one row per message, UTF-8, RFC 4180 quoting and CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for m in messages:
        writer.writerow((m.name, m.phone, m.body.rstrip("\n"), m.template))
    return buffer.getvalue().encode("utf-8")


def export_csv(case: Case, path: Path, messages: Sequence[Message], *, force: bool) -> None:
    """Write the CSV atomically and log each message in the case (the caller holds the transaction).

    The log rows are written first and committed by the caller only after the
    file is in place, so the case never claims an export that did not happen.
    """
    refuse_existing(path, force)
    target = str(path.resolve())
    for m in messages:
        case.add_message(m.contact_id, m.reach_id, m.template, m.channel, m.phone, m.body, target)
    atomic_write(path, messages_csv(messages), force=force)

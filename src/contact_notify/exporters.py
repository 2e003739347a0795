"""Exporters: the messages as CSV, the reached contacts as vCard, e-mail drafts, and the log.

Every export records in the case exactly which text went to which contact.

CSV cells are made formula-safe by :mod:`contact_notify.csvsafe` (an
apostrophe before a leading ``= + - @``, undone exactly by the project's CSV
reader).  Phone numbers are written without a leading ``+`` by default (``national``:
``13800138000``, ``0085291234567`` from abroad), so they need no apostrophe
and read as the right digits everywhere.
"""

from __future__ import annotations

import csv
import email.policy
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import NoReturn

from contact_notify import faults
from contact_notify.case import Case
from contact_notify.csvsafe import protect
from contact_notify.errors import NothingToDo, OutputError, UsageError
from contact_notify.fileio import (
    Staged,
    atomic_write,
    discard,
    publish,
    published,
    refuse_existing,
    stage_file,
    stage_folder,
)
from contact_notify.messages import Message
from contact_notify.model import StoredContact
from contact_notify.phones import PHONE_FORMATS, format_phone

FORMATS = ("csv", "vcf", "html", "eml")
# Text a vCard line carries as is (vobject escapes \n, commas, semicolons and backslashes).
_PLAIN_TEXT = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f]*")
CSV_COLUMNS = ("name", "phone", "message", "template")
CSV_FIELDS = (
    "name", "phone", "message", "template", "channel", "subject", "email", "parts",
    "reason", "contact_id",
)  # fmt: skip


@dataclass(frozen=True)
class CsvOptions:
    """How a CSV export is laid out."""

    columns: tuple[str, ...] = CSV_COLUMNS
    phone_format: str = "national"
    excel: bool = False
    region: str = "CN"

    def __post_init__(self) -> None:
        unknown = [c for c in self.columns if c not in CSV_FIELDS]
        if unknown or not self.columns:
            raise UsageError(
                f"unknown column(s): {', '.join(unknown) or '(none given)'}",
                hint="columns: " + ", ".join(CSV_FIELDS),
            )
        if self.phone_format not in PHONE_FORMATS:
            raise UsageError(
                f"unknown phone format {self.phone_format!r}", hint="use national, e164 or digits"
            )


def _value(m: Message, column: str, options: CsvOptions) -> str:
    if column == "phone":
        return format_phone(m.phone, options.phone_format, options.region) if m.phone else ""
    if column == "message":
        return m.body.rstrip("\n")
    if column == "parts":
        return str(m.segments.parts) if m.segments else ""
    return str(getattr(m, column))


def messages_csv(messages: Sequence[Message], options: CsvOptions | None = None) -> bytes:
    """The export CSV: a header and one row per message, every cell formula-safe.

    Plain: UTF-8, CRLF (RFC 4180).  ``excel``: UTF-8 with a BOM, so Excel on
    Chinese Windows does not read it as GBK.
    """
    options = options or CsvOptions()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(options.columns)
    for m in messages:
        writer.writerow([protect(_value(m, c, options)) for c in options.columns])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if options.excel else text.encode("utf-8")


def contacts_vcard(contacts: Sequence[StoredContact], group: str) -> bytes:
    """Reached contacts as one vCard 3.0 file, each in ``group``, written by vobject."""
    import vobject

    out = []
    for stored in contacts:
        c = stored.contact
        card = vobject.vCard()
        fn = card.add("fn")
        if _PLAIN_TEXT.fullmatch(stored.name):
            fn.value = stored.name
        else:  # control characters (a CR would end the line): base64, which every reader decodes
            fn.value = stored.name.encode("utf-8")
            fn.encoding_param = "b"
            fn.charset_param = "UTF-8"
        card.add("n").value = vobject.vcard.Name(family=c.family, given=c.given)
        for phone in c.phones:
            tel = card.add("tel")
            tel.value = phone.e164 or phone.raw
            tel.type_param = "CELL" if phone.label == "mobile" else (phone.label.upper() or "VOICE")
        for address in c.emails:
            card.add("email").value = address
        if c.org:
            card.add("org").value = [c.org]
        card.add("categories").value = [g for g in [*c.groups, group] if g]
        out.append(card.serialize())
    return "".join(out).encode("utf-8")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# The names e-mail drafts are written under: 001-王秀英.eml
_DRAFT_NAME = re.compile(r"[0-9]{3}-.+\.eml")


def _header_text(text: str) -> str:
    """Header text without control characters (a CR or LF could start a header of its own)."""
    return _CONTROL.sub(" ", text).strip()


def email_draft(m: Message, sender: str, sender_address: str) -> bytes:
    """One unsent e-mail (RFC 5322, UTF-8 subject and body encoded to the standard).

    An address with a non-ASCII part (``wang@例子.中国``) is written as
    internationalised mail (RFC 6532), which current mail programs open.
    Raises ValueError for an address that cannot be written at all.
    """
    addresses = [m.email, sender_address]
    international = not all(a.isascii() for a in addresses)
    message = EmailMessage(policy=email.policy.SMTPUTF8 if international else email.policy.SMTP)
    try:
        message["To"] = Address(_header_text(m.name), addr_spec=_header_text(m.email))
        if sender_address:
            message["From"] = Address(_header_text(sender), addr_spec=_header_text(sender_address))
        message["Subject"] = _header_text(m.subject)
        message["X-Unsent"] = "1"  # mail programs open it as a draft, ready to send
        message.set_content(m.body, charset="utf-8")
        return message.as_bytes()
    except (ValueError, UnicodeError, IndexError) as exc:
        raise ValueError(f"cannot write an e-mail to {m.email!r}") from exc


def _safe_name(name: str) -> str:
    cleaned = re.sub(r'[\x00-\x1f/\\:*?"<>|]+', "_", name).strip(" .")
    return cleaned[:60] or "contact"


@dataclass
class ExportResult:
    """What an export wrote, or would write."""

    format: str
    path: Path
    written: list[Path] = field(default_factory=list)
    messages: int = 0
    skipped: list[str] = field(default_factory=list)


def format_for(out: Path, given: str | None) -> str:
    """The export format: --format, else the extension; a folder (or a name without one) is eml."""
    if given:
        if given not in FORMATS:
            raise UsageError(f"unknown format {given!r}", hint="use csv, vcf, html or eml")
        return given
    suffix = out.suffix.lower().lstrip(".")
    if suffix in ("csv", "vcf", "html"):
        return suffix
    if suffix == "htm":
        return "html"
    if out.is_dir() or not suffix or str(out).endswith("/"):
        return "eml"
    raise UsageError(
        f"cannot tell the format of {out.name}",
        hint="end it in .csv, .vcf or .html, give a folder for e-mail drafts, or use --format",
    )


def export(
    case: Case,
    out: Path,
    fmt: str,
    messages: Sequence[Message],
    *,
    force: bool,
    dry_run: bool,
    csv_options: CsvOptions | None = None,
    group: str = "",
    page: str = "",
) -> ExportResult:
    """Write an export and log its messages in the case, so that the two always agree.

    The whole output is first written aside; then the case records the export
    and its messages (one transaction, state "writing"); then the output is put
    under its name; then the case marks the export done.  A kill at any point
    is finished or undone by :func:`recover` on the next open, so a file never
    stands under its name without its log, nor a log without its file.  The
    caller holds no transaction.  ``dry_run`` writes nothing and logs nothing.
    """
    result = ExportResult(fmt, out)
    if fmt == "eml":
        return _export_eml(case, out, messages, force=force, dry_run=dry_run, result=result)
    refuse_existing(out, force)
    if fmt == "csv":
        messages = _deliverable(messages, result)
        if not messages:
            _nothing_deliverable(result, "CSV")
        data = messages_csv(messages, csv_options)
    elif fmt == "vcf":
        wanted = {m.contact_id for m in messages}
        data = contacts_vcard([s for s in case.reached_contacts() if s.id in wanted], group)
    else:
        data = page.encode("utf-8")
    result.messages = len(messages)
    result.written = [out]
    if dry_run:
        return result
    if fmt == "vcf":  # a vCard of the contacts sends nobody anything: no message is logged
        atomic_write(out, data, force=force)
        return result
    target = str(out.resolve())
    staged = stage_file(out, data, force=force)
    _record_and_publish(case, staged, force, [(m, target) for m in messages])
    return result


def _record_and_publish(
    case: Case, staged: Staged, force: bool, logged: list[tuple[Message, str]]
) -> None:
    """Record a staged export with its messages, put it in place, then mark it done."""
    try:
        with case.transaction():
            export_id = case.begin_export(
                str(staged.final.resolve()), str(staged.staging.resolve()), staged.digest,
                folder=staged.folder, force=force,
            )  # fmt: skip
            for m, target in logged:
                case.add_message(
                    m.contact_id, m.reach_id, m.template, m.channel,
                    m.email if staged.folder else m.phone,
                    m.body, target, m.subject, export_id,
                )  # fmt: skip
    except BaseException:
        discard(staged)
        raise
    try:
        faults.point("export:recorded")
        publish(staged, force=force)
        faults.point("export:published")
    except BaseException:
        if not published(staged):  # nothing appeared under the name: the export did not happen
            discard(staged)
            with case.transaction():
                case.drop_export(export_id)
            raise
        # Interrupted after the output was in place: finish, as the next open would.
    with case.transaction("export"):
        case.finish_export(export_id)


def _deliverable(messages: Sequence[Message], result: ExportResult) -> list[Message]:
    """The messages a CSV for sending can carry; the rest are listed as skipped.

    An SMS needs a valid mobile number and an e-mail an address; a contact
    without one is not exported (nor logged), so they stay "still to notify".
    """
    kept = []
    for m in messages:
        if m.channel == "sms" and not m.mobile:
            result.skipped.append(f"{m.name}: no mobile number for an SMS; reach them another way")
        elif m.channel == "email" and not m.email:
            result.skipped.append(f"{m.name}: no e-mail address")
        else:
            kept.append(m)
    return kept


def _nothing_deliverable(result: ExportResult, what: str) -> NoReturn:
    """Every message was skipped for want of an address: write nothing, and say why."""
    reasons: dict[str, int] = {}
    for skipped in result.skipped:
        reason = next(
            (r for r in ("no mobile number", "no e-mail address") if f": {r}" in skipped),
            "an address that cannot be used",
        )
        reasons[reason] = reasons.get(reason, 0) + 1
    counts = ", ".join(f"{n} with {reason}" for reason, n in reasons.items())
    raise NothingToDo(
        f"no {what} to write: none of the {len(result.skipped)} reached contact(s) waiting for a "
        f"message can get one ({counts}); nothing was written",
        hint="add their numbers or addresses to your contact file and import it again, or choose "
        "another channel: contact-notify export send.html --channel wechat",
    )


def _export_eml(
    case: Case,
    folder: Path,
    messages: Sequence[Message],
    *,
    force: bool,
    dry_run: bool,
    result: ExportResult,
) -> ExportResult:
    """One draft per contact with an address, in a folder built aside and swapped in whole."""
    sender = case.get_setting("sender") or ""
    contact = case.get_setting("sender-contact") or ""
    sender_address = contact if "@" in contact else ""
    with_address = []
    for m in messages:
        if m.email:
            with_address.append(m)
        else:
            result.skipped.append(f"{m.name}: no e-mail address")
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise OutputError(
            f"{folder} is a file, not a folder", hint="give a folder for e-mail drafts"
        )
    drafts: dict[str, tuple[Message, bytes]] = {}
    for m in with_address:  # build every draft before writing any
        try:
            data = email_draft(m, sender, sender_address)
        except ValueError:
            result.skipped.append(f"{m.name}: the e-mail address {m.email!r} cannot be used")
            continue
        drafts[f"{len(drafts) + 1:03d}-{_safe_name(m.name)}.eml"] = (m, data)
    if folder.is_dir():
        present = [p for p in folder.iterdir() if not p.name.startswith(".")]
        others = [p for p in present if not _DRAFT_NAME.fullmatch(p.name)]
        if others:
            raise OutputError(
                f"{folder} holds other files (such as {others[0].name}); nothing was written",
                hint="e-mail drafts go into a folder of their own: choose a new folder",
            )
        if present and not force:
            raise OutputError(
                f"{folder} already holds e-mail drafts from an earlier export; nothing was written",
                hint="choose a new folder, or add --force to replace those drafts",
            )
    if not drafts:
        _nothing_deliverable(result, "e-mail draft")
    result.written = [folder / name for name in drafts]
    result.messages = len(drafts)
    if dry_run:
        return result
    staged = stage_folder(folder, {n: d for n, (_, d) in drafts.items()}, replaceable=force)
    target = folder.resolve()
    _record_and_publish(
        case, staged, force, [(m, str(target / name)) for name, (m, _) in drafts.items()]
    )
    return result

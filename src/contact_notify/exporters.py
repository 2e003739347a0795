"""Exporters: the messages as CSV, the reached contacts as vCard, e-mail drafts, and the log.

Every export records in the case exactly which text went to which contact.

CSV cells are made formula-safe by :mod:`contact_notify.csvsafe` (an
apostrophe before a leading ``= + - @``, undone exactly by the project's CSV
reader).  Phone numbers are written without a leading ``+`` by default (``national``:
``13800138000``, ``0085291234567`` from abroad), so they need no apostrophe
and read as the right digits everywhere.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from contact_notify import faults, textsafe
from contact_notify.csvsafe import write_csv
from contact_notify.errors import NothingToDo, OutputError, UsageError
from contact_notify.fileio import (
    Staged,
    atomic_write,
    check_folder,
    discard,
    publish,
    published,
    refuse_existing,
    stage_file,
    stage_folder,
    staging_for,
)
from contact_notify.formats import OutputFormats
from contact_notify.i18n import N_, _
from contact_notify.messages import Message
from contact_notify.model import StoredContact
from contact_notify.phones import PHONE_FORMATS, format_phone
from contact_notify.store import Case

# The export formats: --format, else the extension; a folder (or a name without one) is eml.
FORMATS = OutputFormats(
    names=("csv", "vcf", "html", "eml"),
    suffixes={"csv": "csv", "vcf": "vcf", "html": "html", "htm": "html"},
    unknown_hint=N_("use csv, vcf, html or eml"),
    unclear=N_("cannot tell the format of {name}"),
    unclear_hint=N_(
        "end it in .csv, .vcf or .html, give a folder for e-mail drafts, or use --format"
    ),
    folder="eml",
)
# Text a vCard line carries as is (vobject escapes \n, commas, semicolons and backslashes).
_PLAIN_TEXT = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f-\x9f]*")
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
                _("unknown column(s): {columns}").format(
                    columns=", ".join(unknown) or _("(none given)")
                ),
                hint=_("columns: {columns}").format(columns=", ".join(CSV_FIELDS)),
            )
        if self.phone_format not in PHONE_FORMATS:
            raise UsageError(
                _("unknown phone format {format}").format(format=repr(self.phone_format)),
                hint=_("use national, e164 or digits"),
            )


# The CSV columns that are a Message's text fields as they are.
_TEXT_FIELDS = frozenset({"name", "template", "channel", "subject", "email", "reason"})


def _cell(column: str, options: CsvOptions) -> Callable[[Message], str]:
    """How one column's cell is made from a message (chosen once per export, not per cell)."""
    if column == "phone":
        phone_format, region = options.phone_format, options.region
        return lambda m: format_phone(m.phone, phone_format, region) if m.phone else ""
    if column == "message":
        return lambda m: m.body.rstrip("\n")
    if column == "parts":
        return lambda m: str(m.segments.parts) if m.segments else ""
    field = operator.attrgetter(column)
    if column in _TEXT_FIELDS:
        return field  # a text already: no str() to call for each message
    return lambda m: str(field(m))


def messages_csv(messages: Sequence[Message], options: CsvOptions | None = None) -> bytes:
    """The export CSV: a header and one row per message, every cell formula-safe.

    Plain: UTF-8, CRLF (RFC 4180).  ``excel``: UTF-8 with a BOM, so Excel on
    Chinese Windows does not read it as GBK.
    """
    options = options or CsvOptions()
    cells = [_cell(c, options) for c in options.columns]
    rows = [options.columns, *([cell(m) for cell in cells] for m in messages)]
    return write_csv(rows, bom=options.excel).encode("utf-8")


# vCard TYPE values for the labels the readers give; any other label is written as the
# iPhone does, an X-ABLabel grouped with its number (item1.TEL + item1.X-ABLabel), so no
# label ever reaches a parameter, where quotes, commas or line breaks cannot be written.
_TEL_TYPES = {
    "mobile": "CELL", "work": "WORK", "home": "HOME", "fax": "FAX", "pager": "PAGER",
    "main": "MAIN", "other": "OTHER", "car": "CAR",
}  # fmt: skip
# Control characters other than tab and line breaks, which vCard text cannot carry (vobject
# escapes line breaks as \n, commas, semicolons and backslashes itself).
_VCARD_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _tel_types(label: str) -> list[str] | None:
    """The TYPE values of a label made of known words (``work fax``), else None."""
    if not label:
        return ["VOICE"]
    words = label.split(" ")
    if all(w in _TEL_TYPES for w in words):
        return list(dict.fromkeys(_TEL_TYPES[w] for w in words))
    return None


def _vcard_text(text: str) -> str:
    """Text for a vCard value other than FN: control characters shown as escapes (\\x1b)."""
    return _VCARD_UNSAFE.sub(lambda m: textsafe.line(m.group()), text)


def contacts_vcard(contacts: Sequence[StoredContact], group: str) -> bytes:
    """Reached contacts as one vCard 3.0 file, each in ``group``, written by vobject.

    Every value goes through vCard's escaping (vobject's); a name that holds
    control characters is written base64 (exact, and every reader decodes it);
    other values show such characters as escapes.  Labels: see ``_TEL_TYPES``.
    """
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
        card.add("n").value = vobject.vcard.Name(
            family=_vcard_text(c.family), given=_vcard_text(c.given)
        )
        items = 0
        for phone in c.phones:
            types = _tel_types(phone.label)
            if types is None:
                items += 1
                tel = card.add("tel", group=f"item{items}")
                tel.params["TYPE"] = ["VOICE"]
                card.add("x-ablabel", group=f"item{items}").value = _vcard_text(phone.label)
            else:
                tel = card.add("tel")
                tel.params["TYPE"] = types
            tel.value = _vcard_text(phone.number)
        for address in c.emails:
            card.add("email").value = _vcard_text(address)
        if c.org:
            card.add("org").value = [_vcard_text(c.org)]
        card.add("categories").value = [_vcard_text(g) for g in [*c.groups, group] if g]
        out.append(card.serialize())
    return "".join(out).encode("utf-8")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# The names e-mail drafts are written under: 001-王秀英.eml
_DRAFT_NAME = re.compile(r"[0-9]{3,}-.+\.eml")


# Lone surrogates (undecodable bytes carried through) cannot be encoded; they become U+FFFD.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _header_text(text: str) -> str:
    """Header text without control characters (a CR or LF could start a header of its own).

    Lone surrogates become U+FFFD, so a name or subject can always be written.
    """
    return _CONTROL.sub(" ", _SURROGATES.sub("\ufffd", text)).strip()


class SenderAddressError(ValueError):
    """The sender's address (``config sender-contact``) cannot be a draft's From."""


def email_address(text: str) -> str:
    """The address a draft is written to, or ValueError saying why ``text`` cannot be one.

    The one check for every e-mail address the tool writes (recipients' and the
    sender's): ``local@domain`` with no space, control character, quote,
    comment or angle bracket; a local part of dot-separated ASCII atoms; a
    domain of two or more dot-separated labels (letters of any script, digits,
    hyphens inside) or a bracketed IP address; and read back from a written
    header as exactly itself.  Surrounding spaces are ignored.
    """
    import ipaddress
    import unicodedata

    value = text.strip()
    if not value:
        raise ValueError(_("it is empty"))
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in value):
        raise ValueError(_("it contains a space or a control character"))
    if value.count("@") != 1:
        raise ValueError(_("it must hold exactly one @"))
    local, domain = value.split("@")
    if not local or not domain:
        raise ValueError(_("it needs a name before the @ and a domain after it"))
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        try:
            if literal.startswith("IPv6:"):
                ipaddress.IPv6Address(literal.removeprefix("IPv6:"))
            else:
                ipaddress.IPv4Address(literal)
        except ValueError:
            raise ValueError(
                _("{domain} is not an IP address such as [192.0.2.1]").format(domain=domain)
            ) from None
    else:
        labels = domain.split(".")
        if len(labels) < 2 or not all(labels):
            raise ValueError(
                _("{domain} is not a domain such as example.com").format(domain=domain)
            )
        for label in labels:
            if (
                label.startswith("-")
                or label.endswith("-")
                or not all(c.isalnum() or c == "-" for c in label)
            ):
                raise ValueError(
                    _("{domain} is not a domain such as example.com").format(domain=domain)
                )
    import email.policy  # here, not at the top: only e-mail needs the email package (50 ms)
    from email.headerregistry import Address
    from email.message import EmailMessage

    try:
        parsed = Address(addr_spec=value)
        header = EmailMessage(policy=email.policy.SMTPUTF8)
        header["To"] = parsed
        read_back = email.message_from_string(header.as_string(), policy=email.policy.default)
        addresses = read_back["To"].addresses
    except Exception:  # the email package raises several kinds here; any means "not valid"
        raise ValueError(
            _("{local} is not a valid name before the @").format(local=local)
        ) from None
    if parsed.addr_spec != value or [a.addr_spec for a in addresses] != [value]:
        raise ValueError(_("{local} is not a valid name before the @").format(local=local))
    return value


def sender_address(setting: str) -> str:
    """The From address a ``sender-contact`` setting gives, or "" for none.

    A setting meant as an e-mail address (it holds an @ and no space) must be
    a valid one (ValueError otherwise); anything else (``微信 xiaolin88``,
    ``QQ 12345@qq.com``) is free text that messages show, and drafts then have
    no From.
    """
    value = setting.strip()
    if "@" not in value or any(c.isspace() for c in value):
        return ""
    return email_address(value)


def email_draft(m: Message, sender: str, sender_contact: str) -> bytes:
    """One unsent e-mail (RFC 5322, UTF-8 subject and body encoded to the standard).

    An address with a non-ASCII domain (``wang@例子.中国``) is written as
    internationalised mail (RFC 6532), which current mail programs open.
    ``sender_contact`` is the ``sender-contact`` setting: the From when it is an
    address (see :func:`sender_address`).  Raises ValueError saying why when
    the contact's address is not valid (:func:`email_address`), and
    :class:`SenderAddressError` when the sender's is not.
    """
    try:
        sender_email = sender_address(sender_contact)
    except ValueError as exc:
        raise SenderAddressError(str(exc)) from None
    try:
        to = email_address(m.email)
    except ValueError as exc:
        raise ValueError(
            _("the e-mail address {address} is not valid ({reason})").format(
                address=repr(m.email), reason=exc
            )
        ) from None
    import email.policy
    from email.headerregistry import Address
    from email.message import EmailMessage

    international = not (to.isascii() and sender_email.isascii())
    message = EmailMessage(policy=email.policy.SMTPUTF8 if international else email.policy.SMTP)
    message["To"] = Address(_header_text(m.name), addr_spec=to)
    if sender_email:
        message["From"] = Address(_header_text(sender), addr_spec=sender_email)
    message["Subject"] = _header_text(m.subject)
    message["X-Unsent"] = "1"  # mail programs open it as a draft, ready to send
    message.set_content(_SURROGATES.sub("\ufffd", m.body), charset="utf-8")
    return message.as_bytes()


# Characters a draft's file name never holds: path separators and what Windows or a shell
# treats specially, and every character of these categories: controls (C0, DEL, C1),
# format characters (bidi marks, embeddings, overrides and isolates, zero-width characters),
# lone surrogates, and the line and paragraph separators.
_NAME_UNSAFE = frozenset('/\\:*?"<>|')
_NAME_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAME_RUNS = re.compile("\x00+")


def _safe_name(name: str) -> str:
    """A contact's name as part of a draft's file name: every unsafe run becomes one ``_``.

    A file name shows in file managers, terminals and mail programs: a control or
    bidi character in it could hide or reorder what it says (``exe.txt`` shown for
    ``txt.exe``), so none is kept.
    """
    marked = "".join(
        "\x00" if ch in _NAME_UNSAFE or unicodedata.category(ch) in _NAME_UNSAFE_CATEGORIES else ch
        for ch in name
    )
    cleaned = _NAME_RUNS.sub("_", marked).strip(" .")
    return cleaned[:60] or "contact"


@dataclass
class ExportResult:
    """What an export wrote, or would write."""

    format: str
    path: Path
    written: list[Path] = field(default_factory=list)
    messages: int = 0
    skipped: list[str] = field(default_factory=list)
    # Why each contact in ``skipped`` was left out (a key of _SKIP_COUNTS), in the same order.
    skipped_why: list[str] = field(default_factory=list)

    def skip(self, why: str, line: str) -> None:
        """List a contact left out: ``line`` says who and why; ``why`` is its kind."""
        self.skipped.append(line)
        self.skipped_why.append(why)


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
            _nothing_deliverable(result, "csv")
        data = messages_csv(messages, csv_options)
    elif fmt == "vcf":
        wanted = {m.contact_id for m in messages}
        # everyone a message is for: reached contacts, or those warned before a call
        data = contacts_vcard([s for s in case.contacts() if s.id in wanted], group)
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
    _record_and_publish(
        case, out, force, [(m, target) for m in messages],
        lambda staging: stage_file(out, data, force=force, staging=staging),
    )  # fmt: skip
    return result


def _record_and_publish(
    case: Case,
    out: Path,
    force: bool,
    logged: list[tuple[Message, str]],
    stage: Callable[[Path], Staged],
    *,
    folder: bool = False,
) -> None:
    """Record an export, build it aside, record its messages, put it in place, mark it done.

    Every step leaves the case able to settle a kill at the next open
    (:mod:`contact_notify.exportlog`): while the output is built the case
    knows its hidden name (to remove it); once it waits whole the case holds
    its messages and its fingerprint (to finish it).
    """
    staging = staging_for(out.resolve())
    with case.transaction():
        export_id = case.begin_export(str(out.resolve()), str(staging), folder=folder, force=force)
    try:
        staged = stage(staging)
        faults.point("export:staged")
        with case.transaction():
            case.staged_export(export_id, staged.digest)
            case.add_messages(
                (m.contact_id, m.reach_id, m.template, m.channel,
                 m.email if staged.folder else m.phone, m.body, target, m.subject, export_id)
                for m, target in logged
            )  # fmt: skip
    except BaseException:
        _undo(case, export_id, Staged(out.resolve(), staging, "", folder=folder))
        raise
    try:
        faults.point("export:recorded")
        publish(staged, force=force)
        faults.point("export:published")
    except BaseException:
        if not published(staged):  # nothing appeared under the name: the export did not happen
            _undo(case, export_id, staged)
            raise
        # Interrupted after the output was in place: finish, as the next open would.
    with case.transaction("export"):
        case.finish_export(export_id)


def _undo(case: Case, export_id: int, staged: Staged) -> None:
    """Forget an export that did not happen, and remove what it built aside."""
    discard(staged)
    with case.transaction():
        case.drop_export(export_id)


def _deliverable(messages: Sequence[Message], result: ExportResult) -> list[Message]:
    """The messages a CSV for sending can carry; the rest are listed as skipped.

    An SMS needs a valid mobile number and an e-mail an address; a contact
    without one is not exported (nor logged), so they stay "still to notify".
    """
    kept = []
    for m in messages:
        if m.channel == "sms" and not m.mobile:
            result.skip(
                "mobile",
                _("{name}: no mobile number for an SMS; reach them another way").format(
                    name=m.name
                ),
            )
        elif m.channel == "email" and not m.email:
            result.skip("email", _("{name}: no e-mail address").format(name=m.name))
        else:
            kept.append(m)
    return kept


# How many contacts were left out for each reason, as the "nothing to write" error counts them.
_SKIP_COUNTS = {
    "mobile": N_("{count} with no mobile number"),
    "email": N_("{count} with no e-mail address"),
    "invalid": N_("{count} with an address that cannot be used"),
}
# The "nothing to write" error, by what the export writes.
_NOTHING_DELIVERABLE = {
    "csv": N_(
        "no CSV to write: none of the {count} reached contact(s) waiting for a message can get "
        "one ({reasons}); nothing was written"
    ),
    "eml": N_(
        "no e-mail draft to write: none of the {count} reached contact(s) waiting for a message "
        "can get one ({reasons}); nothing was written"
    ),
}


def _nothing_deliverable(result: ExportResult, fmt: str) -> NoReturn:
    """Every message was skipped for want of an address: write nothing, and say why."""
    reasons: dict[str, int] = {}
    for why in result.skipped_why:
        reasons[why] = reasons.get(why, 0) + 1
    counts = ", ".join(_(_SKIP_COUNTS[why]).format(count=n) for why, n in reasons.items())
    raise NothingToDo(
        _(_NOTHING_DELIVERABLE[fmt]).format(count=len(result.skipped), reasons=counts),
        hint=_(
            "add their numbers or addresses to your contact file and import it again, or choose "
            "another channel: contact-notify export send.html --channel wechat"
        ),
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
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise OutputError(
            _("{path} is a file, not a folder").format(path=folder),
            hint=_("give a folder for e-mail drafts"),
        )
    drafts = _drafts(
        messages,
        case.get_setting("sender") or "",
        case.get_setting("sender-contact") or "",
        result,
    )
    if folder.is_dir():
        _refuse_drafts_folder(folder, force)
    if not drafts:
        _nothing_deliverable(result, "eml")
    result.written = [folder / name for name in drafts]
    result.messages = len(drafts)
    if dry_run:
        return result
    check_folder(folder, replaceable=force)
    files = {n: d for n, (_m, d) in drafts.items()}
    target = folder.resolve()
    _record_and_publish(
        case, folder, force, [(m, str(target / name)) for name, (m, _data) in drafts.items()],
        lambda staging: stage_folder(folder, files, replaceable=force, staging=staging),
        folder=True,
    )  # fmt: skip
    return result


def _drafts(
    messages: Sequence[Message], sender: str, contact: str, result: ExportResult
) -> dict[str, tuple[Message, bytes]]:
    """Every draft, by file name, built before any is written; who gets none is listed.

    ``contact`` is the ``sender-contact`` setting: an address that is not valid
    stops the export (no draft could be sent from it).
    """
    for m in messages:
        if not m.email:
            result.skip("email", _("{name}: no e-mail address").format(name=m.name))
    drafts: dict[str, tuple[Message, bytes]] = {}
    for m in (m for m in messages if m.email):
        try:
            data = email_draft(m, sender, contact)
        except SenderAddressError as exc:
            raise UsageError(
                _(
                    "the sender-contact setting {value} is not a valid e-mail address "
                    "({reason}), so no draft can be sent from it; nothing was written"
                ).format(value=repr(contact), reason=exc),
                hint=_(
                    "set your address alone (contact-notify config sender-contact "
                    "you@example.com), or text with a space (微信 xiaolin88) for drafts without "
                    "a sender"
                ),
            ) from None
        except ValueError as exc:
            result.skip(
                "invalid", _("{name}: {reason}; no draft for them").format(name=m.name, reason=exc)
            )
            continue
        drafts[f"{len(drafts) + 1:03d}-{_safe_name(m.name)}.eml"] = (m, data)
    return drafts


def _refuse_drafts_folder(folder: Path, force: bool) -> None:
    """Refuse a folder holding anything but drafts, or drafts when ``force`` was not given."""
    present = list(folder.iterdir())  # hidden files and folders count: a swap would lose them
    others = [p for p in present if not (_DRAFT_NAME.fullmatch(p.name) and p.is_file())]
    if others:
        raise OutputError(
            _("{folder} holds other files (such as {name}); nothing was written").format(
                folder=folder, name=others[0].name
            ),
            hint=_("e-mail drafts go into a folder of their own: choose a new folder"),
        )
    if present and not force:
        raise OutputError(
            _(
                "{folder} already holds e-mail drafts from an earlier export; nothing was written"
            ).format(folder=folder),
            hint=_("choose a new folder, or add --force to replace those drafts"),
        )

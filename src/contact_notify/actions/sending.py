"""Sending one message at a time from this computer's screen: the list, its QR codes, "sent".

The local app's Send page shows each pending message with a QR code that a
phone's camera opens in its SMS app (``SMSTO:``), and a "sent" button.  That
button logs the text exactly as it was shown and marks it sent in one
transaction, so the case knows what went to whom without an export file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session, changes
from contact_notify.errors import InputDataError, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.messages import Message
    from contact_notify.store import Case

# Where a message sent from the app's Send page is logged as exported to.
SENT_FROM_APP = "contact-notify app"

# Android asks the user to confirm past about 30 messages in 30 minutes from one app.
PACE_MESSAGES = 30
PACE_MINUTES = 30


@dataclass(frozen=True)
class ToSend:
    """One pending message, ready for the phone."""

    message: Message
    smsto: str  # what the QR code holds: SMSTO:NUMBER:TEXT ("" without a mobile number)
    link: str  # the sms: link ("" without a mobile number)
    shown: str  # what "sent" must find unchanged (:func:`shown_digest`)
    number: str = ""  # the number as people of the case's region write it (138 0013 8000)


def shown_digest(message: Message) -> str:
    """A digest of what the Send page shows for a message: its reach, number and text.

    "Sent" records the message only while this is unchanged, so the log never
    holds a text that was edited (or a reach that came) after the page was shown.
    """
    import hashlib

    seen = f"{message.reach_id}\x1f{message.phone}\x1f{message.subject}\x1f{message.body}"
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SendList:
    """The pending messages and the progress of this round."""

    items: list[ToSend]
    sent: int  # reached contacts sent a message for their latest reach
    reached: int
    sender_missing: bool  # nothing can be sent unsigned: the Start page sets the name


def sms_text(message: Message) -> str:
    """The text that goes into the SMS app: the body without its final line end."""
    return message.body.rstrip("\n")


def _pending(
    case: Case, lang: str, channel: str, only: int | None = None
) -> tuple[list[Message], bool]:
    """Every pending message as an export would write it (``only``: one contact's); and
    whether the sender is missing."""
    from contact_notify.messages import compose

    name = case.get_setting("sender")
    if not name:
        return [], True
    return compose(case, name, lang=lang, channel=channel, only=only), False


def send_list(session: Session, *, lang: str = "zh", channel: str = "sms") -> SendList:
    """The messages still to send, each with its QR contents and sms: link. Changes nothing."""
    from contact_notify.actions.session import case_region
    from contact_notify.phoneqr import smsto
    from contact_notify.phones import display
    from contact_notify.sendpage import sms_link

    with session.open() as case:
        messages, missing = _pending(case, lang.lower(), channel.lower())
        counts = case.counts()
        region = case_region(case)
    items = [
        ToSend(
            m,
            smsto(m.phone, sms_text(m)) if m.mobile else "",
            sms_link(m.phone, sms_text(m)) if m.mobile else "",
            shown_digest(m),
            display(m.phone, region) if m.phone_valid else m.phone,
        )
        for m in messages
    ]
    return SendList(items, counts.sent, counts.reached, missing)


def _one(case: Case, contact_id: int, lang: str, channel: str) -> Message:
    """The pending message of one contact, as the Send page shows it."""
    messages, missing = _pending(case, lang, channel, contact_id)
    if missing:
        raise UsageError(
            _("no sender name: the messages would be unsigned"),
            hint=_("set your name on the Start page first"),
        )
    for message in messages:
        if message.contact_id == contact_id:
            return message
    name = case.contact_name(contact_id) if case.has_contact(contact_id) else f"id:{contact_id}"
    raise InputDataError(
        _("no message is waiting for {name}: already sent, or not reached").format(name=name),
        hint=_("reload the page to see what is still to send"),
    )


def message_qr(session: Session, contact_id: int, *, lang: str = "zh") -> bytes:
    """The QR code (PNG) that opens one contact's pending SMS on a phone."""
    from contact_notify.phoneqr import qr_png, smsto

    with session.open() as case:
        message = _one(case, contact_id, lang.lower(), "sms")
    if not message.mobile:
        raise InputDataError(
            _("{name} has no mobile number: the message cannot go by SMS").format(
                name=message.name
            ),
            hint=_("copy the text and send it another way (WeChat, a call)"),
        )
    return qr_png(smsto(message.phone, sms_text(message)))


@dataclass(frozen=True)
class SentOne:
    """Who was just recorded as sent, and the round's progress after it."""

    name: str
    sent: int
    reached: int


def send_one(
    session: Session, contact_id: int, shown: str, *, lang: str = "zh", channel: str = "sms"
) -> SentOne:
    """Log one contact's pending message exactly as the page showed it (``shown``: its
    :func:`shown_digest`) and record it sent, now, in one transaction.

    A message that changed since (edited, or the contact reached again) is refused:
    the page is reloaded and the new text checked first.
    """
    from contact_notify.store import times

    with session.open(writes=True) as case:
        with changes(case, "sent"):  # read and written under one write lock
            message = _one(case, contact_id, lang.lower(), channel.lower())
            if shown != shown_digest(message):
                raise InputDataError(
                    _("the message to {name} changed since the page was shown; nothing was "
                      "recorded").format(name=message.name),
                    hint=_("reload the page, check the text, and send it again"),
                )  # fmt: skip
            case.add_message(
                message.contact_id, message.reach_id, message.template, message.channel,
                message.phone, message.body, SENT_FROM_APP, message.subject,
            )  # fmt: skip
            case.mark_sent(message.contact_id, message.channel, times.now())
        counts = case.counts()
    return SentOne(message.name, counts.sent, counts.reached)


# What the app's downloads are: the export formats of the command line (eml: a zip of drafts).
DOWNLOADS = ("csv", "html", "vcf", "eml")


def exports_folder(session: Session) -> Path:
    """Where the app writes its exports: a private folder beside the case file."""
    path = session.path
    return path.parent / f"{path.stem}-exports"


def new_download(session: Session, kind: str, suffix: str) -> Path:
    """A new name in :func:`exports_folder` (made, owner-only) for a download of ``kind``, by
    the time: ``messages-20261128-120000.csv``, ``-2`` for a second one in the same second."""
    from contact_notify import clock
    from contact_notify.fileio import private_dirs

    folder = exports_folder(session)
    private_dirs(folder)
    stamp = f"{kind}-{clock.now().strftime('%Y%m%d-%H%M%S')}"
    out, extra = folder / f"{stamp}{suffix}", 1
    while out.exists() or out.with_name(f"{out.name}.zip").exists():
        extra += 1
        out = folder / f"{stamp}-{extra}{suffix}"
    return out


def export_for_download(
    session: Session, output_format: str, *, lang: str = "zh", everyone: bool = False
) -> Path:
    """Export the pending messages as the command line's ``export`` does, into a new file of
    :func:`exports_folder`; the file to hand over (e-mail drafts: a zip of their folder).

    The app signs every message with the sender name of the Start page.
    """
    import shutil

    from contact_notify.actions.messages import export

    if output_format not in DOWNLOADS:
        raise UsageError(
            _("unknown format {format}").format(format=repr(output_format)),
            hint=_("use one of: {choices}").format(choices=", ".join(DOWNLOADS)),
        )
    with session.open() as case:
        if not case.get_setting("sender"):
            raise UsageError(
                _("no sender name: the messages would be unsigned"),
                hint=_("set your name on the Start page first"),
            )
    out = new_download(session, "messages", "" if output_format == "eml" else f".{output_format}")
    done = export(session, out, output_format=output_format, lang=lang, everyone=everyone)
    if not done.result.path.is_dir():
        return done.result.path
    archive = Path(shutil.make_archive(str(out), "zip", root_dir=out))
    archive.chmod(0o600)
    return archive

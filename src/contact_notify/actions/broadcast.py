"""One notice for many (``broadcast``): a text for WeChat Moments or a group chat."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session
from contact_notify.errors import UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.broadcast import Notice


@dataclass(frozen=True)
class Broadcast:
    """The notice, and the file it was written to (None: for printing)."""

    notice: Notice
    written: Path | None


def _signature(
    session: Session, kind: str, sender: str | None, family: bool = False
) -> tuple[str, str]:
    """(signature, short name): ``sender`` as given, else the case's settings.

    A Moments post, read by everyone one knows, and a group chat, which may be
    a work group, are signed with the full name (``config sender``); a family
    group chat (``family``) with the name the family knows (``config
    sender-short``, else the full name).
    """
    if sender:
        return sender, sender
    name = short = ""
    if session.path.exists():
        with session.open() as case:
            name = case.get_setting("sender") or ""
            short = case.get_setting("sender-short") or ""
    if not name:
        raise UsageError(
            _("no sender name: the notice would be unsigned"),
            hint=_("set it once with: contact-notify config sender 你的名字 (or pass --sender)"),
        )
    short = short or name
    return (short if kind == "group" and family else name), short


def broadcast(
    session: Session,
    *,
    kind: str = "moments",
    lang: str = "zh",
    sender: str | None = None,
    template: Path | None = None,
    out: Path | None = None,
    force: bool = False,
    family: bool = False,
) -> Broadcast:
    """Render the notice for Moments or a group chat; write it to ``out`` when given.

    The file is written atomically, owner-only, and never replaces another
    without ``force``.  Needs no case when ``sender`` is given.
    """
    from contact_notify.broadcast import check_kind, compose
    from contact_notify.fileio import atomic_write, refuse_existing
    from contact_notify.render import check_language

    check_kind(kind)
    check_language(lang)
    if out is not None:
        refuse_existing(out, force)  # before anything else is asked of the user
    signature, short = _signature(session, kind, sender, family)
    notice = compose(kind, lang, signature, short=short, template=template)
    if out is not None:
        atomic_write(out, notice.text.encode("utf-8"), force=force)
    return Broadcast(notice, out)

"""The case itself: status, settings, doctor, backup, wipe, and the demo on the examples."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session, changes, checked_region
from contact_notify.errors import CaseError, UsageError
from contact_notify.i18n import N_, _

if TYPE_CHECKING:
    from contact_notify.demo import DemoResult
    from contact_notify.store import Counts


@dataclass(frozen=True)
class Status:
    """The case file and its counts."""

    path: Path
    counts: Counts


def status(session: Session) -> Status:
    """How many contacts there are, were reached, were sent a message, and are still to notify."""
    with session.open() as case:
        return Status(case.path, case.counts())


def has_case(session: Session) -> bool:
    """Whether the session's case file exists yet (the app offers to start one)."""
    return session.path.exists()


def new_case(session: Session) -> Path:
    """Start an empty case at the session's path (nothing happens to one that exists)."""
    with session.open(create=True, writes=True) as case:
        return case.path


# The settings a user can change, and what each means (said in the interface language).
SETTINGS = {
    "sender": N_("your name, as messages sign it"),
    "sender-short": N_(
        "the short name family and close friends call you, for their messages (default: sender)"
    ),
    "sender-contact": N_("how people can reach you (shown in the fuller messages)"),
    "region": N_("default region for numbers, such as CN"),
    "sms-limit": N_("SMS parts above which a message is too long (default 2)"),
    "platform": N_("the lending platform the debt is with (for complaint drafts)"),
}


@dataclass(frozen=True)
class Setting:
    """A setting's name, value ("" when unset) and meaning (in the interface language)."""

    name: str
    value: str
    meaning: str


def _known(key: str) -> str:
    if key not in SETTINGS:
        raise UsageError(
            _("unknown setting {name}").format(name=repr(key)),
            hint=_("settings: {names}").format(names=_(", ").join(SETTINGS)),
        )
    return key


def settings(session: Session) -> list[Setting]:
    """Every setting with its value."""
    with session.open() as case:
        stored = case.settings()
    return [Setting(name, stored.get(name, ""), _(meaning)) for name, meaning in SETTINGS.items()]


def get_setting(session: Session, key: str) -> str:
    """One setting's value ("" when unset)."""
    _known(key)
    with session.open() as case:
        return case.get_setting(key) or ""


def checked_setting(key: str, value: str) -> str:
    """A setting's value as it will be stored: checked, and normalised where it has a form."""
    if key == "region":
        return checked_region(value)
    if key == "sms-limit" and not (value.isdigit() and int(value) >= 1):
        raise UsageError(
            _("sms-limit must be a whole number of parts, not {value}").format(value=repr(value))
        )
    if key == "sender-contact":
        from contact_notify.exporters import sender_address

        try:  # an @ and no space: meant as the drafts' From, so it must be a valid address
            sender_address(value)
        except ValueError as exc:
            raise UsageError(
                _("sender-contact {value} is not a valid e-mail address ({reason})").format(
                    value=repr(value), reason=exc
                ),
                hint=_(
                    "give your address alone (contact-notify config sender-contact "
                    "you@example.com), or other contact details with a space (微信 xiaolin88), "
                    "which messages show but e-mail drafts do not use as the sender"
                ),
            ) from None
    return value


def set_setting(session: Session, key: str, value: str) -> Setting:
    """Change a setting (the case is created if there is none); return it as stored."""
    value = checked_setting(_known(key), value)
    with session.open(create=True, writes=True) as case, changes(case, "config"):
        case.set_setting(key, value)
    return Setting(key, value, _(SETTINGS[key]))


@dataclass(frozen=True)
class Checked:
    """What doctor found: the case is sound; a stale journal it removed, if any."""

    path: Path
    removed_journal: Path | None


def doctor(session: Session) -> Checked:
    """Run SQLite's full integrity and foreign-key checks; remove a stale journal.

    A damaged case is an error (exit 5) listing every problem found.
    """
    from contact_notify.store import Case

    with Case.open(session.path) as case:
        problems = case.check()
        stale = None if problems else case.remove_stale_journal()
    if problems:
        raise CaseError(
            _("the case {path} is damaged ({count} problem(s))").format(
                path=session.path, count=len(problems)
            ),
            hint=_("restore it from a backup (contact-notify backup makes one)"),
            details=tuple(_("problem: {problem}").format(problem=p) for p in problems),
        )
    return Checked(session.path, stale)


def backup(session: Session, destination: Path, *, force: bool = False) -> Path:
    """A verified copy of the case, put in place only when complete; return where it went."""
    from contact_notify.store import Case

    destination = destination.expanduser()
    with Case.open(session.path) as case:
        case.backup(destination, force=force)
    return destination


@dataclass(frozen=True)
class Wiped:
    """The files deleted, or none when the user declined."""

    deleted: list[Path]
    declined: bool = False


def wipe(session: Session, confirm: Callable[[Path], bool]) -> Wiped:
    """Delete the case file and its journals, once ``confirm(path)`` says yes.

    ``confirm`` is the front's question to the user (or ``lambda _: True`` for
    ``--yes``); declining is an answer, not an error.
    """
    from contact_notify.store import wipe as wipe_case

    path = session.path
    if not path.exists():
        raise UsageError(_("there is no case at {path}").format(path=path))
    if not confirm(path):
        return Wiped([], declined=True)
    return Wiped(wipe_case(path))


def demo(lang: str = "zh") -> DemoResult:
    """The whole flow on the shipped examples, in a throw-away case; nothing of the user's."""
    from contact_notify.demo import run

    with tempfile.TemporaryDirectory(prefix="contact-notify-demo-") as folder:
        return run(Path(folder), lang)

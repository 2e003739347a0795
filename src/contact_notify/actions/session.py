"""Which case an action works on, how it is opened, and failures that are not the user's data.

A :class:`Session` is what a front holds for one command or request: the case
path it chose (or none, for the default) and where notes go (things the user
should know that are not the result, such as an interrupted export finished
on opening).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.errors import AppError, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.store import Case


def _ignore(note: str) -> None:
    """Notes nobody asked to see."""


@dataclass
class Session:
    """The case a front works on, and where the actions' notes go."""

    case_path: Path | None = None  # None: $CONTACT_NOTIFY_CASE, else the default place
    notify: Callable[[str], None] = field(default=_ignore)

    @property
    def path(self) -> Path:
        """The case file this session works on."""
        from contact_notify.store import default_case_path

        return self.case_path.expanduser() if self.case_path else default_case_path()

    @contextmanager
    def open(self, *, create: bool = False, writes: bool = False) -> Iterator[Case]:
        """The case, checked (more for an action that writes), interrupted exports settled."""
        from contact_notify.exportlog import recover
        from contact_notify.store import Case

        case = Case.open(self.path, create=create, check="quick" if writes else "schema")
        with case:
            for note in recover(case):
                self.notify(note)
            yield case


def checked_region(code: str) -> str:
    """A region code the phone library knows, upper-cased; a usage error otherwise."""
    from contact_notify.phones import is_known_region

    if not is_known_region(code):
        raise UsageError(
            _("unknown region {code}").format(code=repr(code)),
            hint=_("use a two-letter code such as CN, HK, TW, US"),
        )
    return code.upper()


def case_region(case: Case, override: str | None = None) -> str:
    """The region numbers are read in: ``override`` when given, else the case's, else CN."""
    from contact_notify.phones import DEFAULT_REGION

    if override:
        return checked_region(override)
    return str(case.get_setting("region") or DEFAULT_REGION)


@contextmanager
def changes(case: Case, label: str = "", *, dry_run: bool = False) -> Iterator[None]:
    """One all-or-nothing unit of work; with ``dry_run`` everything is undone at the end.

    The one dry-run mechanism: the action runs exactly as for real, inside the
    transaction, and the transaction is rolled back instead of committed.
    """
    with case.transaction(label, dry_run=dry_run):
        yield


def failure_for(exc: BaseException, session: Session) -> AppError | None:
    """The user-facing error for an exception raised below an action, if it has one.

    SQLite errors met while using the case (damaged, locked, read-only) are
    explained; anything else unexpected is a bug (None).
    """
    if isinstance(exc, AppError):
        return exc
    if isinstance(exc, sqlite3.Error):
        from contact_notify.store import sqlite_failure

        return sqlite_failure(exc, session.path)
    return None

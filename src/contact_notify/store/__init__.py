"""The case store: one SQLite file with the contacts, reach records and message log.

All SQL lives in this package, one module per table family behind the one
:class:`Case` facade:

- :mod:`.schema`: the file: opening and creating it, checks, transactions, backup, wipe;
- :mod:`.migrations`: the schema, version by version;
- :mod:`.contacts`: contacts and their numbers;
- :mod:`.reaches`: reach records, their collector numbers and attachments, collectors;
- :mod:`.sendlog`: the message log, exports, and the rule for when a contact is sent;
- :mod:`.edits`: messages edited by hand, per contact, round and channel;
- :mod:`.settings`: settings and the group-to-template rules;
- :mod:`.status`: the counts ``status`` shows;
- :mod:`.times`: how stored times are stamped and compared.
"""

from __future__ import annotations

from contact_notify.store.contacts import Contacts
from contact_notify.store.edits import Edits
from contact_notify.store.migrations import MIGRATIONS, SCHEMA_VERSION
from contact_notify.store.reaches import Reaches
from contact_notify.store.schema import (
    CASE_ENV,
    SQLITE_HEADER,
    CaseFile,
    default_case_path,
    sqlite_failure,
    wipe,
)
from contact_notify.store.sendlog import SendLog, answers_reach
from contact_notify.store.settings import Settings
from contact_notify.store.status import Counts, LatestReach, Status
from contact_notify.store.times import moment, now

__all__ = [
    "CASE_ENV",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "Case",
    "Counts",
    "LatestReach",
    "answers_reach",
    "default_case_path",
    "moment",
    "now",
    "sqlite_failure",
    "wipe",
]


class Case(CaseFile, Settings, Contacts, Reaches, SendLog, Edits, Status):
    """An open case file: every table family's methods on one connection.

    Open it with :meth:`Case.open` (a context manager); run each command in
    one :meth:`Case.transaction`.
    """

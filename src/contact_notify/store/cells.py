"""Cells read from the case, checked: one helper per kind of value.

Only this tool writes a case, but a user may edit one by hand and a disk may
damage it, and SQLite keeps whatever a cell is given, whatever its column's
declared type.  Every value the store hands out passes the helper for its
kind here: a text that is a BLOB, a time that names no time, a number that is
not in E.164 form or a JSON cell that is not a list of texts is refused with
one :class:`~contact_notify.errors.CaseError` (exit 5) naming the row and the
column, never a ``TypeError`` or ``ValueError`` deep inside a command.

The checks are the cheap ones that make the rest of the tool safe: a number's
shape is checked here, not its country's numbering plan (that would load the
phone-number library for every row listed; :func:`contact_notify.phones.is_mobile`
treats a number it cannot parse as no mobile).
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from contact_notify.errors import CaseError

# What to do about a damaged cell: the case's own backup holds it as it was.
HINT = "restore the case from a backup, or re-import the contact file into a new case"

# A stored time as the tool writes it: an ISO date, or date and time (seconds and
# fraction optional) with or without its UTC offset.
_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
# E.164: a plus, a country code not starting with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9][0-9]{2,14}")


def damaged(owner: str, row_id: object, column: str) -> CaseError:
    """The error for a cell that is not what its column holds (``contact``, 3, ``groups``)."""
    who = owner if row_id == "" else f"{owner} {row_id}"
    return CaseError(f"the case is damaged: {who} has an unreadable {column} value", hint=HINT)


def text(value: object, owner: str, row_id: object, column: str) -> str:
    """A text cell (a BLOB or a number where a text belongs is damage)."""
    if isinstance(value, str):
        return value
    raise damaged(owner, row_id, column)


def integer(value: object, owner: str, row_id: object, column: str) -> int:
    """An integer cell (an id, a size)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise damaged(owner, row_id, column)


def time(value: object, owner: str, row_id: object, column: str) -> str:
    """A stored time: ``2026-11-27`` or ``2026-11-27T21:30:00+08:00``, a real day and hour."""
    if isinstance(value, str) and _TIME.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise damaged(owner, row_id, column)


def e164(value: object, owner: str, row_id: object, column: str) -> str:
    """A number in E.164 form (``+8613800138000``), as the tool stores a valid number."""
    if isinstance(value, str) and _E164.fullmatch(value):
        return value
    raise damaged(owner, row_id, column)


def json_list(value: object, owner: str, row_id: object, column: str) -> list[str]:
    """A list of texts stored as JSON (a contact's groups, e-mails)."""
    try:
        decoded = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        decoded = None
    if not isinstance(decoded, list) or not all(isinstance(v, str) for v in decoded):
        raise damaged(owner, row_id, column)
    return decoded

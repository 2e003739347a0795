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
from contact_notify.i18n import N_, _

# What to do about a damaged cell: the case's own backup holds it as it was.
HINT = N_("restore the case from a backup, or re-import the contact file into a new case")

# The message for each (owner, column) the store reads, one whole sentence each,
# so that a translation can say the owner and the column in its own order.
_DAMAGED = {
    ("contact", "name"): N_("the case is damaged: contact {id} has an unreadable name value"),
    ("contact", "family"): N_("the case is damaged: contact {id} has an unreadable family value"),
    ("contact", "given"): N_("the case is damaged: contact {id} has an unreadable given value"),
    ("contact", "nickname"): N_(
        "the case is damaged: contact {id} has an unreadable nickname value"
    ),
    ("contact", "org"): N_("the case is damaged: contact {id} has an unreadable org value"),
    ("contact", "groups"): N_("the case is damaged: contact {id} has an unreadable groups value"),
    ("contact", "emails"): N_("the case is damaged: contact {id} has an unreadable emails value"),
    ("contact", "source"): N_("the case is damaged: contact {id} has an unreadable source value"),
    ("contact", "salutation"): N_(
        "the case is damaged: contact {id} has an unreadable salutation value"
    ),
    ("contact", "template"): N_(
        "the case is damaged: contact {id} has an unreadable template value"
    ),
    ("contact", "number"): N_("the case is damaged: contact {id} has an unreadable number value"),
    ("contact", "number label"): N_(
        "the case is damaged: contact {id} has an unreadable number label value"
    ),
    ("contact", "E.164 number"): N_(
        "the case is damaged: contact {id} has an unreadable E.164 number value"
    ),
    ("reach record", "contact"): N_(
        "the case is damaged: reach record {id} has an unreadable contact value"
    ),
    ("reach record", "time"): N_(
        "the case is damaged: reach record {id} has an unreadable time value"
    ),
    ("reach record", "recorded time"): N_(
        "the case is damaged: reach record {id} has an unreadable recorded time value"
    ),
    ("reach record", "note"): N_(
        "the case is damaged: reach record {id} has an unreadable note value"
    ),
    ("reach record", "source"): N_(
        "the case is damaged: reach record {id} has an unreadable source value"
    ),
    ("reach record", "channel"): N_(
        "the case is damaged: reach record {id} has an unreadable channel value"
    ),
    ("reach record", "org"): N_(
        "the case is damaged: reach record {id} has an unreadable org value"
    ),
    ("reach record", "contact number"): N_(
        "the case is damaged: reach record {id} has an unreadable contact number value"
    ),
    ("reach record", "collector number"): N_(
        "the case is damaged: reach record {id} has an unreadable collector number value"
    ),
    ("reach record", "behaviour"): N_(
        "the case is damaged: reach record {id} has an unreadable behaviour value"
    ),
    ("attachment", "reach"): N_(
        "the case is damaged: attachment {id} has an unreadable reach value"
    ),
    ("attachment", "path"): N_("the case is damaged: attachment {id} has an unreadable path value"),
    ("attachment", "size"): N_("the case is damaged: attachment {id} has an unreadable size value"),
    ("attachment", "sha256"): N_(
        "the case is damaged: attachment {id} has an unreadable sha256 value"
    ),
    ("attachment", "added time"): N_(
        "the case is damaged: attachment {id} has an unreadable added time value"
    ),
    ("collector number", "time"): N_(
        "the case is damaged: collector number {id} has an unreadable time value"
    ),
    ("a collector number", "number"): N_(
        "the case is damaged: a collector number has an unreadable number value"
    ),
}

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
    known = _DAMAGED.get((owner, column))
    if known is not None:
        message = _(known).format(id=row_id)
    elif row_id == "":
        message = _("the case is damaged: {owner} has an unreadable {column} value").format(
            owner=owner, column=column
        )
    else:
        message = _("the case is damaged: {owner} {id} has an unreadable {column} value").format(
            owner=owner, id=row_id, column=column
        )
    return CaseError(message, hint=_(HINT))


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
    if isinstance(value, str) and good_time(value):
        return value
    raise damaged(owner, row_id, column)


# Times already found good: every record of one import or mark shares its recorded time.
_GOOD_TIMES: set[str] = set()


def good_time(value: str) -> bool:
    """True for a stored time of the tool's form and a real day and hour (remembered)."""
    if value in _GOOD_TIMES:
        return True
    if not _TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    if len(_GOOD_TIMES) >= 1024:
        _GOOD_TIMES.clear()  # a bound, not a policy: most lookups are of a few recorded times
    _GOOD_TIMES.add(value)
    return True


def e164(value: object, owner: str, row_id: object, column: str) -> str:
    """A number in E.164 form (``+8613800138000``), as the tool stores a valid number."""
    if isinstance(value, str) and is_e164(value):
        return value
    raise damaged(owner, row_id, column)


def is_e164(value: str) -> bool:
    """True for a text in E.164 form (what :func:`e164` accepts)."""
    return _E164.fullmatch(value) is not None


def json_list(value: object, owner: str, row_id: object, column: str) -> list[str]:
    """A list of texts stored as JSON (a contact's groups, e-mails)."""
    decoded = text_list(value)
    if decoded is None:
        raise damaged(owner, row_id, column)
    return decoded


def text_list(value: object) -> list[str] | None:
    """The list of texts a JSON cell holds, or None when it holds anything else."""
    try:
        decoded = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(decoded, list) or not all(isinstance(v, str) for v in decoded):
        return None
    return decoded
